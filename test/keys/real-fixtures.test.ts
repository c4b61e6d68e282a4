/**
 * The real certificates from Alipay's Node SDK tests (fixtures/real/README.md): SNs and the
 * extracted key must equal the SDK's expected values exactly. These leafs expired in 2022
 * and their issuers are not in the bundle, so they serve SN and key tests, not chain tests.
 */
import { describe, expect, it } from 'vitest';
import {
  checkAlipayCertificate,
  getCertSn,
  getRootCertSn,
  loadAlipayCertificate,
  loadRootBundle,
  parseAlipayCertificate,
  splitPemCertificates,
} from '../../src/keys/index.js';
import { certSnInput } from '../../src/keys/cert-sn.js';
import { readCertificateDers } from '../../src/keys/pem.js';
import { parseX509 } from '../../src/keys/x509.js';
import { codeOf, readRealCert } from './helpers/real-certs.js';

const expected = JSON.parse(readRealCert('expected.json'));
const appPem = readRealCert('appCertPublicKey_2021001161683774.crt');
const alipayPem = readRealCert('alipayCertPublicKey_RSA2.crt');
const rootPem = readRealCert('alipayRootCert.crt');
const BEFORE_EXPIRY = new Date('2021-06-01T00:00:00Z');

describe('real Alipay certificates: SNs', () => {
  it('reproduces app_cert_sn, alipay_cert_sn and alipay_root_cert_sn', () => {
    expect(getCertSn(appPem)).toBe('866efef280dec9137a87d047ac446315');
    expect(getCertSn(alipayPem)).toBe('7513daaaa48aa3ba2e4018d84402479c');
    expect(getRootCertSn(rootPem)).toBe(
      '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
    );
    expect([getCertSn(appPem), getCertSn(alipayPem), getRootCertSn(rootPem)]).toEqual([
      expected.appCertSn,
      expected.alipayCertSn,
      expected.rootCertSn,
    ]);
  });

  it('matches every intermediate value of expected.json', () => {
    const derivations = [
      [appPem, expected.derivation.appCert],
      [alipayPem, expected.derivation.alipayCert],
      ...splitPemCertificates(rootPem).map((pem, i) => [pem, expected.derivation.rootCerts[i]]),
    ] as const;
    expect(derivations).toHaveLength(6);
    for (const [pem, d] of derivations) {
      const info = parseX509(readCertificateDers(pem)[0]!);
      expect(certSnInput(info)).toBe(d.md5Input);
      expect(info.serial.toString()).toBe(d.serialDecimal);
      expect(info.serial.toString(16).toUpperCase()).toBe(d.serialHex);
      expect(info.signatureAlgorithmOid).toBe(d.signatureAlgorithmOid);
      expect(info.notBefore.toISOString()).toBe(d.validFrom);
      expect(info.notAfter.toISOString()).toBe(d.validTo);
      expect(getCertSn(pem)).toBe(d.sn);
    }
  });

  it('gives the same SNs for DER bytes, PEM bytes, CRLF and pasted-with-spaces PEM', () => {
    const der = readCertificateDers(alipayPem)[0]!;
    // Spaces and tabs pasted into the base64 lines, CRLF line ends, one header glued to the body.
    const mangled = alipayPem
      .split('\n')
      .map((line) => (line.startsWith('-----') ? line : line.replace(/(.{20})/g, '$1 \t')))
      .join('\r\n')
      .replace('-----\r\n', '-----');
    expect(getCertSn(der)).toBe(expected.alipayCertSn);
    expect(getCertSn(new TextEncoder().encode(alipayPem))).toBe(expected.alipayCertSn);
    expect(getCertSn(mangled)).toBe(expected.alipayCertSn);
    expect(getRootCertSn(rootPem.replace(/\n/g, '\r\n'))).toBe(expected.rootCertSn);
  });

  it('uses the first certificate of a multi-certificate PEM, like the Alipay SDKs', () => {
    expect(getCertSn(alipayPem + appPem)).toBe(expected.alipayCertSn);
  });
});

describe('real Alipay certificates: key extraction', () => {
  it('extracts the RSA public key of alipayCertPublicKey_RSA2.crt', () => {
    const cert = parseAlipayCertificate(alipayPem);
    expect(cert.spkiBase64).toBe(expected.alipayCertPublicKeyBase64);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')).toBe(
      expected.alipayCertPublicKeyBase64,
    );
    expect(cert.sn).toBe(expected.alipayCertSn);
    expect(cert.serialNumber).toBe(expected.derivation.alipayCert.serialDecimal);
    expect(cert.subject).toBe(expected.derivation.alipayCert.subject);
    expect(cert.issuer).toBe(expected.derivation.alipayCert.issuer);
    expect(cert.issuerCommonName).toBe('Ant Financial Certification Authority Class 2 R1');
    expect(cert.notAfter.toISOString()).toBe('2022-05-14T14:42:01.000Z');
    expect(cert.chainDer).toHaveLength(1);
  });

  it('tells the Alipay certificate, the app certificate and a root apart', () => {
    expect(parseAlipayCertificate(alipayPem).kind).toBe('alipay');
    const app = parseAlipayCertificate(appPem);
    expect(app.kind).toBe('app');
    expect(app.issuerCommonName).toBe('Ant Financial Certification Authority Class 1 R1');
    expect(app.subjectCommonName).toBe('2088831204659217-2021001161683774');
    // The first root of the bundle is SM2: not an RSA key, so not usable as an Alipay cert.
    expect(codeOf(() => parseAlipayCertificate(rootPem))).toBe('CERT_INVALID');
    expect(parseAlipayCertificate(splitPemCertificates(rootPem)[1]!).kind).toBe('root');
  });

  it('loads before expiry when no root bundle is given, and reports expiry after', () => {
    expect(loadAlipayCertificate(alipayPem, { now: BEFORE_EXPIRY }).sn).toBe(expected.alipayCertSn);
    expect(codeOf(() => loadAlipayCertificate(alipayPem))).toBe('CERT_EXPIRED');
    const error = checkAlipayCertificate(parseAlipayCertificate(alipayPem));
    expect(error?.code).toBe('CERT_EXPIRED');
    expect(error?.message).toContain('expired on 2022-05-14T14:42:01.000Z');
  });

  it('cannot chain the real leaf to the bundle: its intermediate CA is not shipped', () => {
    const error = checkAlipayCertificate(parseAlipayCertificate(alipayPem), {
      rootBundle: rootPem,
      now: BEFORE_EXPIRY,
    });
    expect(error?.code).toBe('CERT_UNTRUSTED');
    expect(error?.message).toContain('Ant Financial Certification Authority Class 2 R1');
  });
});

describe('real Alipay root bundle', () => {
  it('keeps the two RSA roots as trust anchors and skips SM2 and ECDSA', () => {
    const bundle = loadRootBundle(rootPem);
    expect(bundle.rootCertSn).toBe(expected.rootCertSn);
    expect(bundle.roots.map((r) => r.commonName)).toEqual([
      'Ant Financial Certification Authority R1',
      'iTrusChina Class 2 Root CA - G3',
    ]);
    expect(bundle.roots.map((r) => r.sn)).toEqual(expected.rootCertSn.split('_'));
    expect(bundle.skipped).toBe(2);
  });
});
