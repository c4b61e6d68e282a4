import { decodedScratch, highScratch, rangesScratch } from './scratch.js';
import { malformed, MAX_PARAMS, tooManyParams, type ParseResult } from './result.js';

/**
 * A form body percent-decoded in one pass. `bytes` holds every key and value, decoded, back
 * to back; `ranges[4i..4i+3]` are the key start/end and value start/end of parameter i in
 * `bytes`.
 */
export interface ScannedForm {
  readonly bytes: Uint8Array;
  readonly ranges: Int32Array;
  readonly count: number;
  /** high[2i] / high[2i+1]: the key / value of parameter i has a byte >= 0x80 (needs the charset decoder). */
  readonly high: Uint8Array;
}


// Byte classes: 0 = ordinary byte, copied as is.
const AMP = 1;
const EQ = 2;
const PERCENT = 3;
const PLUS = 4;
const CONTROL = 5;
const HIGH = 6;
const CLASS = new Uint8Array(256);
for (let b = 0x80; b < 0x100; b++) CLASS[b] = HIGH;
for (let b = 0; b < 0x20; b++) CLASS[b] = CONTROL;
CLASS[0x7f] = CONTROL;
CLASS[0x26] = AMP;
CLASS[0x3d] = EQ;
CLASS[0x25] = PERCENT;
CLASS[0x2b] = PLUS;

const HEX = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) HEX[0x30 + d] = d;
for (let d = 0; d < 6; d++) HEX[0x41 + d] = HEX[0x61 + d] = 10 + d;

/**
 * Splits and decodes an application/x-www-form-urlencoded body, strictly (protocol.md
 * §10 item 2): `&` separates parameters, the first `=` splits key and value, `+` is a
 * space, `%XX` is one byte, decoded exactly once. Empty parameters, empty keys, a
 * parameter without `=`, a malformed escape, raw control bytes and NUL are refused.
 * Raw bytes >= 0x80 are kept as they are (they are bytes in the body's charset).
 * The result lives in scratch buffers: copy it (see `detachForm`) to keep it.
 */
export function scanForm(input: Uint8Array): ScannedForm | ParseResult {
  const n = input.length;
  const out = decodedScratch.get(n);
  const capacity = Math.min(MAX_PARAMS, (n >> 1) + 1);
  const ranges = rangesScratch(capacity * 4);
  const nonAscii = highScratch(capacity * 2).fill(0, 0, capacity * 2);
  let length = 0;
  let count = 0;
  let i = 0;
  for (;;) {
    // One parameter: input[i..] up to the next '&' or the end.
    if (count === MAX_PARAMS) return tooManyParams();
    const keyStart = length;
    let valueStart = -1;
    const segmentStart = i;
    for (; i < n; i++) {
      const byte = input[i]!;
      const kind = CLASS[byte]!;
      if (kind === 0) {
        out[length++] = byte;
        continue;
      }
      if (kind === HIGH) {
        nonAscii[count * 2 + (valueStart < 0 ? 0 : 1)] = 1;
        out[length++] = byte;
      } else if (kind === AMP) {
        break;
      } else if (kind === EQ && valueStart < 0) {
        if (length === keyStart) return malformed(`Parameter ${count + 1} has an empty key.`);
        ranges[count * 4] = keyStart;
        ranges[count * 4 + 1] = length;
        valueStart = length;
      } else if (kind === EQ) {
        out[length++] = byte;
      } else if (kind === PLUS) {
        out[length++] = 0x20;
      } else if (kind === PERCENT) {
        const high = i + 2 < n ? HEX[input[i + 1]!]! : -1;
        const low = high >= 0 ? HEX[input[i + 2]!]! : -1;
        if (low < 0) return malformed(`Parameter ${count + 1} has a '%' not followed by two hex digits.`);
        const decoded = (high << 4) | low;
        if (decoded === 0) return malformed(`Parameter ${count + 1} has a NUL byte (%00).`);
        if (decoded >= 0x80) nonAscii[count * 2 + (valueStart < 0 ? 0 : 1)] = 1;
        out[length++] = decoded;
        i += 2;
      } else {
        return malformed(`Parameter ${count + 1} has a raw control byte.`);
      }
    }
    if (i === segmentStart) return malformed(`Empty parameter at byte ${i} ("&&", or "&" at either end).`);
    if (valueStart < 0) return malformed(`Parameter ${count + 1} has no "=".`);
    ranges[count * 4 + 2] = valueStart;
    ranges[count * 4 + 3] = length;
    count++;
    if (i === n) break;
    i++; // past '&'
    if (i === n) return malformed(`Empty parameter at byte ${i} ("&" at the end).`);
  }
  return { bytes: out.subarray(0, length), ranges, count, high: nonAscii };
}

/** A copy of a scanned form that no later parse can overwrite. */
export function detachForm(form: Pick<ScannedForm, 'bytes' | 'ranges'>): Pick<ScannedForm, 'bytes' | 'ranges'> {
  return { bytes: form.bytes.slice(), ranges: form.ranges.slice() };
}
