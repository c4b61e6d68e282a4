/**
 * Certificate chains built at test time (node-forge): root -> intermediate -> leaf like
 * Alipay's production files, root -> leaf, expiry, foreign roots, impostors, renewal, and a
 * bundle that mixes in the real SM2 and ECDSA roots of alipayRootCert.crt.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkAlipayCertificate,
  getCertSn,
  getRootCertSn,
  loadAlipayCertificate,
  loadRootBundle,
  parseAlipayCertificate,
  splitPemCertificates,
  type CertificateCheckOptions,
} from '../../src/keys/index.js';
import { DAY, dn, issue, issueCa, testCa, type Issued, type TestKey } from './helpers/pki.js';
import { codeOf, readRealCert } from './helpers/real-certs.js';

const realRoots = splitPemCertificates(readRealCert('alipayRootCert.crt'));
const SM2_ROOT = realRoots[0]!;
const ECDSA_ROOT = realRoots[2]!;

/** Independent SN oracle (node:crypto, no forge): Node's issuer lines reversed + decimal serial. */
function oracleSn(pem: string): string {
  const x = new X509Certificate(pem);
  const input = x.issuer.split('\n').reverse().join(',') + BigInt(`0x${x.serialNumber}`).toString();
  return createHash('md5').update(input, 'utf8').digest('hex');
}

const ALIPAY_CN = '支付宝(中国)网络技术有限公司-2088000000000001';
let keys: { root: TestKey; other: TestKey; inter: TestKey; leaf: TestKey };
let root: Issued, otherRoot: Issued, inter: Issued;
let bundle: string;

function leafOf(issuer: Issued, serial: string, extra: { notBefore?: Date; notAfter?: Date } = {}): Issued {
  return issue({ subject: dn(ALIPAY_CN, 'Alipay', '测试科技有限公司'), key: keys.leaf, serial, issuer, ...extra });
}

beforeAll(() => {
  ({ keys, root, inter, otherRoot } = testCa());
  // Real roots around the synthetic one: SM2 first and ECDSA after, as in alipayRootCert.crt.
  bundle = SM2_ROOT + root.pem + ECDSA_ROOT;
});

describe('valid chains', () => {
  it('accepts root -> intermediate -> leaf with the intermediate after the leaf in the file', () => {
    const leaf = leafOf(inter, '20240514e63c2fe04d538716fe21358b');
    const cert = loadAlipayCertificate(leaf.pem + inter.pem, { rootBundle: bundle });
    expect(cert.sn).toBe(oracleSn(leaf.pem));
    expect(cert.sn).toBe(getCertSn(leaf.pem));
    expect(cert.spkiBase64).toBe(keys.leaf.spkiBase64);
    expect(cert.issuer).toBe(
      'CN=Test Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Test Financial,C=CN',
    );
    expect(cert.subject).toBe(`CN=${ALIPAY_CN},OU=Alipay,O=测试科技有限公司,C=CN`);
    expect(cert.kind).toBe('alipay');
    expect(cert.chainDer).toHaveLength(2);
  });

  it('accepts a leaf issued directly by a root', () => {
    const leaf = leafOf(root, '0a0b0c');
    expect(loadAlipayCertificate(leaf.pem, { rootBundle: bundle }).sn).toBe(oracleSn(leaf.pem));
  });

  it('finds the intermediate among other certificates of the file, and takes a parsed bundle', () => {
    const leaf = leafOf(inter, '0d');
    const parsed = loadRootBundle(bundle);
    const cert = parseAlipayCertificate(leaf.pem + otherRoot.pem + inter.pem);
    expect(checkAlipayCertificate(cert, { rootBundle: parsed })).toBeUndefined();
    expect(checkAlipayCertificate(cert, { rootBundle: new TextEncoder().encode(bundle) })).toBeUndefined();
  });
});

describe('dates', () => {
  it('reports an expired leaf as CERT_EXPIRED', () => {
    const leaf = leafOf(inter, '10', { notBefore: new Date(Date.now() - 800 * DAY), notAfter: new Date(Date.now() - DAY) });
    const error = checkAlipayCertificate(parseAlipayCertificate(leaf.pem + inter.pem), { rootBundle: bundle });
    expect(error?.code).toBe('CERT_EXPIRED');
    expect(error?.message).toMatch(/^The certificate ".+" \(SN [0-9a-f]{32}\) expired on /);
    expect(codeOf(() => loadAlipayCertificate(leaf.pem + inter.pem, { rootBundle: bundle }))).toBe('CERT_EXPIRED');
  });

  it('reports a leaf that is not valid yet, and checks at the given `now`', () => {
    const notBefore = new Date(Date.now() + 10 * DAY);
    const leaf = leafOf(inter, '11', { notBefore, notAfter: new Date(Date.now() + 400 * DAY) });
    const cert = parseAlipayCertificate(leaf.pem + inter.pem);
    const error = checkAlipayCertificate(cert, { rootBundle: bundle });
    expect(error?.code).toBe('CERT_EXPIRED');
    expect(error?.message).toContain(`is not valid before ${notBefore.toISOString().slice(0, 19)}`);
    const later: CertificateCheckOptions = { rootBundle: bundle, now: new Date(Date.now() + 20 * DAY) };
    expect(checkAlipayCertificate(cert, later)).toBeUndefined();
    expect(() => checkAlipayCertificate(cert, { now: new Date('not a date') })).toThrow(TypeError);
  });

  it('reports an expired intermediate as CERT_EXPIRED, naming it', () => {
    const oldInter = issueCa('Test Financial Certification Authority Class 2 R0', keys.inter, '3b', root, {
      notBefore: new Date(Date.now() - 900 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    const leaf = leafOf(oldInter, '12');
    const error = checkAlipayCertificate(parseAlipayCertificate(leaf.pem + oldInter.pem), { rootBundle: bundle });
    expect(error?.code).toBe('CERT_EXPIRED');
    expect(error?.message).toContain('"Test Financial Certification Authority Class 2 R0"');
  });
});

describe('untrusted chains', () => {
  it('rejects a leaf issued under a root that is not in the bundle', () => {
    const leaf = leafOf(otherRoot, '20');
    const error = checkAlipayCertificate(parseAlipayCertificate(leaf.pem), { rootBundle: bundle });
    expect(error?.code).toBe('CERT_UNTRUSTED');
    expect(error?.message).toContain('(1 usable: Test Financial Certification Authority R1)');
    expect(codeOf(() => loadAlipayCertificate(leaf.pem, { rootBundle: bundle }))).toBe('CERT_UNTRUSTED');
  });

  it('rejects a leaf whose intermediate is missing from the file', () => {
    const leaf = leafOf(inter, '21');
    expect(checkAlipayCertificate(parseAlipayCertificate(leaf.pem), { rootBundle: bundle })?.code).toBe('CERT_UNTRUSTED');
  });

  it('rejects an impostor intermediate that copies the real name but has another key', () => {
    const impostor = issueCa('Test Financial Certification Authority Class 2 R1', keys.other, '3a', otherRoot);
    const leaf = leafOf(impostor, '22');
    const cert = parseAlipayCertificate(leaf.pem + impostor.pem + inter.pem);
    expect(checkAlipayCertificate(cert, { rootBundle: bundle })?.code).toBe('CERT_UNTRUSTED');
  });

  it('does not let a non-CA certificate (e.g. an app certificate) issue the Alipay certificate', () => {
    // With keyUsage (as real app certs have) OpenSSL's checkIssued already refuses; without
    // it only the basicConstraints CA check stands in the way.
    for (const noKeyUsage of [false, true]) {
      const app = issue({ subject: dn('2088000000000001-2021000000000001', 'Alipay'), key: keys.other, serial: '30', issuer: inter, noKeyUsage });
      const leaf = leafOf(app, '31');
      const cert = parseAlipayCertificate(leaf.pem + app.pem + inter.pem);
      expect(checkAlipayCertificate(cert, { rootBundle: bundle })?.code).toBe('CERT_UNTRUSTED');
      expect(parseAlipayCertificate(app.pem).kind).toBe('app');
    }
  });
});

describe('invalid input', () => {
  it('throws CERT_INVALID for garbage, and returns it for a garbage root bundle', () => {
    expect(codeOf(() => loadAlipayCertificate('-----BEGIN CERTIFICATE-----\nMIIBxx==\n-----END CERTIFICATE-----'))).toBe('CERT_INVALID');
    expect(codeOf(() => loadAlipayCertificate('not a certificate'))).toBe('CERT_INVALID');
    const cert = parseAlipayCertificate(leafOf(root, '40').pem);
    expect(checkAlipayCertificate(cert, { rootBundle: 'garbage' })?.code).toBe('CERT_INVALID');
    expect(checkAlipayCertificate(cert, { rootBundle: SM2_ROOT + ECDSA_ROOT })?.message).toBe(
      'The root bundle has no RSA-signed certificate.',
    );
  });
});

describe('renewal', () => {
  it('gives two certificates of the same key different SNs, both valid', () => {
    const first = leafOf(inter, '20240101000000000000000000000001');
    const renewed = leafOf(inter, '20260101000000000000000000000002');
    const a = loadAlipayCertificate(first.pem + inter.pem, { rootBundle: bundle });
    const b = loadAlipayCertificate(renewed.pem + inter.pem, { rootBundle: bundle });
    expect(a.sn).toBe(oracleSn(first.pem));
    expect(b.sn).toBe(oracleSn(renewed.pem));
    expect(a.sn).not.toBe(b.sn);
    expect(a.spkiBase64).toBe(b.spkiBase64);
    expect(a.serialNumber).toBe(BigInt('0x20240101000000000000000000000001').toString());
  });
});

describe('root bundles with SM2 and ECDSA certificates', () => {
  it('skips them in the root SN and in chain checks without error', () => {
    expect(getRootCertSn(bundle)).toBe(oracleSn(root.pem));
    expect(getRootCertSn(bundle + otherRoot.pem)).toBe(`${oracleSn(root.pem)}_${oracleSn(otherRoot.pem)}`);
    const parsed = loadRootBundle(bundle);
    expect(parsed.rootCertSn).toBe(oracleSn(root.pem));
    expect(parsed.roots.map((r) => r.commonName)).toEqual(['Test Financial Certification Authority R1']);
    expect(parsed.skipped).toBe(2);
  });

  it('rejects a bundle with no RSA root', () => {
    expect(codeOf(() => getRootCertSn(SM2_ROOT + ECDSA_ROOT))).toBe('CERT_INVALID');
    expect(codeOf(() => loadRootBundle(ECDSA_ROOT))).toBe('CERT_INVALID');
  });
});
