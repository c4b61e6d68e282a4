import { verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { SignType } from '../types.js';

/** RSA2 = SHA256withRSA, RSA = SHA1withRSA, both RSASSA-PKCS1-v1_5 (protocol.md §0). */
export const HASH_OF: Readonly<Record<SignType, 'sha256' | 'sha1'>> = { RSA2: 'sha256', RSA: 'sha1' };

/** One-shot node:crypto verification with a cached KeyObject: the cheapest path on Node. */
export function verifyRsa(signType: SignType, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeVerify(HASH_OF[signType], data, key, signature);
  } catch {
    return false;
  }
}
