import { malformed, MAX_PARAMS, tooManyParams, type ParseResult } from './result.js';

/**
 * A form body percent-decoded in one pass. `bytes` holds every key and value, decoded,
 * separated by 0x01; `ranges[4i..4i+3]` are the key start/end and value start/end of
 * parameter i in `bytes`. One buffer and one text decode for the whole body is several
 * times faster than decoding 25 small components one by one.
 */
export interface ScannedForm {
  readonly bytes: Uint8Array;
  readonly ranges: Int32Array;
  readonly count: number;
  /** A decoded value contains 0x01 itself: split the text per range, not at 0x01. */
  readonly separatorInData: boolean;
}

export const SEPARATOR = 0x01;
const AMP = 0x26;
const EQ = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Splits and decodes an application/x-www-form-urlencoded body, strictly (protocol.md
 * §10 item 2): `&` separates parameters, the first `=` splits key and value, `+` is a
 * space, `%XX` is one byte, decoded exactly once. Empty parameters, empty keys, a
 * parameter without `=`, a malformed escape, raw control bytes and NUL are refused.
 * Raw bytes >= 0x80 are kept as they are (they are bytes in the body's charset).
 */
export function scanForm(input: Uint8Array): ScannedForm | ParseResult {
  const n = input.length;
  const out = new Uint8Array(n);
  const ranges = new Int32Array(Math.min(MAX_PARAMS, (n >> 1) + 1) * 4);
  let length = 0;
  let count = 0;
  let separatorInData = false;
  let i = 0;
  for (;;) {
    // One parameter: input[i..] up to the next '&' or the end.
    if (count === MAX_PARAMS) return tooManyParams();
    const keyStart = length;
    let valueStart = -1;
    const segmentStart = i;
    for (; i < n; i++) {
      const byte = input[i]!;
      if (byte === AMP) break;
      if (byte === EQ && valueStart < 0) {
        if (length === keyStart) return malformed(`Parameter ${count + 1} has an empty key.`);
        ranges[count * 4] = keyStart;
        ranges[count * 4 + 1] = length;
        out[length++] = SEPARATOR;
        valueStart = length;
      } else if (byte === PLUS) {
        out[length++] = 0x20;
      } else if (byte === PERCENT) {
        const high = i + 2 < n ? hexValue(input[i + 1]!) : -1;
        const low = high >= 0 ? hexValue(input[i + 2]!) : -1;
        if (low < 0) return malformed(`Parameter ${count + 1} has a '%' not followed by two hex digits.`);
        const decoded = (high << 4) | low;
        if (decoded === 0) return malformed(`Parameter ${count + 1} has a NUL byte (%00).`);
        if (decoded === SEPARATOR) separatorInData = true;
        out[length++] = decoded;
        i += 2;
      } else if (byte < 0x20 || byte === 0x7f) {
        return malformed(`Parameter ${count + 1} has a raw control byte.`);
      } else {
        out[length++] = byte;
      }
    }
    if (i === segmentStart) return malformed(`Empty parameter at byte ${i} ("&&", or "&" at either end).`);
    if (valueStart < 0) return malformed(`Parameter ${count + 1} has no "=".`);
    ranges[count * 4 + 2] = valueStart;
    ranges[count * 4 + 3] = length;
    count++;
    if (i === n) break;
    out[length++] = SEPARATOR;
    i++; // past '&'
    if (i === n) return malformed(`Empty parameter at byte ${i} ("&" at the end).`);
  }
  return { bytes: out.subarray(0, length), ranges, count, separatorInData };
}
