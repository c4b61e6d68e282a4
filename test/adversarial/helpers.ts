/*
 * Shared tools for the adversarial suite. The signer here is deliberately independent of the
 * library's canonicaliser: it builds the sign string from [key, value] pairs by hand, so it can
 * sign what an attacker (or a broken Alipay) would send: duplicate keys, `__proto__`, `a[b]`.
 */
import { sign as nodeSign } from 'node:crypto';
import { expect } from 'vitest';
import { NOTIFY_ERROR_CODES, NotifyError, type NotifyErrorCode, type VerifyResult } from '../../src/index.js';
import { formEncodeBytes, generateTestKeys, type TestKeyPair } from '../../src/testing/index.js';

export type Pair = readonly [string, string];

let cached: { alipay: TestKeyPair; app: TestKeyPair; other: TestKeyPair } | undefined;

/**
 * Test keys, generated once per worker: `alipay` plays Alipay, `app` is the merchant's own
 * key pair (its public half is the 应用公钥 people paste by mistake), `other` is a stranger.
 */
export function keys(): { alipay: TestKeyPair; app: TestKeyPair; other: TestKeyPair } {
  cached ??= { alipay: generateTestKeys(), app: generateTestKeys(), other: generateTestKeys() };
  return cached;
}

export interface PairSignOptions {
  privateKey: string;
  /** Hash: RSA2 = SHA-256, RSA = SHA-1. Default RSA2. */
  signType?: 'RSA2' | 'RSA';
  /** v1 (default) leaves sign_type out of the signed string, v2 keeps it. */
  signedContent?: 'v1' | 'v2';
  /** Encoder for the bytes of keys and values (default UTF-8). */
  encode?: (text: string) => Uint8Array;
}

const utf8 = new TextEncoder();

/** The sign string Alipay would build for these pairs: sorted by key, `k=v` joined by `&`. */
export function signString(pairs: readonly Pair[], signedContent: 'v1' | 'v2' = 'v1'): string {
  return pairs
    .filter(([k]) => k !== 'sign' && (signedContent === 'v2' || k !== 'sign_type'))
    .slice()
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Signs a sign string (already built) and returns the base64 signature. */
export function signText(text: string | Uint8Array, privateKey: string, signType: 'RSA2' | 'RSA' = 'RSA2'): string {
  const data = typeof text === 'string' ? utf8.encode(text) : text;
  return nodeSign(signType === 'RSA2' ? 'sha256' : 'sha1', data, privateKey).toString('base64');
}

/** Form-encodes pairs in the given order, as the Java gateway would (space as `+`). */
export function formEncode(pairs: readonly Pair[], encode: (text: string) => Uint8Array = (t) => utf8.encode(t)): string {
  return pairs.map(([k, v]) => `${formEncodeBytes(encode(k))}=${formEncodeBytes(encode(v))}`).join('&');
}

/**
 * Signs the pairs (sign string built from their text, in the given encoding) and returns
 * the pairs with `sign` appended, plus the raw body.
 */
export function signPairs(pairs: readonly Pair[], options: PairSignOptions): { pairs: Pair[]; body: string; sign: string } {
  const encode = options.encode ?? ((t: string) => utf8.encode(t));
  const content = encode(signString(pairs, options.signedContent ?? 'v1'));
  const sign = signText(content, options.privateKey, options.signType ?? 'RSA2');
  const all: Pair[] = [...pairs, ['sign', sign]];
  return { pairs: all, body: formEncode(all, encode), sign };
}

/** Replaces one raw `key=value` segment of a form body (the first whose key matches). */
export function replaceSegment(body: string, key: string, segment: string): string {
  const parts = body.split('&');
  const index = parts.findIndex((p) => p.split('=')[0] === key);
  if (index < 0) throw new Error(`no segment ${key}`);
  parts[index] = segment;
  return parts.join('&');
}

/** The raw (still encoded) value of a segment. */
export function rawValue(body: string, key: string): string {
  const part = body.split('&').find((p) => p.split('=')[0] === key);
  if (part === undefined) throw new Error(`no segment ${key}`);
  return part.slice(part.indexOf('=') + 1);
}

/**
 * Asserts that nothing was accepted and the error is exactly `code`; returns the error.
 * Every failure is a NotifyError with a known code, a message and a non-empty hint.
 */
export function expectRejected(result: VerifyResult, code: NotifyErrorCode): NotifyError {
  expect(result.ok, `expected ${code}, got ok:true`).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result).not.toHaveProperty('params');
  expect(result).not.toHaveProperty('notify');
  const error = result.error;
  expect(error).toBeInstanceOf(NotifyError);
  expect(NOTIFY_ERROR_CODES).toContain(error.code);
  expect({ code: error.code, message: error.message }).toMatchObject({ code });
  expect(error.hint.length).toBeGreaterThan(0);
  return error;
}

/** Asserts that neither the message nor the hint of an error contains any of the secrets. */
export function expectNoLeak(error: NotifyError, secrets: readonly string[]): void {
  const plain = [error.message, error.hint ?? '', String(error), error.stack ?? ''];
  // Also without whitespace: a PEM excerpt keeps its line breaks.
  const texts = [...plain, ...plain.map((text) => text.replace(/\s+/g, ''))];
  for (const secret of secrets) {
    if (secret.length < 4) throw new Error(`secret too short to check meaningfully: ${JSON.stringify(secret)}`);
    for (const text of texts) if (text.includes(secret)) expect.fail(`leaked ${JSON.stringify(secret.slice(0, 20))} in ${JSON.stringify(text.slice(0, 200))}`);
  }
}

/**
 * Every 24-char window of a PEM key's base64 body, at every offset: any of them appearing in a
 * message is a leak, however the excerpt is cut.
 */
export function keySlices(pem: string): string[] {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const slices: string[] = [];
  for (let i = 0; i + 24 <= b64.length; i++) slices.push(b64.slice(i, i + 24));
  return slices;
}
