/**
 * The Alipay public-key certificate (支付宝公钥证书, alipayCertPublicKey_RSA2.crt): read it,
 * extract its RSA key, and check its dates and its chain to alipayRootCert.crt
 * (protocol.md §4.1-4.3). Loading happens once per configuration; the verifier then uses
 * `publicKey` like a plain Alipay public key.
 */
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from '../crypto/node.js';
import { NotifyError } from '../errors.js';
import { canCheckChains, findChainPath, loadRootBundle, toChainLinks, type RootBundle } from './cert-chain.js';
import { outsideWindow } from './cert-common.js';
import { certSnOf, parseBundle } from './cert-sn.js';
import { classifyKeyDer } from './der.js';
import { commonName, formatRfc2253 } from './dn.js';
import { parseX509, type X509Info } from './x509.js';

/**
 * What a certificate looks like, from its names (a heuristic, for error messages):
 * - `alipay`: an Alipay public-key certificate (issuer `Ant Financial Certification Authority Class 2 R1`);
 * - `app`: your app certificate, appCertPublicKey_*.crt (issuer `… Class 1 R1`, subject CN `<pid>-<appid>`);
 * - `root`: a self-signed root, e.g. the first certificate of alipayRootCert.crt;
 * - `unknown`: none of these.
 */
export type AlipayCertificateKind = 'alipay' | 'app' | 'root' | 'unknown';

export interface AlipayCertificate {
  /** The cert SN (`alipay_cert_sn`): md5 of issuer DN + decimal serial. */
  readonly sn: string;
  /** Serial number in decimal. */
  readonly serialNumber: string;
  /** The RSA public key that verifies notifications. */
  readonly publicKey: KeyObject;
  /** The key as the bare base64 SPKI the Alipay console shows for public-key mode. */
  readonly spkiBase64: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Subject DN, RFC 2253 (`CN=…,OU=…,O=…,C=…`). */
  readonly subject: string;
  /** Issuer DN, RFC 2253. */
  readonly issuer: string;
  readonly subjectCommonName: string | undefined;
  readonly issuerCommonName: string | undefined;
  readonly kind: AlipayCertificateKind;
  /** DER of every certificate in the file, leaf first; the others serve as intermediates. */
  readonly chainDer: readonly Uint8Array[];
}

type RootBundleInput = string | Uint8Array | RootBundle;

export interface CertificateCheckOptions {
  /** alipayRootCert.crt (PEM) or its `loadRootBundle` result. Without it, only dates are checked. */
  rootBundle?: RootBundleInput;
  /** The time to check validity at. Default: now. */
  now?: Date;
}

function guessKind(info: X509Info, subjectCn = '', issuerCn = ''): AlipayCertificateKind {
  if (formatRfc2253(info.subject) === formatRfc2253(info.issuer)) return 'root';
  // Issuer CNs of the real certificates, see fixtures/real/certs/expected.json.
  if (/Class 1 R\d+$/.test(issuerCn) || /^\d{16}-\d{16}$/.test(subjectCn)) return 'app';
  if (/Class 2 R\d+$/.test(issuerCn) || subjectCn.startsWith('支付宝')) return 'alipay';
  return 'unknown';
}

/** The certificate's key, read like a configured public key (keys/der.ts, then the provider). */
function rsaPublicKey(info: X509Info): KeyObject {
  const key = classifyKeyDer(info.spki);
  if (key.kind !== 'rsa-public') {
    throw new NotifyError(
      'CERT_INVALID',
      `The certificate holds no usable RSA key (key algorithm ${info.publicKeyAlgorithmOid}); ` +
        'only RSA2/RSA certificates are supported, not SM2.',
    );
  }
  try {
    return nodeCrypto.importKey(key.spki, 'The public key of the certificate');
  } catch (cause) {
    throw new NotifyError('CERT_INVALID', 'The public key of the certificate cannot be read.', { cause });
  }
}

/**
 * Reads an Alipay public-key certificate file: PEM with the leaf first, optionally followed
 * by its intermediate CA(s) (production alipayCertPublicKey_RSA2.crt files carry both).
 * Checks nothing about dates or trust. Throws `CERT_INVALID`.
 */
export function parseAlipayCertificate(cert: string | Uint8Array): AlipayCertificate {
  const infos = parseBundle(cert, 'the Alipay certificate file');
  const leaf = infos[0];
  if (!leaf) throw new NotifyError('CERT_INVALID', 'No certificate found.');
  const subjectCommonName = commonName(leaf.subject);
  const issuerCommonName = commonName(leaf.issuer);
  const publicKey = rsaPublicKey(leaf);
  return {
    sn: certSnOf(leaf),
    serialNumber: leaf.serial.toString(10),
    publicKey,
    spkiBase64: Buffer.from(leaf.spki).toString('base64'),
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    subject: formatRfc2253(leaf.subject),
    issuer: formatRfc2253(leaf.issuer),
    subjectCommonName,
    issuerCommonName,
    kind: guessKind(leaf, subjectCommonName, issuerCommonName),
    chainDer: infos.map((i) => i.der),
  };
}

/** How messages name a certificate: `"<CN, else the DN>" (SN <cert SN>)`. */
function certLabel(name: string, sn: string): string {
  return `"${name}" (SN ${sn})`;
}

function ownLabel(cert: AlipayCertificate): string {
  return certLabel(cert.subjectCommonName ?? cert.subject, cert.sn);
}

function linkLabel(info: X509Info): string {
  return certLabel(commonName(info.subject) ?? formatRfc2253(info.subject), certSnOf(info));
}

/** The CERT_EXPIRED error when `now` is outside `window`; `ownLabel` names the Alipay certificate when the window ends with it. */
function dateError(window: CertificateWindow, ownLabel: string, now: Date): NotifyError | undefined {
  const where = outsideWindow({ window }, now.getTime());
  if (where === 'early') {
    return new NotifyError('CERT_EXPIRED', `The certificate ${window.startsWith} is not valid before ${window.notBefore.toISOString()}.`);
  }
  if (where === 'late') {
    return new NotifyError('CERT_EXPIRED', `The certificate ${window.endsWithCa ?? ownLabel} expired on ${window.notAfter.toISOString()}.`);
  }
  return undefined;
}

function resolveBundle(rootBundle: RootBundleInput): RootBundle {
  return typeof rootBundle === 'string' || rootBundle instanceof Uint8Array ? loadRootBundle(rootBundle) : rootBundle;
}

function untrusted(cert: AlipayCertificate, bundle: RootBundle): NotifyError {
  const roots = bundle.roots.map((r) => r.commonName ?? r.sn).join('; ');
  return new NotifyError(
    'CERT_UNTRUSTED',
    `The certificate "${cert.subjectCommonName ?? cert.subject}" (issuer "${cert.issuerCommonName ?? cert.issuer}") ` +
      `does not chain to an RSA root of the bundle (${bundle.roots.length} usable: ${roots}).`,
  );
}

/**
 * The intermediates on the path from `cert` to an RSA root of the bundle, in issuing order
 * (none when a root issued it directly). Throws `CERT_UNTRUSTED` when there is no such path
 * or this runtime cannot check chains, `CERT_INVALID` for an unreadable bundle or chain.
 */
function trustedIntermediates(cert: AlipayCertificate, rootBundle: RootBundleInput): X509Info[] {
  const bundle = resolveBundle(rootBundle);
  if (!canCheckChains()) {
    throw new NotifyError('CERT_UNTRUSTED', 'This runtime has no node:crypto X509Certificate: the chain cannot be checked.');
  }
  const [leaf, ...pool] = toChainLinks(cert.chainDer.map(parseX509));
  const path = leaf ? findChainPath(leaf, pool, bundle.roots) : undefined;
  if (!path) throw untrusted(cert, bundle);
  return path.slice(1).map((link) => link.info);
}

/** When a certificate can be used: its own dates, narrowed by those of the intermediates of its chain. */
export interface CertificateWindow {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The certificate whose notBefore starts the window, e.g. `"支付宝…" (SN …)`: the Alipay certificate or an intermediate. */
  readonly startsWith: string;
  /** The intermediate CA whose notAfter ends the window, when it ends before the Alipay certificate's own. */
  readonly endsWithCa?: string;
}

/**
 * The validity window of an Alipay certificate, without checking it against any date: with
 * `rootBundle`, the certificate must chain to one of its RSA roots (else `CERT_UNTRUSTED`
 * is thrown) and the window is narrowed by the intermediates on that path. The verifier
 * loads certificates once and compares this window with the time of each notification.
 */
export function certificateWindow(cert: AlipayCertificate, rootBundle?: RootBundleInput): CertificateWindow {
  let window: CertificateWindow = { notBefore: cert.notBefore, notAfter: cert.notAfter, startsWith: ownLabel(cert) };
  if (rootBundle === undefined) return window;
  for (const info of trustedIntermediates(cert, rootBundle)) {
    if (info.notBefore.getTime() > window.notBefore.getTime()) window = { ...window, notBefore: info.notBefore, startsWith: linkLabel(info) };
    if (info.notAfter.getTime() < window.notAfter.getTime()) window = { ...window, notAfter: info.notAfter, endsWithCa: linkLabel(info) };
  }
  return window;
}

/**
 * Checks an Alipay certificate at `now`: validity dates of the leaf (`CERT_EXPIRED`), then,
 * when `rootBundle` is given, that it was issued by an RSA root of the bundle, directly or
 * through CA certificates shipped in the same file (`CERT_UNTRUSTED`), and the dates of
 * those intermediates. Returns the error, or undefined when the certificate is fine.
 */
export function checkAlipayCertificate(
  cert: AlipayCertificate,
  options: CertificateCheckOptions = {},
): NotifyError | undefined {
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new TypeError('checkAlipayCertificate: options.now is an invalid Date.');
  const label = ownLabel(cert);
  const error = dateError(certificateWindow(cert), label, now);
  if (error || options.rootBundle === undefined) return error;
  try {
    // The Alipay certificate's own dates passed: a date error now is an intermediate's.
    return dateError(certificateWindow(cert, options.rootBundle), label, now);
  } catch (cause) {
    if (cause instanceof NotifyError) return cause;
    throw cause;
  }
}

/**
 * Reads and checks an Alipay public-key certificate (`parseAlipayCertificate` then
 * `checkAlipayCertificate`). Throws a `NotifyError`: `CERT_INVALID`, `CERT_EXPIRED`
 * or `CERT_UNTRUSTED`.
 */
export function loadAlipayCertificate(cert: string | Uint8Array, options: CertificateCheckOptions = {}): AlipayCertificate {
  const parsed = parseAlipayCertificate(cert);
  const error = checkAlipayCertificate(parsed, options);
  if (error) throw error;
  return parsed;
}
