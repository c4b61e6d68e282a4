/**
 * The WebCrypto provider: `crypto.subtle` (Workers, Deno, browsers, and Node's own
 * `globalThis.crypto.subtle`). No node:* import here: this is the build every non-Node
 * export condition gets.
 */
import type { SignType } from '../types.js';
import type { CryptoProvider } from './provider.js';

const NAME = 'RSASSA-PKCS1-v1_5';
const ALGORITHM: Readonly<Record<SignType, RsaHashedImportParams>> = {
  RSA2: { name: NAME, hash: 'SHA-256' },
  RSA: { name: NAME, hash: 'SHA-1' },
};

/**
 * An RSA public key for WebCrypto. A CryptoKey is bound to one hash, so one is imported
 * per sign type, on first use, and kept: the promise while importing, then the key itself.
 */
export interface WebCryptoKey {
  readonly spki: Uint8Array<ArrayBuffer>;
  RSA2?: CryptoKey | Promise<CryptoKey>;
  RSA?: CryptoKey | Promise<CryptoKey>;
}

function subtleOf(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
}

/**
 * A WebCrypto provider. `subtle` defaults to `globalThis.crypto.subtle`, looked up when a
 * key is configured (not at import time, so importing never fails).
 */
export function createWebCryptoProvider(subtle?: SubtleCrypto): CryptoProvider<WebCryptoKey> {
  const use = (): SubtleCrypto => {
    const found = subtle ?? subtleOf();
    if (!found) {
      throw new TypeError(
        'This runtime has no WebCrypto (globalThis.crypto.subtle): alipay-notify cannot verify signatures here. ' +
          'On Node, import alipay-notify with the "node" export condition (the default under Node).',
      );
    }
    return found;
  };

  const keyFor = (signType: SignType, handle: WebCryptoKey): CryptoKey | Promise<CryptoKey> => {
    const cached = handle[signType];
    if (cached !== undefined) return cached;
    const pending = use()
      .importKey('spki', handle.spki, ALGORITHM[signType], false, ['verify'])
      .then((key) => (handle[signType] = key));
    handle[signType] = pending;
    return pending;
  };

  return {
    name: 'webcrypto',
    keyForms: 'a PEM or base64 string or DER bytes (KeyObject needs the Node build)',
    importKey(spki) {
      use(); // fail at configuration time on a runtime without crypto.subtle
      return { spki: spki.slice() };
    },
    nativeKey() {
      return undefined;
    },
    verify(signType, handle, data, signature) {
      // The verifier builds the signed bytes in scratch memory that the next notification
      // reuses: hand WebCrypto its own copy (the spec copies too, but not every runtime did).
      const bytes = data.slice();
      const key = keyFor(signType, handle);
      const sig = signature as Uint8Array<ArrayBuffer>; // decoded by the verifier: never shared memory
      if (key instanceof Promise) return key.then((k) => use().verify(NAME, k, sig, bytes));
      return use().verify(NAME, key, sig, bytes);
    },
  };
}

/** The provider of the WebCrypto build: `globalThis.crypto.subtle`. */
export const webCrypto: CryptoProvider<WebCryptoKey> = createWebCryptoProvider();
