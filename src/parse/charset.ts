/**
 * Charsets a notification can be signed in. Alipay echoes the `charset` the merchant used
 * in the original API call (protocol.md §1): utf-8 in almost all traffic, gbk/gb2312/gb18030
 * in older integrations. The signature covers the bytes in that charset (Java:
 * `content.getBytes(charset)`), so we never transcode: we only decode text for the model.
 */
export type NotifyCharset = 'utf-8' | 'gbk' | 'gb2312' | 'gb18030';

// A Map, not an object literal: a charset named "constructor" or "__proto__" must not
// resolve to something inherited from Object.prototype.
const CHARSET_ALIASES: ReadonlyMap<string, NotifyCharset> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['gbk', 'gbk'],
  ['gb2312', 'gb2312'],
  ['gb18030', 'gb18030'],
]);

/** Normalises a `charset` param value; undefined when unsupported. */
export function normalizeCharset(value: string): NotifyCharset | undefined {
  if (value === 'utf-8' || value === 'UTF-8') return 'utf-8'; // almost every notification
  return CHARSET_ALIASES.get(value.trim().toLowerCase());
}

const decoders = new Map<NotifyCharset, TextDecoder | null>();

/**
 * A fatal decoder for the charset, or null when this runtime's TextDecoder lacks it
 * (small-ICU builds, some edge runtimes). Verification works on bytes regardless.
 */
export function decoderFor(charset: NotifyCharset): TextDecoder | null {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      // The WHATWG Encoding standard maps gbk and gb2312 to its GBK decoder.
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      decoder = null;
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}
