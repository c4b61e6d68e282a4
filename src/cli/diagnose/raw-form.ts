/**
 * A lenient view of a form body for diagnosis: segments split on `&` and the first `=`, kept
 * as "byte strings" (latin1, one char per byte) so every transform can rebuild the body with
 * exactly the bytes it did not touch. Unlike the library's strict parser it accepts
 * duplicates, empty segments and stray `%`, because those are what it has to explain.
 */
import { formEncodeBytes } from '../../testing/index.js';

export interface Segment {
  rawKey: string;
  /** undefined when the segment has no `=`. */
  rawValue: string | undefined;
}

export function splitRaw(raw: string): Segment[] {
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? { rawKey: part, rawValue: undefined } : { rawKey: part.slice(0, eq), rawValue: part.slice(eq + 1) };
    });
}

export function joinRaw(segments: readonly Segment[]): string {
  return segments.map((s) => (s.rawValue === undefined ? s.rawKey : `${s.rawKey}=${s.rawValue}`)).join('&');
}

const hex = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1);

/** Form-decodes once, leniently: `+` is a space, `%XX` a byte, anything else is kept. */
function decodeRaw(raw: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i) & 0xff;
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25 && i + 2 < raw.length && hex(raw.charCodeAt(i + 1)) >= 0 && hex(raw.charCodeAt(i + 2)) >= 0) {
      out.push((hex(raw.charCodeAt(i + 1)) << 4) | hex(raw.charCodeAt(i + 2)));
      i += 2;
    } else out.push(c);
  }
  return Uint8Array.from(out);
}

const utf8 = new TextDecoder('utf-8');
const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** Text of decoded bytes for display and matching (UTF-8, lossy). */
export function textOf(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** The text when the bytes are valid UTF-8, else undefined. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

export function keyOf(segment: Segment): string {
  return textOf(decodeRaw(segment.rawKey));
}

export function valueBytesOf(segment: Segment): Uint8Array {
  return decodeRaw(segment.rawValue ?? '');
}

/** A copy of the segment with a new decoded value (re-encoded Java-style). */
export function withValue(segment: Segment, bytes: Uint8Array): Segment {
  return { rawKey: segment.rawKey, rawValue: formEncodeBytes(bytes) };
}
