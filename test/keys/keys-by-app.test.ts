/**
 * keysByApp(): multi-app setups with public keys, rotation lists and certificates, checked
 * when the provider is created; unknown apps; wrapping the provider.
 */
import { createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createVerifier, getCertSn, isNotifyError, keysByApp, type KeyProvider, type VerifyResult } from '../../src/index.js';
import { generateTestKeys, signNotify, tradeNotifyParams, type TestKeyPair } from '../../src/testing/index.js';
import { DAY, dn, issue, issueCa, rsaKey, type Issued, type TestKey } from './helpers/pki.js';
import { readRealCert } from './helpers/real-certs.js';

const APP_A = '2021000000000001';
const APP_B = '2021000000000002';
const APP_C = '2021000000000003';
const REAL_APP_CERT = readRealCert('appCertPublicKey_2021001161683774.crt');

let a: TestKeyPair, b: TestKeyPair, old: TestKeyPair;
let certKey: TestKey, otherKey: TestKey;
let root: Issued, otherRoot: Issued;

function notify(appId: string, privateKey: string, extra: Record<string, string> = {}): string {
  return signNotify(tradeNotifyParams({ app_id: appId, auth_app_id: appId, ...extra }), { privateKey }).body;
}

function alipayCert(issuer: Issued, serial: string, extra: { notBefore?: Date; notAfter?: Date } = {}): Issued {
  return issue({ subject: dn('支付宝(中国)网络技术有限公司-2088000000000001', 'Alipay'), key: certKey, serial, issuer, ...extra });
}

function failed(result: VerifyResult) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

function typeErrorOf(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error('did not throw');
}

beforeAll(() => {
  [a, b, old] = [generateTestKeys(), generateTestKeys(), generateTestKeys()];
  certKey = rsaKey();
  otherKey = rsaKey();
  root = issueCa('Test Root R1', rsaKey(), '01');
  otherRoot = issueCa('Other Root CA', otherKey, '02');
});

describe('keysByApp: several apps', () => {
  it('verifies each app against its own key and fails against the other', async () => {
    const verifier = createVerifier({ keyProvider: keysByApp({ [APP_A]: a.publicKey, [APP_B]: b.publicKey }) });
    const ra = await verifier.verify(notify(APP_A, a.privateKey));
    expect(ra.ok && ra.notify.appId).toBe(APP_A);
    expect(ra.ok && ra.key).toEqual({ index: 0 });
    expect((await verifier.verify(notify(APP_B, b.privateKey))).ok).toBe(true);
    // Signed by B's key but claiming app A (and the other way round): A's key is used.
    expect(failed(await verifier.verify(notify(APP_A, b.privateKey))).code).toBe('SIGNATURE_INVALID');
    expect(failed(await verifier.verify(notify(APP_B, a.privateKey))).code).toBe('SIGNATURE_INVALID');
  });

  it('an unknown app id gives KEY_NOT_FOUND naming it; alipayPublicKey serves as the fallback', async () => {
    const provider = keysByApp({ [APP_A]: a.publicKey });
    const error = failed(await createVerifier({ keyProvider: provider }).verify(notify(APP_C, a.privateKey)));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.hint).toContain(APP_C);
    const withFallback = createVerifier({ keyProvider: provider, alipayPublicKey: b.publicKey });
    expect((await withFallback.verify(notify(APP_C, b.privateKey))).ok).toBe(true);
  });

  it('a rotation list per app reports the index that matched', async () => {
    const verifier = createVerifier({ keyProvider: keysByApp({ [APP_A]: [a.publicKey, old.publicKey], [APP_B]: b.publicKey }) });
    const current = await verifier.verify(notify(APP_A, a.privateKey));
    expect(current.ok && current.key).toEqual({ index: 0 });
    const previous = await verifier.verify(notify(APP_A, old.privateKey));
    expect(previous.ok && previous.key).toEqual({ index: 1 });
  });

  it('takes every key form (bare base64, DER, KeyObject)', async () => {
    const key = createPublicKey(a.publicKey);
    const der = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
    const bare = Buffer.from(der).toString('base64');
    // Each form behind a key that does not match, so each one has to verify on its own.
    for (const form of [bare, der, key]) {
      const verifier = createVerifier({ keyProvider: keysByApp({ [APP_A]: [old.publicKey, form] }) });
      const result = await verifier.verify(notify(APP_A, a.privateKey));
      expect(result.ok && result.key).toEqual({ index: 1 });
    }
  });

  it('parses every key and certificate when it is created: verifying imports none', async () => {
    const cert = alipayCert(root, '18');
    const importKey = vi.spyOn(nodeCrypto, 'importKey');
    try {
      const provider = keysByApp({ [APP_A]: [old.publicKey, a.publicKey], [APP_B]: { cert: cert.pem, rootCert: root.pem } });
      // Positive control: the keys and the certificate's key are imported here, once each.
      expect(importKey).toHaveBeenCalledTimes(3);
      importKey.mockClear();
      const verifier = createVerifier({ keyProvider: provider });
      for (let i = 0; i < 3; i++) {
        expect((await verifier.verify(notify(APP_A, a.privateKey))).ok).toBe(true);
        expect((await verifier.verify(notify(APP_B, certKey.privateKeyPem))).ok).toBe(true);
      }
      expect(importKey).not.toHaveBeenCalled();
    } finally {
      importKey.mockRestore();
    }
  });
});

describe('keysByApp: certificates', () => {
  it('an app in certificate mode, with its renewal list, next to an app with a public key', async () => {
    const first = alipayCert(root, '10');
    const renewed = alipayCert(root, '11');
    const [sn1, sn2] = [getCertSn(first.pem), getCertSn(renewed.pem)];
    const verifier = createVerifier({
      keyProvider: keysByApp({ [APP_A]: a.publicKey, [APP_B]: { cert: [first.pem, renewed.pem], rootCert: root.pem } }),
    });
    const r1 = await verifier.verify(notify(APP_B, certKey.privateKeyPem, { alipay_cert_sn: sn2 }));
    expect(r1.ok && r1.key).toEqual({ index: 1, certSn: sn2 });
    const r2 = await verifier.verify(notify(APP_B, certKey.privateKeyPem));
    expect(r2.ok && r2.key).toEqual({ index: 0, certSn: sn1 });
    const unknown = failed(await verifier.verify(notify(APP_B, certKey.privateKeyPem, { alipay_cert_sn: '0123' })));
    expect(unknown.code).toBe('KEY_NOT_FOUND');
    expect(unknown.hint).toContain('"0123"');
    // App A has only a public key: its notifications ignore alipay_cert_sn.
    expect((await verifier.verify(notify(APP_A, a.privateKey, { alipay_cert_sn: '0123' }))).ok).toBe(true);
  });

  it('a PEM certificate inside a key list is a certificate; options.rootCert checks it', async () => {
    const cert = alipayCert(root, '12');
    const verifier = createVerifier({ keyProvider: keysByApp({ [APP_A]: [a.publicKey, cert.pem] }, { rootCert: root.pem }) });
    const result = await verifier.verify(notify(APP_A, certKey.privateKeyPem));
    expect(result.ok && result.key).toEqual({ index: 1, certSn: getCertSn(cert.pem) });
    const foreign = alipayCert(otherRoot, '13');
    const error = typeErrorOf(() => keysByApp({ [APP_A]: [a.publicKey, foreign.pem] }, { rootCert: root.pem }));
    expect(error.message).toMatch(new RegExp(`^keysByApp\\["${APP_A}"\\]\\[1\\]: .*CERT_UNTRUSTED`));
  });

  it('a certificate keysByApp did not check is checked against the verifier\'s alipayRootCert', async () => {
    const foreign = alipayCert(otherRoot, '14');
    const provider = keysByApp({ [APP_A]: { cert: foreign.pem } });
    expect((await createVerifier({ keyProvider: provider }).verify(notify(APP_A, certKey.privateKeyPem))).ok).toBe(true);
    const error = typeErrorOf(() => createVerifier({ keyProvider: provider, alipayRootCert: root.pem }));
    expect(error.message).toMatch(new RegExp(`^keysByApp\\["${APP_A}"\\] key 0 \\(checked against alipayRootCert\\): .*CERT_UNTRUSTED`));
    // Its own rootCert takes precedence over the verifier's.
    const own = keysByApp({ [APP_A]: { cert: foreign.pem, rootCert: otherRoot.pem } });
    expect((await createVerifier({ keyProvider: own, alipayRootCert: root.pem }).verify(notify(APP_A, certKey.privateKeyPem))).ok).toBe(true);
  });

  it('an expired certificate does not stop the other apps: its notifications get CERT_EXPIRED', async () => {
    const expired = alipayCert(root, '15', { notBefore: new Date(Date.now() - 900 * DAY), notAfter: new Date(Date.now() - DAY) });
    const verifier = createVerifier({
      keyProvider: keysByApp({ [APP_A]: a.publicKey, [APP_B]: { cert: expired.pem } }, { rootCert: root.pem }),
    });
    expect((await verifier.verify(notify(APP_A, a.privateKey))).ok).toBe(true);
    const error = failed(await verifier.verify(notify(APP_B, certKey.privateKeyPem)));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.hint).toContain(getCertSn(expired.pem));
  });
});

describe('keysByApp: checked when created', () => {
  it('throws a TypeError naming the app id for a bad key', () => {
    expect(typeErrorOf(() => keysByApp({ [APP_A]: a.publicKey, [APP_B]: b.privateKey })).message).toMatch(
      new RegExp(`^keysByApp\\["${APP_B}"\\] is a private key`),
    );
    expect(typeErrorOf(() => keysByApp({ [APP_A]: [a.publicKey, 'garbage!'] })).message).toMatch(/^keysByApp\["2021000000000001"\]\[1\]/);
    expect(typeErrorOf(() => keysByApp({ [APP_A]: [] })).message).toBe(`keysByApp["${APP_A}"] is an empty list.`);
    expect(typeErrorOf(() => keysByApp({ [APP_A]: { cert: [] } })).message).toBe(`keysByApp["${APP_A}"].cert is an empty list.`);
    expect(typeErrorOf(() => keysByApp({ [APP_A]: undefined as unknown as string })).message).toMatch(/has no key/);
    expect(typeErrorOf(() => keysByApp({})).message).toMatch(/no app id/);
    expect(typeErrorOf(() => keysByApp(null as unknown as Record<string, string>)).message).toMatch(/needs an object/);
  });

  it('refuses the app certificate (应用公钥证书), naming the app id', () => {
    const error = typeErrorOf(() => keysByApp({ [APP_A]: { cert: REAL_APP_CERT } }));
    expect(error.message).toMatch(new RegExp(`^keysByApp\\["${APP_A}"\\]\\.cert: This looks like your 应用公钥证书`));
    expect(isNotifyError(error.cause) && error.cause.code).toBe('CERT_INVALID');
  });

  it('refuses a bad root bundle, naming where it was given', () => {
    const cert = alipayCert(root, '16');
    expect(typeErrorOf(() => keysByApp({ [APP_A]: { cert: cert.pem, rootCert: 'nope' } })).message).toMatch(
      new RegExp(`^keysByApp\\["${APP_A}"\\]\\.rootCert: `),
    );
    expect(typeErrorOf(() => keysByApp({ [APP_A]: a.publicKey }, { rootCert: 'nope' })).message).toMatch(/^keysByApp options\.rootCert: /);
  });
});

describe('keysByApp: as a building block', () => {
  it('called directly it returns the configured inputs, so it can be wrapped', async () => {
    const cert = alipayCert(root, '17');
    const byApp = keysByApp({ [APP_A]: a.publicKey, [APP_B]: { cert: cert.pem } });
    expect(byApp({ appId: APP_A, signType: 'RSA2' })).toEqual([a.publicKey]);
    expect(byApp({ appId: APP_B, signType: 'RSA2' })).toEqual([cert.pem]);
    expect(byApp({ appId: APP_C, signType: 'RSA2' })).toBeUndefined();
    expect(byApp({ signType: 'RSA2' })).toBeUndefined();
    const calls: string[] = [];
    const wrapped: KeyProvider = (ctx) => {
      calls.push(ctx.appId ?? '');
      return ctx.appId === APP_C ? b.publicKey : byApp(ctx);
    };
    const verifier = createVerifier({ keyProvider: wrapped, alipayRootCert: root.pem });
    expect((await verifier.verify(notify(APP_C, b.privateKey))).ok).toBe(true);
    const viaCert = await verifier.verify(notify(APP_B, certKey.privateKeyPem));
    expect(viaCert.ok && viaCert.key).toEqual({ index: 0, certSn: getCertSn(cert.pem) });
    expect(calls).toEqual([APP_C, APP_B]);
  });
});
