import type { SignType } from '../types.js';

/** RSA2 = SHA256withRSA, RSA = SHA1withRSA, both RSASSA-PKCS1-v1_5 (protocol.md §0). */
export const HASH_OF: Readonly<Record<SignType, 'sha256' | 'sha1'>> = { RSA2: 'sha256', RSA: 'sha1' };

/** A key the runtime already holds in its own form (a node:crypto KeyObject), adopted as is. */
export interface NativeKey<Handle> {
  readonly handle: Handle;
  readonly modulusBits: number;
}

/**
 * The one thing that differs between the Node build and the WebCrypto build: how an RSA
 * public key is held and how a signature is checked. Everything else (parsing, the sign
 * string, key lookup, the model) is shared.
 *
 * - `importKey` runs at configuration time, once per key: node:crypto builds a KeyObject;
 *   WebCrypto keeps the SPKI and imports a CryptoKey per hash on first use (then cached).
 * - `verify` is synchronous on node:crypto (the hot path never awaits there) and returns a
 *   Promise on WebCrypto. It returns false for a signature that does not verify; the
 *   WebCrypto provider rejects only when the runtime cannot use the key at all.
 */
export interface CryptoProvider<Handle = unknown> {
  /** 'node:crypto' or 'webcrypto'. */
  readonly name: string;
  /**
   * Prepares a DER SubjectPublicKeyInfo of an RSA key (already checked by the key parser)
   * for verify(). Throws a TypeError naming `option` when the runtime cannot use it.
   */
  importKey(spki: Uint8Array, option: string): Handle;
  /**
   * A runtime-native key object passed as a KeyInput (a node:crypto KeyObject), or
   * undefined when `input` is not one this provider knows. Throws a TypeError naming
   * `option` when it is a native key but not an RSA public key.
   */
  nativeKey(input: object, option: string): NativeKey<Handle> | undefined;
  /** What a KeyInput may be on this runtime, for error messages. */
  readonly keyForms: string;
  verify(signType: SignType, handle: Handle, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
