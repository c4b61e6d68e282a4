/**
 * Run in a fresh process by lazy-forge.test.ts: counts the node-forge modules loaded after
 * importing the root entry point, after verifying with a public key, and after the first
 * certificate function call. Argument: a certificate file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const forgeModules = () => Object.keys(require.cache).filter((path) => /[\\/]node-forge[\\/]/.test(path)).length;

const lib = await import('../../../src/index.js');
const testing = await import('../../../src/testing/index.js');
const afterImport = forgeModules();
const keys = testing.generateTestKeys();
const { body } = testing.signNotify(testing.tradeNotifyParams(), { privateKey: keys.privateKey });
const result = await lib.createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
const afterPublicKeyVerify = forgeModules();
const sn = lib.getCertSn(readFileSync(process.argv[2]!, 'utf8'));
console.log(JSON.stringify({ afterImport, verified: result.ok, afterPublicKeyVerify, afterGetCertSn: forgeModules(), sn }));
