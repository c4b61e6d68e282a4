export { createVerifier, verifyNotify } from './verifier.js';
export { NotifyError, isNotifyError, NOTIFY_ERROR_CODES, type NotifyErrorCode } from './errors.js';
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
