/**
 * Test-time PKI: RSA keys from node:crypto (fast), certificates built and signed with
 * node-forge. Nothing here is shipped.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestKey {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  /** Bare base64 SPKI, as the Alipay console shows it. */
  readonly spkiBase64: string;
  /** PKCS#8 PEM, for signNotify (plays Alipay signing with the certificate's key). */
  readonly privateKeyPem: string;
}

export function rsaKey(bits = 2048): TestKey {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey),
    spkiBase64: pair.publicKey.replace(/-----[^-]+-----|\s+/g, ''),
    privateKeyPem: pair.privateKey,
  };
}

export interface Issued {
  readonly cert: forge.pki.Certificate;
  readonly key: TestKey;
  readonly pem: string;
}

export interface CertSpec {
  /** Subject attributes, most general first (C, O, OU, CN). */
  subject: forge.pki.CertificateField[];
  key: TestKey;
  /** Hex, positive (keep the first nibble below 8 or prefix 00). */
  serial: string;
  /** Issuing certificate; omitted = self-signed. */
  issuer?: Issued;
  ca?: boolean;
  /** Leave out the keyUsage extension (OpenSSL then only has basicConstraints to go by). */
  noKeyUsage?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

export const DAY = 86_400_000;

export function issue(spec: CertSpec): Issued {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.key.publicKey;
  cert.serialNumber = spec.serial;
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * DAY);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : spec.subject);
  const keyUsage = spec.ca
    ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
    : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true };
  const basic = spec.ca ? [{ name: 'basicConstraints', cA: true, critical: true }] : [];
  cert.setExtensions(spec.noKeyUsage ? basic : [...basic, keyUsage]);
  cert.sign((spec.issuer?.key ?? spec.key).privateKey, forge.md.sha256.create());
  return { cert, key: spec.key, pem: forge.pki.certificateToPem(cert) };
}

/** Alipay-like distinguished names: C, O, OU, CN (DER order), UTF8 for non-ASCII. */
export function dn(cn: string, ou = 'Certification Authority', o = 'Test Financial'): forge.pki.CertificateField[] {
  const utf8 = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? {} : { valueTagClass: 12 as forge.asn1.Class });
  return [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: o, ...utf8(o) },
    { shortName: 'OU', value: ou, ...utf8(ou) },
    { shortName: 'CN', value: cn, ...utf8(cn) },
  ];
}

/** A CA certificate named `cn` (C, O, OU, CN like dn()): self-signed without `issuer`. */
export function issueCa(
  cn: string,
  key: TestKey,
  serial: string,
  issuer?: Issued,
  dates: Pick<CertSpec, 'notBefore' | 'notAfter'> = {},
): Issued {
  return issue({ subject: dn(cn), key, serial, ca: true, issuer, ...dates });
}

/** A test CA: root -> intermediate ("Class 2 R1", like Alipay's), plus an unrelated root. */
export interface TestCa {
  keys: { root: TestKey; inter: TestKey; leaf: TestKey; other: TestKey };
  root: Issued;
  inter: Issued;
  otherRoot: Issued;
}

export function testCa(): TestCa {
  const keys = { root: rsaKey(), inter: rsaKey(), leaf: rsaKey(), other: rsaKey() };
  const root = issueCa('Test Financial Certification Authority R1', keys.root, '1fcfa18d6a480d11');
  const otherRoot = issueCa('Other Root CA', keys.other, '02');
  const inter = issueCa('Test Financial Certification Authority Class 2 R1', keys.inter, '3a', root);
  return { keys, root, inter, otherRoot };
}
