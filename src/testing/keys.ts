import { generateKeyPairSync } from 'node:crypto';

export interface TestKeyPair {
  /** PKCS#8 PEM. A TEST key: never use it for anything but tests. */
  privateKey: string;
  /** SPKI PEM: configure it as the "Alipay public key" in tests. */
  publicKey: string;
}

/** A fresh RSA key pair (2048-bit by default) to play Alipay in tests. */
export function generateTestKeys(options: { modulusLength?: number } = {}): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: options.modulusLength ?? 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey };
}
