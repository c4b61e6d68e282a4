import qs from 'qs';
import { encodeGbk } from './gbk.js';

/**
 * Form-encodes bytes the way Alipay's Java gateway does (`URLEncoder.encode(value, charset)`):
 * letters, digits and `.-*_` stay, space becomes `+`, every other byte is `%XX`.
 */
export function formEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2e ||
      byte === 0x2d ||
      byte === 0x2a ||
      byte === 0x5f
    ) {
      out += String.fromCharCode(byte);
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Charsets the testing kit can sign and serialise in. */
export type TestCharset = 'utf-8' | 'gbk';

// qs >= 6.15 has the WHATWG format; @types/qs does not list it yet.
type StringifyOptions = Omit<qs.IStringifyOptions, 'format'> & { format?: 'RFC1738' | 'RFC3986' | 'WHATWG' };
const stringify = qs.stringify as (value: object, options: StringifyOptions) => string;

/**
 * Serialises flat string params as an `application/x-www-form-urlencoded` body, in the
 * params' own order, with qs.
 *
 * - utf-8: qs's own encoder in its `WHATWG` format. Its unreserved set (`A-Z a-z 0-9 * - . _`,
 *   space as `+`, everything else `%XX` of the UTF-8 bytes) is exactly Java's
 *   `URLEncoder.encode(value, "UTF-8")`, so the body is byte-identical to Alipay's.
 *   (qs's `RFC1738` format differs: it escapes `*` and keeps `~ ( )`.)
 * - gbk: qs cannot produce GBK percent-bytes (its charsets are utf-8 and iso-8859-1), so its
 *   `encoder` hook is given the kit's GBK encoder + Java-style byte encoding.
 */
export function serializeForm(params: Readonly<Record<string, string>>, charset: TestCharset = 'utf-8'): string {
  if (charset === 'utf-8') return stringify(params, { format: 'WHATWG' });
  return stringify(params, {
    format: 'RFC1738',
    encoder: (text: unknown) => formEncodeBytes(encodeGbk(String(text))),
  });
}
