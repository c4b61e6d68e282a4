export { createVerifier, verifyNotify, DEFAULT_MAX_BODY_BYTES } from './verifier.js';
export { keysByApp, type AppCertificates, type AppKeys, type KeysByAppOptions } from './keys/keys-by-app.js';
// Certificate functions. node-forge is loaded on their first call, not by this import.
export {
  getCertSn,
  getRootCertSn,
  splitPemCertificates,
  loadRootBundle,
  checkAlipayCertificate,
  loadAlipayCertificate,
  parseAlipayCertificate,
  type RootBundle,
  type TrustAnchor,
  type AlipayCertificate,
  type AlipayCertificateKind,
  type CertificateCheckOptions,
} from './keys/index.js';
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
