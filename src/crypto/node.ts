import { createPublicKey, KeyObject, verify as nodeVerify } from 'node:crypto';
import { PRIVATE_KEY_MESSAGE, nonRsa } from '../keys/key-input.js';
import type { SignType } from '../types.js';
import { HASH_OF, type CryptoProvider, type NativeKey } from './provider.js';

/** One-shot node:crypto verification with a cached KeyObject: the cheapest path on Node. */
function verifyRsa(signType: SignType, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeVerify(HASH_OF[signType], data, key, signature);
  } catch {
    return false;
  }
}


function nativeKey(input: object, option: string): NativeKey<KeyObject> | undefined {
  if (!(input instanceof KeyObject)) return undefined;
  if (input.type !== 'public') throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
  if (input.asymmetricKeyType !== 'rsa') throw nonRsa(option, input.asymmetricKeyType ?? 'non-RSA');
  return { handle: input, modulusBits: input.asymmetricKeyDetails?.modulusLength ?? 2048 };
}

/** node:crypto: KeyObjects, synchronous verification. What the `node` export condition gets. */
export const nodeCrypto: CryptoProvider<KeyObject> = {
  name: 'node:crypto',
  keyForms: 'a PEM or base64 string, DER bytes, or a KeyObject',
  importKey(spki, option) {
    try {
      return createPublicKey({ key: spki as Buffer, format: 'der', type: 'spki' });
    } catch (cause) {
      throw new TypeError(`${option} does not parse as an RSA public key.`, { cause });
    }
  },
  nativeKey,
  verify: verifyRsa,
};
