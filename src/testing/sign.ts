import { sign as nodeSign } from 'node:crypto';
import { isBlankValue, joinSignBytes } from '../canonical/sign-content.js';
import { HASH_OF } from '../crypto/provider.js';
import { normalizeCharset } from '../parse/charset.js';
import type { SignType, SignedContent } from '../types.js';
import { serializeForm, type TestCharset } from './form.js';
import { encodeGbk } from './gbk.js';
import { setParam } from './params.js';

export type { TestCharset } from './form.js';

export interface SignNotifyOptions {
  /** PEM private key (from generateTestKeys). */
  privateKey: string;
  /** Default: the params' sign_type, else 'RSA2'. */
  signType?: SignType;
  /** Default: the params' charset, else 'utf-8'. Sets the charset param. */
  charset?: TestCharset;
  /** 'v1' (default, trade notifications) excludes sign_type from the signed content. */
  signedContent?: SignedContent;
  /** 'skip' (default, what Alipay's Java signer does) or 'keep' empty values in the signed content. */
  emptyValues?: 'skip' | 'keep';
}

export interface SignedNotify {
  /** The form body, encoded like Alipay's gateway (space as `+`, bytes of the charset as %XX). */
  body: string;
  /** The params including sign_type, charset and sign. */
  params: Record<string, string>;
}

/** GBK, GB2312 and GB18030 share their two-byte Chinese characters; the rest (unknown labels too) is UTF-8. */
function charsetFamily(label: string): TestCharset {
  const charset = normalizeCharset(label);
  return charset === undefined || charset === 'utf-8' ? 'utf-8' : 'gbk';
}

function encoderFor(charset: TestCharset): (text: string) => Uint8Array {
  if (charset === 'gbk') return encodeGbk;
  const encoder = new TextEncoder();
  return (text) => encoder.encode(text);
}

/**
 * Signs notification params like Alipay does and returns the form body it would POST
 * (params in the given order, then `sign`; serialised with qs, see serializeForm).
 * For tests only: the private key is a test key you generated.
 */
export function signNotify(input: Readonly<Record<string, string>>, options: SignNotifyOptions): SignedNotify {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) if (key !== 'sign') setParam(params, key, value);
  const signType = options.signType ?? (params['sign_type'] as SignType | undefined) ?? 'RSA2';
  params['sign_type'] = signType;
  const declared = params['charset'] === undefined ? undefined : charsetFamily(params['charset']);
  const charset: TestCharset = options.charset ?? declared ?? 'utf-8';
  // Keep a declared label of the same family (GBK, gb2312, UTF-8...); otherwise write ours.
  if (declared !== charset) params['charset'] = charset;
  const encode = encoderFor(charset);
  const encoded: Array<{ key: string; value: string; keyBytes: Uint8Array; valueBytes: Uint8Array }> = Object.entries(params).map(([key, value]) => ({
    key,
    value,
    keyBytes: encode(key),
    valueBytes: encode(value),
  }));
  const signedContent = options.signedContent ?? 'v1';
  const covered = encoded
    .filter(
      (p) =>
        (signedContent === 'v2' || p.key !== 'sign_type') &&
        ((options.emptyValues ?? 'skip') === 'keep' || !isBlankValue(p.value)),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  params['sign'] = nodeSign(HASH_OF[signType], joinSignBytes(covered), options.privateKey).toString('base64');
  return { body: serializeForm(params, charset), params };
}
