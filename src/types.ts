import type { KeyObject } from 'node:crypto';
import type { NotifyError } from './errors.js';
import type { Notification } from './model/types.js';

/** What the verifier accepts: the raw body (best), or what a framework parsed from it. */
export type NotifyBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | URLSearchParams
  | Readonly<Record<string, string>>;

/** RSA2 = SHA256withRSA, RSA = SHA1withRSA (both PKCS#1 v1.5). */
export type SignType = 'RSA2' | 'RSA';

/** Which sign-string rule the signature matched: v1 excludes sign_type, v2 keeps it. */
export type SignedContent = 'v1' | 'v2';

/**
 * An Alipay public key: PEM SPKI (`BEGIN PUBLIC KEY`), PEM PKCS#1 (`BEGIN RSA PUBLIC KEY`),
 * the bare base64 SPKI Alipay's console shows, DER bytes, or a node:crypto KeyObject (the Node
 * build only: the WebCrypto build takes text and bytes).
 *
 * From a `keyProvider` or `keysByApp`, a PEM certificate (`BEGIN CERTIFICATE`, text or bytes)
 * is accepted too and used as an Alipay public-key certificate (see `alipayPublicCert`).
 * The `alipayPublicKey` option refuses certificates: use `alipayPublicCert` there.
 */
export type KeyInput = string | Uint8Array | KeyObject;

export interface KeyProviderContext {
  /** app_id of the notification (not yet verified: use it only to pick keys). */
  appId?: string;
  signType: SignType;
  /** alipay_cert_sn of the notification, when it carries one. */
  certSn?: string;
}

/**
 * Picks the keys of a notification: one key or certificate, a list (each is tried, and
 * `result.key.index` is the position in it), or undefined (`KEY_NOT_FOUND`, or the static
 * keys when `alipayPublicKey`/`alipayPublicCert` are also set). Called for every notification;
 * each distinct key or certificate is parsed once. Certificates it returns are checked against
 * `alipayRootCert` when that is set. `keysByApp()` builds one from a map of app ids.
 */
export type KeyProvider = (
  ctx: KeyProviderContext,
) => KeyInput | KeyInput[] | undefined | Promise<KeyInput | KeyInput[] | undefined>;

export interface VerifierOptions {
  /** The 支付宝公钥 (not your 应用公钥). An array is a rotation list: each is tried. */
  alipayPublicKey?: KeyInput | KeyInput[];
  /**
   * Certificate mode (公钥证书模式): the 支付宝公钥证书 `alipayCertPublicKey_RSA2.crt` (PEM text
   * or bytes, or DER), whose public key verifies notifications. Node build only: the
   * WebCrypto build throws a TypeError (docs/runtimes-and-packaging.md). A file may hold the Alipay
   * certificate followed by its intermediate CA. An array is a renewal list; `result.key`
   * is then `{ index, certSn }`.
   *
   * - Loaded once, by createVerifier. A certificate that does not parse, is your 应用公钥证书
   *   (appCertPublicKey_…crt) or a root certificate, or (with `alipayRootCert`) does not
   *   chain to a root of the bundle, throws a TypeError naming `alipayPublicCert[i]`; its
   *   `cause` is the NotifyError (CERT_INVALID or CERT_UNTRUSTED).
   * - Expiry: createVerifier throws (CERT_EXPIRED) only when every certificate has expired.
   *   At verify time a certificate outside its validity period (or that of its intermediate)
   *   is skipped; when none is left, the result is `CERT_EXPIRED` naming the SN and date.
   * - When a notification carries `alipay_cert_sn`, only the certificate with that SN is used
   *   (`KEY_NOT_FOUND` naming the SN if none has it); without it, every usable certificate is
   *   tried. `alipay_cert_sn` stays in the signed content (Java SDK semantics).
   *
   * May be combined with `alipayPublicKey` (while switching signing method); keys are tried first.
   */
  alipayPublicCert?: string | Uint8Array | Array<string | Uint8Array>;
  /**
   * The root bundle `alipayRootCert.crt` (PEM text or bytes). When set, each Alipay
   * certificate (from `alipayPublicCert` or returned by `keyProvider`) must chain to one of
   * its RSA roots, directly or through the intermediate in its own file. The SM2 and ECDSA
   * roots of the bundle are skipped. Without it, only the dates are checked.
   */
  alipayRootCert?: string | Uint8Array;
  /** Picks keys per notification (multi-app, rotation, secrets manager); see `keysByApp`. */
  keyProvider?: KeyProvider;
  /** Allow-list of algorithms; the payload's sign_type selects within it. Default ['RSA2']. */
  signTypes?: SignType[];
  /** Expected app_id (auth_app_id is accepted too, for ISV setups). Checked after the signature. */
  appId?: string | string[];
  /** Expected seller_id. Checked after the signature. */
  sellerId?: string | string[];
  /** Largest accepted body, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** Which configured key verified the notification. */
export interface MatchedKey {
  /**
   * Position of the key in the list it was configured in: `alipayPublicKey` for keys,
   * `alipayPublicCert` for certificates, else the keyProvider result (or the app's list in
   * keysByApp). 0 for a single key.
   */
  index: number;
  /** In certificate mode: the SN of the certificate that matched (`alipay_cert_sn`). */
  certSn?: string;
}

export interface VerifySuccess {
  ok: true;
  notify: Notification;
  /** The signed parameters (plus sign_type), decoded. Never contains unsigned parameters. */
  params: Readonly<Record<string, string>>;
  signType: SignType;
  signedContent: SignedContent;
  key: MatchedKey;
}

export interface VerifyFailure {
  ok: false;
  error: NotifyError;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

export interface NotifyVerifier {
  /** Never throws, whatever the body: failures come back as `{ ok: false, error }`. */
  verify(body: NotifyBody): Promise<VerifyResult>;
}
