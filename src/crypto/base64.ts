const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export type Base64Problem = 'space' | 'whitespace' | 'alphabet' | 'length' | 'padding';

/**
 * Strict standard base64 (RFC 4648 §4) with padding: no whitespace, no URL-safe alphabet,
 * length a multiple of four, `=` only at the end. Returns the bytes or what is wrong.
 */
const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array & { toString(encoding: 'base64'): string } } }).Buffer;

export function decodeBase64Strict(text: string): Uint8Array | Base64Problem {
  // Fast path: node's decoder is lenient, but its encoder is canonical, so a text that
  // survives the round trip unchanged is strict base64 (alphabet, length, padding, zero
  // trailing bits). Anything else goes to the strict decoder, which also says what is wrong.
  if (NodeBuffer !== undefined) {
    const bytes = NodeBuffer.from(text, 'base64');
    if (bytes.toString('base64') === text) return bytes;
  }
  return decodeSlow(text);
}

/** Non-canonical trailing bits (e.g. "QR==") would let two strings decode alike: refuse. */
function canonicalPadding(text: string): boolean {
  const length = text.length;
  const padding = length > 0 && text.charCodeAt(length - 1) === 0x3d ? (text.charCodeAt(length - 2) === 0x3d ? 2 : 1) : 0;
  if (padding === 0) return true;
  const lastValue = LOOKUP[text.charCodeAt(length - padding - 1)]!;
  return padding === 2 ? (lastValue & 0x0f) === 0 : (lastValue & 0x03) === 0;
}

/** The strict decoder in plain JS (every runtime; the fast path falls back to it). */
export function decodeSlow(text: string): Uint8Array | Base64Problem {
  const length = text.length;
  if (length % 4 !== 0) {
    return /\s/.test(text) ? (text.includes(' ') ? 'space' : 'whitespace') : 'length';
  }
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === 0x3d) padding = text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < length; i += 4) {
    const last = i + 4 === length;
    let quad = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const value = code < 128 ? LOOKUP[code]! : -1;
      if (value < 0) {
        if (code === 0x3d && last && j >= 4 - padding) {
          quad <<= 6;
          continue;
        }
        if (code === 0x20) return 'space';
        if (code === 0x3d) return 'padding';
        return /\s/.test(text[i + j]!) ? 'whitespace' : 'alphabet';
      }
      quad = (quad << 6) | value;
    }
    out[o++] = (quad >> 16) & 0xff;
    if (o < out.length) out[o++] = (quad >> 8) & 0xff;
    if (o < out.length) out[o++] = quad & 0xff;
  }
  return canonicalPadding(text) ? out : 'padding';
}

/**
 * Lenient base64 for configuration input (keys, certificates) whose alphabet was checked:
 * missing padding and stray trailing bits are tolerated, as node's Buffer does. Not for
 * signatures (decodeBase64Strict).
 */
export function decodeBase64Loose(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? LOOKUP[code]! : -1;
    if (v < 0) throw new TypeError('Not base64.');
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
