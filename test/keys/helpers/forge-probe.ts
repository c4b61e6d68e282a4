/**
 * Run in a fresh process by lazy-forge.test.ts: counts the node-forge modules loaded after
 * importing the root entry point, after verifying with a public key, and after the first
 * certificate function call; and whether importing the root loaded qs or commander (the
 * testing kit and the CLI use them, the root must not). Argument: a certificate file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const loaded = (name: string) => Object.keys(require.cache).filter((path) => new RegExp(`[\\\\/]node_modules[\\\\/]${name}[\\\\/]`).test(path)).length;
const forgeModules = () => loaded('node-forge');

const lib = await import('../../../src/index.js');
const web = await import('../../../src/index.web.js');
const afterImport = forgeModules();
const rootLoaded = { qs: loaded('qs'), commander: loaded('commander') };
const testing = await import('../../../src/testing/index.js');
const keys = testing.generateTestKeys();
const { body } = testing.signNotify(testing.tradeNotifyParams(), { privateKey: keys.privateKey });
const result = await lib.createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
const webResult = await web.createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
const afterPublicKeyVerify = forgeModules();
const sn = lib.getCertSn(readFileSync(process.argv[2]!, 'utf8'));
console.log(
  JSON.stringify({
    afterImport,
    rootLoaded,
    // Positive control: the testing kit does load qs, so the count above means something.
    qsAfterTesting: loaded('qs'),
    verified: result.ok && webResult.ok,
    afterPublicKeyVerify,
    afterGetCertSn: forgeModules(),
    sn,
  }),
);
