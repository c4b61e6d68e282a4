/**
 * Alipay public keys from configuration: PEM or bare base64 text, or DER bytes, parsed
 * without node:crypto (keys/der.ts) so both builds accept and refuse exactly the same
 * inputs with the same messages; the crypto provider then imports the SPKI once.
 */
import { decodeBase64Loose } from '../crypto/base64.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { KeyInput } from '../types.js';
import type { CertificateWindow } from './cert.js';
import { classifyKeyDer } from './der.js';

interface KeyBase {
  /** What the crypto provider verifies with (a KeyObject on Node, a WebCrypto key holder off Node). */
  readonly handle: unknown;
  /** Signature length in bytes (the modulus length). */
  readonly signatureLength: number;
}

/** A plain Alipay public key (公钥模式): usable at any time. */
export interface PlainKey extends KeyBase {
  readonly certSn?: undefined;
  readonly window?: undefined;
}

/** The key of an Alipay certificate (公钥证书模式). */
export interface CertificateKey extends KeyBase {
  /** The SN of the Alipay certificate (`alipay_cert_sn`). */
  readonly certSn: string;
  /** When the key is usable: the certificate's dates narrowed by its intermediates (certificateWindow). */
  readonly window: CertificateWindow;
}

/** A parsed Alipay public key, ready for verification. `window` tells the two kinds apart. */
export type VerificationKey = PlainKey | CertificateKey;

/** An RSA public key read from configuration, before the provider imports it. */
export interface RsaPublicKeyDer {
  /** DER SubjectPublicKeyInfo (PKCS#1 keys are wrapped). */
  readonly spki: Uint8Array;
  readonly modulusBits: number;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

export const PRIVATE_KEY_MESSAGE =
  'is a private key. Configure the 支付宝公钥 (Alipay public key) from the Alipay console, never a private key.';

const CERTIFICATE_MESSAGE =
  'is a certificate. In public-key certificate mode (公钥证书模式) pass alipayCertPublicKey_RSA2.crt as alipayPublicCert instead.';

function base64Body(text: string): Uint8Array | undefined {
  // Keys pasted from JSON/env files may carry literal "\n" sequences; chat apps add spaces (P13).
  const compact = text.replace(/\\[nr]/g, '').replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return decodeBase64Loose(compact);
}

/** The TypeError for a public key of another algorithm (`keyType` as node:crypto names it). */
export function nonRsa(option: string, keyType: string): TypeError {
  return new TypeError(`${option} is a ${keyType} key; Alipay RSA/RSA2 signatures need an RSA key.`);
}

/** Reads DER bytes; `notKey` is the message for bytes that are no key at all. */
function fromDer(der: Uint8Array, option: string, notKey: string): RsaPublicKeyDer {
  const shape = classifyKeyDer(der);
  switch (shape.kind) {
    case 'rsa-public':
      return shape;
    case 'other-public':
      throw nonRsa(option, shape.keyType);
    case 'private':
      throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
    case 'certificate':
      throw new TypeError(`${option} ${CERTIFICATE_MESSAGE}`);
    default:
      throw new TypeError(notKey);
  }
}

function parseText(text: string, option: string): RsaPublicKeyDer {
  const pem = PEM.exec(text);
  if (pem) {
    const label = pem[1]!;
    if (label.includes('PRIVATE')) throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
    if (label === 'CERTIFICATE') throw new TypeError(`${option} ${CERTIFICATE_MESSAGE}`);
    const notKey = `${option} has a "${label}" PEM block that does not parse as an RSA public key.`;
    const der = base64Body(pem[2]!);
    if (!der) throw new TypeError(notKey);
    return fromDer(der, option, notKey);
  }
  const der = base64Body(text);
  if (!der) {
    throw new TypeError(
      `${option} is neither PEM nor base64. Paste the 支付宝公钥 exactly as the Alipay console shows it (bare base64 or PEM).`,
    );
  }
  return fromDer(der, option, `${option} is base64 but not an RSA public key (SPKI or PKCS#1). Was it truncated?`);
}

/**
 * Reads a PEM or base64 string, or DER bytes, as an RSA public key (no node:crypto).
 * Throws a TypeError naming the option for a private key, a certificate, a non-RSA key
 * or anything that is not a key. Private keys and certificates are recognised by their
 * PEM label and by their DER shape.
 */
function readPublicKeyDer(input: string | Uint8Array, option: string): RsaPublicKeyDer {
  if (typeof input === 'string') return parseText(input, option);
  return fromDer(input, option, `${option} bytes are not a DER RSA public key (SPKI or PKCS#1).`);
}

/**
 * Parses one key input into a verification key for `crypto`. Throws a TypeError naming
 * the option when the input is not an RSA public key (a private key, a certificate, garbage).
 */
export function parsePublicKey(input: KeyInput, option: string, crypto: CryptoProvider): VerificationKey {
  let key: RsaPublicKeyDer;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    key = readPublicKeyDer(input, option);
  } else {
    const native = typeof input === 'object' && input !== null ? crypto.nativeKey(input, option) : undefined;
    if (!native) throw new TypeError(`${option} must be ${crypto.keyForms}.`);
    return { handle: native.handle, signatureLength: Math.ceil(native.modulusBits / 8) };
  }
  return { handle: crypto.importKey(key.spki, option), signatureLength: Math.ceil(key.modulusBits / 8) };
}
