import { generateTestKeys, type TestKeyPair } from '../../src/testing/index.js';

/** Test keys generated once per test file (RSA key generation costs ~50 ms). */
let alipay: TestKeyPair | undefined;
let app: TestKeyPair | undefined;

/** Plays "Alipay": signs notifications; its public key is what the verifier is given. */
export function alipayKeys(): TestKeyPair {
  return (alipay ??= generateTestKeys());
}

/** Plays the merchant's own app key pair (the 应用公钥 people configure by mistake). */
export function appKeys(): TestKeyPair {
  return (app ??= generateTestKeys());
}
