/**
 * Alipay certificates as verification keys (公钥证书模式). A certificate is read, checked
 * (kind, chain) and turned into a VerificationKey once per configuration or key material;
 * its validity window travels with the key, so expiry is a comparison per notification,
 * never a re-parse.
 */
import { nodeCrypto } from '../crypto/node.js';
import { NotifyError, isNotifyError } from '../errors.js';
import { loadRootBundle, type RootBundle } from './cert-chain.js';
import { certificateWindow, parseAlipayCertificate, type AlipayCertificate } from './cert.js';
import { getRootCertSn } from './cert-sn.js';
import { readCertificateDers } from './pem.js';
import { parsePublicKey, type CertificateKey } from './key-input.js';
import { configError, type CertInput } from './cert-common.js';
import type { CertificateSupport } from '../runtime/types.js';

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
export function certificateKey(cert: AlipayCertificate, rootBundle: RootBundle | undefined): CertificateKey {
  const window = certificateWindow(cert, rootBundle);
  const { handle, signatureLength } = parsePublicKey(cert.publicKey, 'The Alipay certificate', nodeCrypto);
  return { handle, signatureLength, certSn: cert.sn, window };
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

/** Certificate mode on Node: node-forge reads, node:crypto's X509Certificate checks chains. */
export const nodeCertificates: CertificateSupport = { readRootBundleOption, readAlipayCertificate, certificateKey };
