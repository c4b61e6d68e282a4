import type { NotifyBody, NotifyVerifier, VerifierOptions, VerifyResult } from './types.js';

// Placeholder: implemented by the core issue.
export function createVerifier(_options: VerifierOptions): NotifyVerifier {
  throw new Error('not implemented yet');
}

export function verifyNotify(body: NotifyBody, options: VerifierOptions): Promise<VerifyResult> {
  return createVerifier(options).verify(body);
}
