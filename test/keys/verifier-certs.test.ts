/**
 * Certificate mode through the public API: createVerifier({ alipayPublicCert, alipayRootCert })
 * and verify(), with chains built at test time (root -> leaf, root -> intermediate -> leaf),
 * expiry, untrusted chains, renewal by alipay_cert_sn, and the real fixture certificates.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, getCertSn, isNotifyError, splitPemCertificates, type VerifierOptions, type VerifyResult } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { DAY, dn, issue, issueCa, testCa, type Issued, type TestKey } from './helpers/pki.js';
import { readRealCert } from './helpers/real-certs.js';

const REAL_ROOT_BUNDLE = readRealCert('alipayRootCert.crt');
const REAL_ALIPAY_CERT = readRealCert('alipayCertPublicKey_RSA2.crt');
const REAL_APP_CERT = readRealCert('appCertPublicKey_2021001161683774.crt');
const REAL_ALIPAY_SN = '7513daaaa48aa3ba2e4018d84402479c';
const realRoots = splitPemCertificates(REAL_ROOT_BUNDLE);

const ALIPAY_CN = '支付宝(中国)网络技术有限公司-2088000000000001';
let keys: { root: TestKey; inter: TestKey; leaf: TestKey; other: TestKey };
let root: Issued, inter: Issued, otherRoot: Issued;
/** The real SM2 root, the test RSA root, the real ECDSA root: like alipayRootCert.crt. */
let bundle: string;

function leaf(issuer: Issued, serial: string, extra: { key?: TestKey; notBefore?: Date; notAfter?: Date } = {}): Issued {
  return issue({ subject: dn(ALIPAY_CN, 'Alipay', '测试科技有限公司'), key: extra.key ?? keys.leaf, serial, issuer, ...extra });
}

/** A production-like file: the Alipay certificate followed by its intermediate CA. */
function chainFile(serial: string, extra: Parameters<typeof leaf>[2] = {}): { pem: string; sn: string } {
  const cert = leaf(inter, serial, extra);
  return { pem: cert.pem + inter.pem, sn: getCertSn(cert.pem) };
}

function notify(overrides: Record<string, string> = {}, key: TestKey = keys.leaf): string {
  return signNotify(tradeNotifyParams(overrides), { privateKey: key.privateKeyPem }).body;
}

function configError(options: VerifierOptions): TypeError & { cause?: unknown } {
  try {
    createVerifier(options);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error('createVerifier did not throw');
}

function causeCode(error: { cause?: unknown }): string | undefined {
  return isNotifyError(error.cause) ? error.cause.code : undefined;
}

function failed(result: VerifyResult) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

beforeAll(() => {
  ({ keys, root, inter, otherRoot } = testCa());
  bundle = realRoots[0]! + root.pem + realRoots[2]!;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('certificate mode: valid chains', () => {
  it('verifies with a certificate issued directly by a root of the bundle', async () => {
    const cert = leaf(root, '0a0b0c');
    const verifier = createVerifier({ alipayPublicCert: cert.pem, alipayRootCert: bundle });
    const result = await verifier.verify(notify());
    expect(result.ok && result.key).toEqual({ index: 0, certSn: getCertSn(cert.pem) });
  });

  it('verifies with root -> intermediate -> leaf, the intermediate in the same PEM (as Alipay ships it)', async () => {
    const file = chainFile('20240514e63c2fe04d538716fe21358b');
    const verifier = createVerifier({ alipayPublicCert: file.pem, alipayRootCert: bundle });
    const result = await verifier.verify(notify());
    expect(result.ok && result.key).toEqual({ index: 0, certSn: file.sn });
    // A certificate-mode notification is verified exactly like a public-key one.
    expect(result.ok && result.signedContent).toBe('v1');
  });

  it('takes the whole real alipayRootCert.crt plus the test root: SM2 and ECDSA roots are skipped without error', async () => {
    const file = chainFile('01');
    const verifier = createVerifier({ alipayPublicCert: file.pem, alipayRootCert: REAL_ROOT_BUNDLE + root.pem });
    expect((await verifier.verify(notify())).ok).toBe(true);
  });

  it('accepts PEM bytes, CRLF text and DER, and checks nothing but dates without alipayRootCert', async () => {
    const file = chainFile('02');
    const direct = leaf(root, '03');
    const der = Buffer.from(direct.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    for (const alipayPublicCert of [new TextEncoder().encode(file.pem), file.pem.replace(/\n/g, '\r\n'), new Uint8Array(der)]) {
      expect((await createVerifier({ alipayPublicCert, alipayRootCert: bundle }).verify(notify())).ok).toBe(true);
    }
    // No root: a certificate from any CA loads (only its dates are checked).
    const foreign = leaf(otherRoot, '04');
    expect((await createVerifier({ alipayPublicCert: foreign.pem }).verify(notify())).ok).toBe(true);
  });

  it('a notification signed with another key fails with SIGNATURE_INVALID', async () => {
    const verifier = createVerifier({ alipayPublicCert: chainFile('05').pem, alipayRootCert: bundle });
    expect(failed(await verifier.verify(notify({}, keys.other))).code).toBe('SIGNATURE_INVALID');
  });
});

describe('certificate mode: configuration errors name the option and the index', () => {
  it('a certificate that does not chain to the bundle: TypeError, cause CERT_UNTRUSTED', () => {
    const foreign = leaf(otherRoot, '20');
    const single = configError({ alipayPublicCert: foreign.pem, alipayRootCert: bundle });
    expect(single.message).toMatch(/^alipayPublicCert: The certificate .* does not chain to an RSA root of the bundle .*\(CERT_UNTRUSTED\)$/);
    expect(causeCode(single)).toBe('CERT_UNTRUSTED');
    const inList = configError({ alipayPublicCert: [chainFile('21').pem, foreign.pem], alipayRootCert: bundle });
    expect(inList.message).toMatch(/^alipayPublicCert\[1\]: .*CERT_UNTRUSTED/);
    // The intermediate left out of the file.
    expect(causeCode(configError({ alipayPublicCert: leaf(inter, '22').pem, alipayRootCert: bundle }))).toBe('CERT_UNTRUSTED');
  });

  it('the app certificate (应用公钥证书): TypeError that says so', () => {
    const app = issue({ subject: dn('2088000000000001-2021000000000001', 'Alipay'), key: keys.other, serial: '30', issuer: inter });
    const error = configError({ alipayPublicCert: [chainFile('31').pem, app.pem + inter.pem], alipayRootCert: bundle });
    expect(error.message).toMatch(/^alipayPublicCert\[1\]: This looks like your 应用公钥证书/);
    expect(error.message).toContain('pass alipayCertPublicKey_RSA2.crt');
    expect(causeCode(error)).toBe('CERT_INVALID');
    // The real app certificate is recognised too, with or without the root bundle.
    expect(configError({ alipayPublicCert: REAL_APP_CERT }).message).toMatch(/应用公钥证书/);
    expect(configError({ alipayPublicCert: REAL_APP_CERT, alipayRootCert: REAL_ROOT_BUNDLE }).message).toMatch(/应用公钥证书/);
  });

  it('a root certificate or the root bundle given as alipayPublicCert', () => {
    expect(configError({ alipayPublicCert: root.pem }).message).toMatch(/^alipayPublicCert: This is a self-signed root certificate .*alipayRootCert/);
    expect(configError({ alipayPublicCert: REAL_ROOT_BUNDLE }).message).toMatch(/looks like alipayRootCert\.crt/);
  });

  it('garbage, keys, empty lists and bad root bundles', () => {
    const garbage = configError({ alipayPublicCert: '-----BEGIN CERTIFICATE-----\nMIIBxx==\n-----END CERTIFICATE-----' });
    expect(garbage.message).toMatch(/^alipayPublicCert: .*\(CERT_INVALID\)$/);
    expect(configError({ alipayPublicCert: keys.leaf.spkiBase64 }).message).toMatch(/^alipayPublicCert: /);
    expect(configError({ alipayPublicCert: 'certs/alipayCertPublicKey_RSA2.crt' }).message).toMatch(/file path/);
    expect(configError({ alipayPublicCert: [] }).message).toBe('alipayPublicCert is an empty list.');
    expect(configError({ alipayPublicCert: chainFile('40').pem, alipayRootCert: 'garbage' }).message).toMatch(/^alipayRootCert: .*CERT_INVALID/);
    expect(configError({ alipayPublicCert: chainFile('41').pem, alipayRootCert: realRoots[0]! }).message).toMatch(/^alipayRootCert: .*no RSA/);
    expect(configError({ alipayPublicCert: 42 as unknown as string }).message).toMatch(/^alipayPublicCert: /);
  });

  it('alipayRootCert without any certificate to check is a mistake', () => {
    expect(configError({ alipayPublicKey: keys.leaf.spkiBase64, alipayRootCert: bundle }).message).toMatch(/also set alipayPublicCert/);
    // With a key provider it checks the certificates the provider returns.
    expect(() => createVerifier({ keyProvider: () => undefined, alipayRootCert: bundle })).not.toThrow();
  });
});

describe('certificate mode: expiry', () => {
  const expiredOptions = () => ({ notBefore: new Date(Date.now() - 800 * DAY), notAfter: new Date(Date.now() - DAY) });

  it('skips an expired certificate of a renewal list; selecting it by alipay_cert_sn gives CERT_EXPIRED', async () => {
    const expired = chainFile('50', expiredOptions());
    const current = chainFile('51');
    const verifier = createVerifier({ alipayPublicCert: [expired.pem, current.pem], alipayRootCert: bundle });
    const result = await verifier.verify(notify());
    expect(result.ok && result.key).toEqual({ index: 1, certSn: current.sn });
    const error = failed(await verifier.verify(notify({ alipay_cert_sn: expired.sn })));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.message).toMatch(new RegExp(`^The Alipay certificate SN ${expired.sn} expired on \\d{4}-\\d\\d-\\d\\dT`));
    expect(error.hint).toContain(expired.sn);
    expect(error.hint).toMatch(/valid until \d{4}-\d\d-\d\dT/);
  });

  it('an expired certificate alone: TypeError at createVerifier naming the SN and date (cause CERT_EXPIRED)', () => {
    const expired = chainFile('52', expiredOptions());
    const error = configError({ alipayPublicCert: expired.pem, alipayRootCert: bundle });
    expect(error.message).toMatch(/^alipayPublicCert: The certificate has expired: /);
    expect(error.message).toContain(expired.sn);
    expect(causeCode(error)).toBe('CERT_EXPIRED');
    const both = configError({ alipayPublicCert: [expired.pem, chainFile('53', expiredOptions()).pem] });
    expect(both.message).toMatch(/^alipayPublicCert: Every certificate has expired: /);
  });

  it('a certificate that expires while the verifier runs gives CERT_EXPIRED at verify time', async () => {
    const notAfter = new Date(Date.now() + 10 * DAY);
    const file = chainFile('54', { notAfter });
    const verifier = createVerifier({ alipayPublicCert: file.pem, alipayRootCert: bundle });
    const body = notify();
    expect((await verifier.verify(body)).ok).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'], now: notAfter.getTime() + DAY });
    const error = failed(await verifier.verify(body));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.hint).toContain(file.sn);
    expect(error.hint).toContain(`valid until ${notAfter.toISOString().slice(0, 19)}`);
  });

  it('an intermediate that expires first ends the window, and the error names it', async () => {
    const shortInter = issueCa('Test Financial Certification Authority Class 2 R0', keys.inter, '3b', root, {
      notAfter: new Date(Date.now() + 5 * DAY),
    });
    const cert = leaf(shortInter, '55');
    const verifier = createVerifier({ alipayPublicCert: cert.pem + shortInter.pem, alipayRootCert: bundle });
    expect((await verifier.verify(notify())).ok).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6 * DAY });
    const error = failed(await verifier.verify(notify()));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.message).toContain('its CA "Test Financial Certification Authority Class 2 R0"');
  });

  it('a certificate that is not valid yet is skipped (and reported when it is the only one)', async () => {
    const future = chainFile('56', { notBefore: new Date(Date.now() + 3 * DAY) });
    const current = chainFile('57');
    const both = createVerifier({ alipayPublicCert: [future.pem, current.pem], alipayRootCert: bundle });
    const result = await both.verify(notify());
    expect(result.ok && result.key).toEqual({ index: 1, certSn: current.sn });
    const alone = createVerifier({ alipayPublicCert: future.pem, alipayRootCert: bundle });
    const error = failed(await alone.verify(notify()));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.message).toMatch(/is not valid before/);
  });
});

describe('certificate mode: renewal and alipay_cert_sn', () => {
  it('picks the certificate named by alipay_cert_sn; without it, tries each', async () => {
    const first = chainFile('20240101000000000000000000000001');
    const renewed = chainFile('20260101000000000000000000000002');
    expect(first.sn).not.toBe(renewed.sn);
    const verifier = createVerifier({ alipayPublicCert: [first.pem, renewed.pem], alipayRootCert: bundle });
    const r1 = await verifier.verify(notify({ alipay_cert_sn: first.sn }));
    expect(r1.ok && r1.key).toEqual({ index: 0, certSn: first.sn });
    const r2 = await verifier.verify(notify({ alipay_cert_sn: renewed.sn }));
    expect(r2.ok && r2.key).toEqual({ index: 1, certSn: renewed.sn });
    const none = await verifier.verify(notify());
    expect(none.ok && none.key).toEqual({ index: 0, certSn: first.sn });
  });

  it('uses only the named certificate: a notification signed with another certificate\'s key fails', async () => {
    const a = chainFile('60');
    const b = chainFile('61', { key: keys.other });
    const verifier = createVerifier({ alipayPublicCert: [a.pem, b.pem], alipayRootCert: bundle });
    const signedByB = (sn?: string) => notify(sn === undefined ? {} : { alipay_cert_sn: sn }, keys.other);
    const ok = await verifier.verify(signedByB(b.sn));
    expect(ok.ok && ok.key).toEqual({ index: 1, certSn: b.sn });
    expect(failed(await verifier.verify(signedByB(a.sn))).code).toBe('SIGNATURE_INVALID');
    const tried = await verifier.verify(signedByB());
    expect(tried.ok && tried.key).toEqual({ index: 1, certSn: b.sn });
  });

  it('an unknown alipay_cert_sn gives KEY_NOT_FOUND naming it and the configured SNs', async () => {
    const file = chainFile('62');
    const verifier = createVerifier({ alipayPublicCert: file.pem, alipayRootCert: bundle });
    const unknown = 'ffffffffffffffffffffffffffffffff';
    const error = failed(await verifier.verify(notify({ alipay_cert_sn: unknown })));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.param).toBe('alipay_cert_sn');
    expect(error.message).toContain(unknown);
    expect(error.hint).toContain(unknown);
    expect(error.hint).toContain(file.sn);
  });

  it('alipay_cert_sn is part of the signed content (Java semantics: only sign and sign_type are left out)', async () => {
    const file = chainFile('63');
    const verifier = createVerifier({ alipayPublicCert: file.pem, alipayRootCert: bundle });
    const signed = await verifier.verify(notify({ alipay_cert_sn: file.sn }));
    expect(signed.ok && signed.params['alipay_cert_sn']).toBe(file.sn);
    // Added to a body after signing, it breaks the signature.
    const appended = `${notify()}&alipay_cert_sn=${file.sn}`;
    expect(failed(await verifier.verify(appended)).code).toBe('SIGNATURE_INVALID');
  });

  it('alipay_cert_sn is ignored when only public keys are configured', async () => {
    const verifier = createVerifier({ alipayPublicKey: keys.leaf.spkiBase64 });
    const result = await verifier.verify(notify({ alipay_cert_sn: 'ffffffffffffffffffffffffffffffff' }));
    expect(result.ok && result.key).toEqual({ index: 0 });
  });

  it('public keys and certificates together (switching signing method): each reports its own index', async () => {
    const file = chainFile('64', { key: keys.other });
    const verifier = createVerifier({
      alipayPublicKey: [keys.root.spkiBase64, keys.leaf.spkiBase64],
      alipayPublicCert: file.pem,
      alipayRootCert: bundle,
    });
    const byKey = await verifier.verify(notify());
    expect(byKey.ok && byKey.key).toEqual({ index: 1 });
    const byCert = await verifier.verify(notify({}, keys.other));
    expect(byCert.ok && byCert.key).toEqual({ index: 0, certSn: file.sn });
    // With alipay_cert_sn, only the certificate is tried.
    expect(failed(await verifier.verify(notify({ alipay_cert_sn: file.sn }))).code).toBe('SIGNATURE_INVALID');
  });
});

describe('certificates returned by a key provider', () => {
  it('loads a PEM certificate as a certificate, checked against alipayRootCert', async () => {
    const file = chainFile('70');
    const foreign = leaf(otherRoot, '71');
    const verifier = createVerifier({
      alipayRootCert: bundle,
      keyProvider: ({ appId }) => (appId === '2021000000000001' ? [keys.other.spkiBase64, file.pem] : foreign.pem),
    });
    const ok = await verifier.verify(notify());
    expect(ok.ok && ok.key).toEqual({ index: 1, certSn: file.sn });
    for (let i = 0; i < 2; i++) {
      const untrusted = failed(await verifier.verify(notify({ app_id: '2021000000000002' })));
      expect(untrusted.code).toBe('CERT_UNTRUSTED');
      expect(untrusted.message).toMatch(/^keyProvider result \[0\]: The certificate .* does not chain/);
    }
  });

  it('reports CERT_INVALID for a broken or app certificate and CERT_EXPIRED for an expired one', async () => {
    const broken = createVerifier({ keyProvider: () => '-----BEGIN CERTIFICATE-----\nMIIBxx==\n-----END CERTIFICATE-----' });
    expect(failed(await broken.verify(notify())).code).toBe('CERT_INVALID');
    const app = createVerifier({ keyProvider: () => REAL_APP_CERT });
    const appError = failed(await app.verify(notify()));
    expect(appError.code).toBe('CERT_INVALID');
    expect(appError.message).toMatch(/应用公钥证书/);
    const expired = createVerifier({ keyProvider: async () => REAL_ALIPAY_CERT });
    const error = failed(await expired.verify(notify()));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.hint).toContain(REAL_ALIPAY_SN);
  });

  it('applies the alipay_cert_sn selection to the provider result', async () => {
    const a = chainFile('72');
    const b = chainFile('73');
    const verifier = createVerifier({ keyProvider: () => [a.pem, b.pem], alipayRootCert: bundle });
    const result = await verifier.verify(notify({ alipay_cert_sn: b.sn }));
    expect(result.ok && result.key).toEqual({ index: 1, certSn: b.sn });
    const error = failed(await verifier.verify(notify({ alipay_cert_sn: 'abc' })));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.hint).toContain('"abc"');
  });
});

describe('the real fixture certificates (expired May 2022, issuer not in the bundle)', () => {
  it('alone: TypeError at createVerifier naming the SN and the expiry date', () => {
    const error = configError({ alipayPublicCert: REAL_ALIPAY_CERT });
    expect(error.message).toContain(REAL_ALIPAY_SN);
    expect(error.message).toContain('2022-05-14T14:42:01.000Z');
    expect(causeCode(error)).toBe('CERT_EXPIRED');
  });

  it('loads next to a valid certificate; selected by its SN it gives CERT_EXPIRED', async () => {
    const current = chainFile('80');
    const verifier = createVerifier({ alipayPublicCert: [REAL_ALIPAY_CERT, current.pem] });
    const result = await verifier.verify(notify());
    expect(result.ok && result.key).toEqual({ index: 1, certSn: current.sn });
    const error = failed(await verifier.verify(notify({ alipay_cert_sn: REAL_ALIPAY_SN })));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.hint).toContain(REAL_ALIPAY_SN);
    expect(error.hint).toContain('2022-05-14');
  });

  it('while it was valid it loaded and verified with its key (a foreign signature fails), later CERT_EXPIRED', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2021-06-01T00:00:00Z') });
    const verifier = createVerifier({ alipayPublicCert: REAL_ALIPAY_CERT });
    const body = notify();
    expect(failed(await verifier.verify(body)).code).toBe('SIGNATURE_INVALID');
    vi.useRealTimers();
    const error = failed(await verifier.verify(body));
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.message).toBe(`The Alipay certificate SN ${REAL_ALIPAY_SN} expired on 2022-05-14T14:42:01.000Z.`);
  });

  it('with the real root bundle: CERT_UNTRUSTED (its intermediate CA is not in the files)', () => {
    const error = configError({ alipayPublicCert: REAL_ALIPAY_CERT, alipayRootCert: REAL_ROOT_BUNDLE });
    expect(causeCode(error)).toBe('CERT_UNTRUSTED');
    expect(error.message).toContain('Ant Financial Certification Authority Class 2 R1');
  });
});
