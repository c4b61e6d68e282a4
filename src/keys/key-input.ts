import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import type { KeyInput } from '../types.js';
import type { CertificateWindow } from './cert.js';

/** A parsed Alipay public key, ready for verification. */
export interface VerificationKey {
  readonly keyObject: KeyObject;
  /** Signature length in bytes (the modulus length). */
  readonly signatureLength: number;
  /** Certificate keys: the SN of the Alipay certificate (`alipay_cert_sn`). */
  readonly certSn?: string;
  /** Certificate keys: usable from this time (ms since the epoch)... */
  readonly validFrom?: number;
  /** ...to this time: the certificate's dates narrowed by its intermediates (certificateWindow). */
  readonly validTo?: number;
  /** Certificate keys: names the certificates behind the dates, for CERT_EXPIRED messages. */
  readonly window?: CertificateWindow;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

function fromDer(der: Uint8Array): KeyObject | undefined {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: Buffer.from(der), format: 'der', type });
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function looksLikePrivateKey(der: Uint8Array): boolean {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      createPrivateKey({ key: Buffer.from(der), format: 'der', type });
      return true;
    } catch {
      // not this form
    }
  }
  return false;
}

function base64Body(text: string): Uint8Array | undefined {
  // Keys pasted from JSON/env files may carry literal "\n" sequences; chat apps add spaces (P13).
  const compact = text.replace(/\\[nr]/g, '').replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const PRIVATE_KEY_MESSAGE =
  'is a private key. Configure the 支付宝公钥 (Alipay public key) from the Alipay console, never a private key.';

function parseText(text: string, option: string): KeyObject {
  const pem = PEM.exec(text);
  if (pem) {
    const label = pem[1]!;
    if (label.includes('PRIVATE')) throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
    if (label === 'CERTIFICATE') {
      throw new TypeError(
        `${option} is a certificate. In public-key certificate mode (公钥证书模式) pass alipayCertPublicKey_RSA2.crt as alipayPublicCert instead.`,
      );
    }
    const der = base64Body(pem[2]!);
    const key = der && fromDer(der);
    if (!key) throw new TypeError(`${option} has a "${label}" PEM block that does not parse as an RSA public key.`);
    return key;
  }
  const der = base64Body(text);
  if (!der) {
    throw new TypeError(
      `${option} is neither PEM nor base64. Paste the 支付宝公钥 exactly as the Alipay console shows it (bare base64 or PEM).`,
    );
  }
  // node:crypto derives a public key from private-key DER silently: refuse that first.
  if (looksLikePrivateKey(der)) throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
  const key = fromDer(der);
  if (key) return key;
  throw new TypeError(`${option} is base64 but not an RSA public key (SPKI or PKCS#1). Was it truncated?`);
}

function toKeyObject(input: KeyInput, option: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'public') throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
    return input;
  }
  if (typeof input === 'string') return parseText(input, option);
  if (input instanceof Uint8Array) {
    if (looksLikePrivateKey(input)) throw new TypeError(`${option} ${PRIVATE_KEY_MESSAGE}`);
    const key = fromDer(input);
    if (key) return key;
    throw new TypeError(`${option} bytes are not a DER RSA public key (SPKI or PKCS#1).`);
  }
  throw new TypeError(`${option} must be a PEM or base64 string, DER bytes, or a KeyObject.`);
}

/**
 * Parses one key input into a verification key. Throws a TypeError naming the option
 * when the input is not an RSA public key (a private key, a certificate, garbage).
 */
export function parsePublicKey(input: KeyInput, option: string): VerificationKey {
  const keyObject = toKeyObject(input, option);
  if (keyObject.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`${option} is a ${keyObject.asymmetricKeyType ?? 'non-RSA'} key; Alipay RSA/RSA2 signatures need an RSA key.`);
  }
  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 2048;
  return { keyObject, signatureLength: Math.ceil(bits / 8) };
}
