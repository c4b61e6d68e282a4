/**
 * Certificate serial numbers as Alipay computes them (Java `AntCertificationUtil`,
 * protocol.md §4.2). Pure node-forge: no node:crypto, so MD5 also works under FIPS.
 */
import { forge } from './forge.js';
import { NotifyError } from '../errors.js';
import { formatRfc2253 } from './dn.js';
import { readCertificateDers } from './pem.js';
import { parseX509, type X509Info } from './x509.js';

/** Java keeps a root when `getSigAlgOID().startsWith("1.2.840.113549.1.1")` (RSA family). */
function isRsaSignatureOid(oid: string): boolean {
  return oid.startsWith('1.2.840.113549.1.1');
}

function md5Hex(text: string): string {
  // Java hashes `String.getBytes()`; UTF-8 on every current JVM and in the Node SDK.
  // toHex() of the 16-byte digest is always 32 chars (Java's fillMD5 pads to the same).
  return forge().md.md5.create().update(text, 'utf8').digest().toHex();
}

/** The MD5 input: issuer DN (RFC 2253, most specific RDN first) + serial in decimal. */
export function certSnInput(info: X509Info): string {
  return formatRfc2253(info.issuer) + info.serial.toString(10);
}

export function certSnOf(info: X509Info): string {
  return md5Hex(certSnInput(info));
}

/**
 * The SN of a certificate, as Alipay computes it: md5 hex of the issuer DN written
 * `CN=…,OU=…,O=…,C=…` followed by the serial number in decimal. This is the value of
 * `app_cert_sn` (for your appCertPublicKey_*.crt) and of `alipay_cert_sn`.
 * Input: PEM (the first certificate is used, like the Alipay SDKs), PEM bytes or DER.
 * Throws a `NotifyError` with code `CERT_INVALID` when no certificate can be read.
 */
export function getCertSn(cert: string | Uint8Array): string {
  const [first] = readCertificateDers(cert);
  if (!first) throw new NotifyError('CERT_INVALID', 'No certificate found.');
  return certSnOf(parseX509(first));
}

/** Parses every certificate of a bundle; the message names the failing one (1-based). */
export function parseBundle(bundle: string | Uint8Array, label = 'the root bundle'): X509Info[] {
  return readCertificateDers(bundle).map((der, i) => {
    try {
      return parseX509(der);
    } catch (cause) {
      const reason = cause instanceof Error ? ` ${cause.message}` : '';
      throw new NotifyError('CERT_INVALID', `Certificate ${i + 1} of ${label}:${reason}`, { cause });
    }
  });
}

/** A root bundle as Alipay reads it: its RSA-signed certificates with their SNs, in file order. */
export interface RsaRoots {
  readonly rsa: readonly { readonly info: X509Info; readonly sn: string }[];
  /** `alipay_root_cert_sn`: the SNs joined with `_`. */
  readonly rootCertSn: string;
  /** How many certificates the bundle holds, RSA-signed or not. */
  readonly total: number;
}

/**
 * Reads a root bundle and keeps the certificates signed with an RSA algorithm (OID
 * 1.2.840.113549.1.1.*); SM2 and ECDSA certificates of alipayRootCert.crt are skipped.
 * Throws `CERT_INVALID` when a certificate cannot be read or none is RSA-signed.
 */
export function readRsaRoots(bundle: string | Uint8Array): RsaRoots {
  const all = parseBundle(bundle);
  const rsa = all.filter((info) => isRsaSignatureOid(info.signatureAlgorithmOid)).map((info) => ({ info, sn: certSnOf(info) }));
  if (rsa.length === 0) throw new NotifyError('CERT_INVALID', 'The root bundle has no RSA-signed certificate.');
  return { rsa, rootCertSn: rsa.map((r) => r.sn).join('_'), total: all.length };
}

/**
 * The value of `alipay_root_cert_sn`: the SNs of the bundle's certificates signed with an
 * RSA algorithm, in file order, joined with `_`. Throws `CERT_INVALID` when a certificate
 * cannot be read or none is RSA-signed (Java would return null, the Node SDK '').
 */
export function getRootCertSn(bundle: string | Uint8Array): string {
  return readRsaRoots(bundle).rootCertSn;
}
