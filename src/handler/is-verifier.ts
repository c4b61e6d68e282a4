import type { NotifyVerifier } from '../types.js';

/**
 * A ready-made verifier (from createVerifier), as opposed to the VerifierOptions to create one.
 * Shared by the handler and the framework adapters (src/adapters/core.ts); imports types only.
 */
export function isVerifier(v: unknown): v is NotifyVerifier {
  return typeof v === 'object' && v !== null && typeof (v as { verify?: unknown }).verify === 'function';
}
