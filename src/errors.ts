/**
 * Stable error codes. Each failure a caller can see maps to exactly one code; the
 * message and hint say what went wrong without echoing key material or payload values.
 */
export const NOTIFY_ERROR_CODES = [
  'BODY_EMPTY',
  'BODY_TOO_LARGE',
  'BODY_MALFORMED',
  'DUPLICATE_PARAM',
  'CHARSET_UNSUPPORTED',
  'SIGN_MISSING',
  'SIGN_MALFORMED',
  'SIGN_TYPE_NOT_ALLOWED',
  'KEY_NOT_FOUND',
  'SIGNATURE_INVALID',
  'APP_ID_MISMATCH',
  'SELLER_ID_MISMATCH',
  'FIELD_INVALID',
  'CERT_INVALID',
  'CERT_EXPIRED',
  'CERT_UNTRUSTED',
] as const;

export type NotifyErrorCode = (typeof NOTIFY_ERROR_CODES)[number];

/** Default hints: one sentence each, on how to fix the usual cause. */
export const DEFAULT_HINTS: Readonly<Record<NotifyErrorCode, string>> = {
  BODY_EMPTY:
    'The body is empty. Pass the raw request body: Alipay sends the malformed Content-Type ' +
    '"application/x-www-form-urlencoded; text/html; charset=UTF-8", which many body parsers reject and then hand over an empty body.',
  BODY_TOO_LARGE:
    'The body is larger than maxBodyBytes; real Alipay notifications are a few KiB. Raise maxBodyBytes only if you really receive larger ones.',
  BODY_MALFORMED:
    'The body is not a valid application/x-www-form-urlencoded form. Pass the raw body exactly as received, not a re-encoded or re-parsed copy.',
  DUPLICATE_PARAM:
    'A parameter appears more than once. Alipay never sends duplicates; this body was altered or forged (or query parameters were merged into it).',
  CHARSET_UNSUPPORTED:
    'The charset parameter names an encoding this library does not verify. Supported: utf-8, gbk, gb2312, gb18030.',
  SIGN_MISSING: 'The body has no sign parameter. Pass the full raw body Alipay posted to your notify_url.',
  SIGN_MALFORMED: 'The sign parameter is not strict base64 of an RSA signature.',
  SIGN_TYPE_NOT_ALLOWED:
    'The sign_type of the notification is not in the signTypes allow-list of your configuration (default ["RSA2"]).',
  KEY_NOT_FOUND: 'No Alipay public key is configured for this notification.',
  SIGNATURE_INVALID:
    'The signature does not match. Most often the key is the 应用公钥 (app public key) instead of the 支付宝公钥 (Alipay public key), ' +
    'or the body was re-encoded or parsed by a framework before verification: pass the raw body.',
  APP_ID_MISMATCH:
    'The notification is genuine but for an app_id (and auth_app_id) that is not in the appId option. Check sandbox vs production and multi-app setups.',
  SELLER_ID_MISMATCH: 'The notification is genuine but its seller_id is not in the sellerId option.',
  FIELD_INVALID: 'The notification is genuine but a typed field does not have the documented format.',
  CERT_INVALID:
    'The certificate cannot be read. Pass the PEM text of alipayCertPublicKey_RSA2.crt (BEGIN CERTIFICATE blocks) and of alipayRootCert.crt ' +
    'as downloaded from the Alipay open platform, not a key, a file path or a re-encoded copy.',
  CERT_EXPIRED:
    'The Alipay public-key certificate (or its intermediate) is outside its validity period. ' +
    'Download the current alipayCertPublicKey_RSA2.crt from the Alipay open platform (接口加签方式) and configure it.',
  CERT_UNTRUSTED:
    'The certificate does not chain to an RSA root of alipayRootCert.crt. Use the 支付宝公钥证书 (alipayCertPublicKey_RSA2.crt, with its ' +
    'intermediate CA if Alipay shipped one) and the alipayRootCert.crt from the same download (sandbox and production files do not mix).',
};

export interface NotifyErrorOptions {
  hint?: string;
  /** Name of the parameter concerned (never its value). */
  param?: string;
  cause?: unknown;
}

/** The one error type this library reports. `verify` returns it; it never throws it. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly code: NotifyErrorCode;
  readonly hint: string;
  /** Name of the parameter concerned, when there is one (never its value). */
  declare readonly param?: string;

  constructor(code: NotifyErrorCode, message: string, options: NotifyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint ?? DEFAULT_HINTS[code];
    if (options.param !== undefined) this.param = options.param;
  }
}

/** Type guard usable across module copies (checks the shape, not the class identity). */
export function isNotifyError(value: unknown): value is NotifyError {
  return (
    value instanceof NotifyError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'NotifyError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
