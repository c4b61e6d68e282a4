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
 * the bare base64 SPKI Alipay's console shows, DER bytes, or a node:crypto KeyObject.
 */
export type KeyInput = string | Uint8Array | KeyObject;

export interface KeyProviderContext {
  /** app_id of the notification (not yet verified: use it only to pick keys). */
  appId?: string;
  signType: SignType;
  /** alipay_cert_sn of the notification, when it carries one. */
  certSn?: string;
}

export type KeyProvider = (
  ctx: KeyProviderContext,
) => KeyInput | KeyInput[] | undefined | Promise<KeyInput | KeyInput[] | undefined>;

export interface VerifierOptions {
  /** The 支付宝公钥 (not your 应用公钥). An array is a rotation list: each is tried. */
  alipayPublicKey?: KeyInput | KeyInput[];
  /** Picks keys per notification (multi-app, rotation, secrets manager). */
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
  /** Index in the list of candidate keys (alipayPublicKey array or keyProvider result). */
  index: number;
  /** Serial number of the certificate, in certificate mode. */
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
