// Everything both root entries export that does not depend on the runtime. The entries
// (index.ts: node:crypto; index.web.ts: WebCrypto) add the functions that do.
export { DEFAULT_MAX_BODY_BYTES } from './verifier.js';
export type { AppCertificates, AppKeys, KeysByAppOptions } from './keys/keys-by-app.js';
export { splitPemCertificates } from './keys/pem.js';
export type { RootBundle, TrustAnchor } from './keys/cert-chain.js';
export type { AlipayCertificate, AlipayCertificateKind, CertificateCheckOptions } from './keys/cert.js';
export { parseNotifyBody, type FormParam, type ParsedNotifyBody, type ParseResult } from './parse/form.js';
export { buildSignContent, type BuildSignContentOptions } from './canonical/build.js';
export type { EmptyValues } from './canonical/sign-content.js';
export { isTradeNotification } from './model/build.js';
export * from './handler/index.js';
export { NotifyError, isNotifyError, NOTIFY_ERROR_CODES, DEFAULT_HINTS, type NotifyErrorCode } from './errors.js';
export type { NotifyCharset } from './parse/charset.js';
export type {
  KeyInput,
  KeyProvider,
  KeyProviderContext,
  MatchedKey,
  NotifyBody,
  NotifyVerifier,
  SignType,
  SignedContent,
  VerifierOptions,
  VerifyFailure,
  VerifyResult,
  VerifySuccess,
} from './types.js';
export type * from './model/types.js';
