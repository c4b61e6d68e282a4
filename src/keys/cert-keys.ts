/**
 * Alipay certificates as verification keys (公钥证书模式). A certificate is read, checked
 * (kind, chain) and turned into a VerificationKey once per configuration or key material;
 * its validity window travels with the key, so expiry is a comparison per notification,
 * never a re-parse.
 */
import { NotifyError, isNotifyError } from '../errors.js';
import { loadRootBundle, type RootBundle } from './cert-chain.js';
import { certificateWindow, parseAlipayCertificate, type AlipayCertificate } from './cert.js';
import { getRootCertSn } from './cert-sn.js';
import { readCertificateDers } from './pem.js';
import type { VerificationKey } from './key-input.js';

/** A certificate file: PEM text (leaf first, then intermediates), PEM bytes, or DER. */
export type CertInput = string | Uint8Array;

const CERT_PEM = /-----\s*BEGIN\s+(?:X509\s+)?CERTIFICATE\s*-----/;
const DASHES = 0x2d;

/** True when a key input is in fact a PEM certificate (text or bytes). Cheap: no parsing. */
export function isCertificatePem(input: unknown): input is CertInput {
  if (typeof input === 'string') return CERT_PEM.test(input);
  if (input instanceof Uint8Array) {
    const start = input.findIndex((b) => b > 0x20);
    if (start < 0 || input[start] !== DASHES) return false;
    return CERT_PEM.test(new TextDecoder('latin1').decode(input.subarray(start, start + 64)));
  }
  return false;
}

function looksLikeRootBundle(input: CertInput): boolean {
  try {
    return readCertificateDers(input).length > 1 && getRootCertSn(input) !== '';
  } catch {
    return false;
  }
}

/**
 * Reads an Alipay public-key certificate for verification: refuses the app certificate
 * (应用公钥证书) and root certificates, which people pass by mistake. Throws `CERT_INVALID`.
 */
export function readAlipayCertificate(input: CertInput): AlipayCertificate {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new NotifyError('CERT_INVALID', 'A certificate must be PEM text, PEM bytes or DER bytes.');
  }
  let cert: AlipayCertificate;
  try {
    cert = parseAlipayCertificate(input);
  } catch (error) {
    if (isNotifyError(error) && looksLikeRootBundle(input)) {
      throw new NotifyError(
        'CERT_INVALID',
        'This looks like alipayRootCert.crt (a bundle of root certificates): pass it as alipayRootCert, and alipayCertPublicKey_RSA2.crt as the Alipay certificate.',
        { cause: error },
      );
    }
    throw error;
  }
  if (cert.kind === 'app') {
    throw new NotifyError(
      'CERT_INVALID',
      `This looks like your 应用公钥证书 (app certificate appCertPublicKey_<appid>.crt, issuer "${cert.issuerCommonName ?? cert.issuer}"), ` +
        'which only serves app_cert_sn in your requests. Notifications are verified with the 支付宝公钥证书: pass alipayCertPublicKey_RSA2.crt.',
    );
  }
  if (cert.kind === 'root') {
    throw new NotifyError(
      'CERT_INVALID',
      `This is a self-signed root certificate ("${cert.subjectCommonName ?? cert.subject}"), e.g. from alipayRootCert.crt: ` +
        'pass the root bundle as alipayRootCert, and alipayCertPublicKey_RSA2.crt as the Alipay certificate.',
    );
  }
  return cert;
}

/**
 * The verification key of a certificate read by readAlipayCertificate. With `rootBundle`,
 * the certificate must chain to one of its RSA roots (`CERT_UNTRUSTED` otherwise). Dates are
 * not checked here: they become the key's validity window.
 */
export function certificateKey(cert: AlipayCertificate, rootBundle: RootBundle | undefined): VerificationKey {
  const window = certificateWindow(cert, rootBundle);
  const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048;
  return {
    keyObject: cert.publicKey,
    signatureLength: Math.ceil(bits / 8),
    certSn: cert.sn,
    validFrom: window.notBefore.getTime(),
    validTo: window.notAfter.getTime(),
    window,
  };
}

/** readAlipayCertificate + certificateKey. Throws `CERT_INVALID` or `CERT_UNTRUSTED`. */
export function loadCertificateKey(input: CertInput, rootBundle: RootBundle | undefined): VerificationKey {
  return certificateKey(readAlipayCertificate(input), rootBundle);
}

/** True when `key` is a certificate key whose window has ended at `now` (ms). */
export function hasExpired(key: VerificationKey, now: number): boolean {
  return key.validTo !== undefined && now > key.validTo;
}

/** The CERT_EXPIRED error for a certificate key outside its window at `now` (ms). */
export function certificateDateError(key: VerificationKey, now: number): NotifyError {
  const window = key.window;
  const sn = key.certSn ?? '(unknown)';
  if (!window) return new NotifyError('CERT_EXPIRED', `The Alipay certificate SN ${sn} is outside its validity period.`);
  const fix =
    'Download the current alipayCertPublicKey_RSA2.crt from the Alipay open platform (接口加签方式) and add it to your configuration ' +
    '(during a renewal, keep both: the notification picks its certificate by alipay_cert_sn).';
  if (now < window.notBefore.getTime()) {
    const date = window.notBefore.toISOString();
    return new NotifyError('CERT_EXPIRED', `The Alipay certificate SN ${sn} is not valid before ${date}.`, {
      hint: `The certificate ${window.startsWith} is not valid before ${date}, and no other configured certificate is usable now. ` +
        'Check the system clock, or configure the certificate Alipay uses today.',
    });
  }
  const date = window.notAfter.toISOString();
  const whose = window.endsWith.endsWith(`(SN ${sn})`) ? '' : ` (its CA ${window.endsWith} expired)`;
  return new NotifyError('CERT_EXPIRED', `The Alipay certificate SN ${sn} expired on ${date}${whose}.`, {
    hint: `The Alipay certificate SN ${sn} is valid until ${date}${whose}, and no other configured certificate is usable. ${fix}`,
  });
}

/** alipayRootCert / rootCert options: parsed once. Throws a TypeError naming the option. */
export function readRootBundleOption(bundle: unknown, option: string): RootBundle {
  if (typeof bundle !== 'string' && !(bundle instanceof Uint8Array)) {
    throw new TypeError(`${option} must be the PEM text (or bytes) of alipayRootCert.crt.`);
  }
  try {
    return loadRootBundle(bundle);
  } catch (error) {
    throw configError(option, error);
  }
}

/** A TypeError for a configuration problem found while loading a key or certificate. */
export function configError(option: string, error: unknown): TypeError {
  if (isNotifyError(error)) return new TypeError(`${option}: ${error.message} (${error.code})`, { cause: error });
  if (error instanceof TypeError) return error;
  return new TypeError(`${option}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
