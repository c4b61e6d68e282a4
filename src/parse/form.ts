import { NotifyError } from '../errors.js';
import { bytesToBinary } from '../keys/bytes.js';
import { encodeBody } from './bytes.js';
import { decoderFor, normalizeCharset, type NotifyCharset } from './charset.js';
import { detachForm, scanForm, type ScannedForm } from './form-scan.js';
import { KNOWN_NAMES, knownSlot, slotOfName, SORT_RANK } from './known-keys.js';
import { describeKey, duplicate, fail, malformed, MAX_PARAMS, tooManyParams, type ParseResult } from './result.js';

export type { ParseResult };

/** One parameter as received, decoded in the body's charset. */
export interface FormParam {
  readonly key: string;
  readonly value: string;
  /** 0-based position in the body. */
  readonly position: number;
}

export interface ParsedNotifyBody {
  /** Parameters in received order. */
  readonly params: readonly FormParam[];
  /** Parameters sorted by key the way Java's `Collections.sort` orders Strings (UTF-16 code units). */
  readonly sorted: readonly FormParam[];
  /** The parameter with this key (`__proto__` and `toString` are plain keys). */
  get(key: string): FormParam | undefined;
  /** Parameters by key, as a Map. */
  readonly byKey: ReadonlyMap<string, FormParam>;
  /** The charset the body is in (from its own `charset` param; utf-8 when absent). */
  readonly charset: NotifyCharset;
  /** False when this runtime cannot decode the charset: text is then lossy, bytes are exact. */
  readonly textExact: boolean;
  /** 'bytes' for a raw body, 'object' for a framework-parsed object (verified as UTF-8). */
  readonly source: 'bytes' | 'object';
  /** For raw bodies: the received bytes, decoded once, which the sign string is built from. */
  readonly received?: Pick<ScannedForm, 'bytes' | 'ranges'>;
}

function charsetOf(value: string | undefined): NotifyCharset | NotifyError {
  if (value === undefined) return 'utf-8';
  return (
    normalizeCharset(value) ??
    new NotifyError('CHARSET_UNSUPPORTED', 'The charset parameter names an unsupported encoding.', { param: 'charset' })
  );
}

/**
 * Sorted by key in Java's String order (UTF-16 code units, which is what JS `<` compares).
 * Binary insertion sort, shifting in place: for the 20–60 params of a notification it beats
 * Array#sort, which calls a comparator function across the builtin boundary per comparison.
 * Two known names compare by their precomputed rank (an integer compare instead of a
 * string compare); any other pair compares as strings, so the order is the same.
 */
function sortByKey(params: readonly FormParam[], slots: readonly number[]): FormParam[] {
  const sorted: FormParam[] = params.slice();
  const ranks: number[] = new Array(params.length);
  for (let p = 0; p < params.length; p++) ranks[p] = slots[p]! >= 0 ? SORT_RANK[slots[p]!]! : -1;
  for (let i = 1; i < sorted.length; i++) {
    const param = sorted[i]!;
    const key = param.key;
    const rank = ranks[param.position]!;
    let low = 0;
    let high = i;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = sorted[middle]!;
      const otherRank = ranks[other.position]!;
      if (rank >= 0 && otherRank >= 0 ? otherRank <= rank : other.key <= key) low = middle + 1;
      else high = middle;
    }
    for (let j = i; j > low; j--) sorted[j] = sorted[j - 1]!;
    sorted[low] = param;
  }
  return sorted;
}

type BodyFields = Omit<ParsedNotifyBody, 'sorted' | 'get' | 'byKey'> & {
  /** By position: the slot of the param's name among the known names (known-keys.ts), or -1. */
  readonly slots: readonly number[];
};

/** A parsed body; sorting once serves both the duplicate check and the sign string. */
class ParsedBody implements ParsedNotifyBody {
  readonly params: readonly FormParam[];
  readonly sorted: readonly FormParam[];
  readonly charset: NotifyCharset;
  readonly textExact: boolean;
  readonly source: 'bytes' | 'object';
  readonly received?: Pick<ScannedForm, 'bytes' | 'ranges'>;
  readonly slots: readonly number[];
  private map: Map<string, FormParam> | undefined;

  constructor(fields: BodyFields, sorted: readonly FormParam[]) {
    this.params = fields.params;
    this.slots = fields.slots;
    this.sorted = sorted;
    this.charset = fields.charset;
    this.textExact = fields.textExact;
    this.source = fields.source;
    if (fields.received !== undefined) this.received = fields.received;
  }

  get(key: string): FormParam | undefined {
    // Binary search over the sorted keys.
    let low = 0;
    let high = this.sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const param = this.sorted[middle]!;
      if (param.key === key) return param;
      if (param.key < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  get byKey(): ReadonlyMap<string, FormParam> {
    this.map ??= new Map(this.sorted.map((p) => [p.key, p]));
    return this.map;
  }
}

/** A copy whose received bytes no later parse can overwrite (the parser reuses scratch memory). */
export function detachBody(body: ParsedNotifyBody): ParsedNotifyBody {
  if (body.received === undefined) return body;
  return new ParsedBody({ ...fieldsOf(body), received: detachForm(body.received) }, body.sorted);
}

function fieldsOf(body: ParsedNotifyBody): BodyFields {
  const { params, charset, textExact, source } = body;
  return { params, charset, textExact, source, slots: slotsOf(body) };
}

/** By position: the slot of each param's name among the known names (known-keys.ts), or -1. */
export function slotsOf(body: ParsedNotifyBody): readonly number[] {
  return body instanceof ParsedBody ? body.slots : body.params.map((p) => slotOfName(p.key));
}

/** Sorts the params and rejects duplicate keys (even with equal values: protocol.md §10 item 2). */
function assemble(fields: BodyFields): ParseResult {
  const sorted = sortByKey(fields.params, fields.slots);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.key === sorted[i - 1]!.key) {
      // Report the key that appears twice first in the body, not first in sort order.
      const first = sorted[i - 1]!.position < sorted[i]!.position ? sorted[i]! : sorted[i - 1]!;
      return fail(duplicate(first.key));
    }
  }
  return { ok: true, body: new ParsedBody(fields, sorted) };
}

const CHARSET = [0x63, 0x68, 0x61, 0x72, 0x73, 0x65, 0x74]; // "charset"

/** The value of the `charset` param, read from the bytes before any text decoding. */
function charsetLabel(form: ScannedForm): string | undefined {
  const { bytes, ranges } = form;
  for (let p = 0; p < form.count; p++) {
    const start = ranges[p * 4]!;
    if (ranges[p * 4 + 1]! - start !== CHARSET.length) continue;
    let match = true;
    for (let j = 0; j < CHARSET.length; j++) if (bytes[start + j] !== CHARSET[j]) match = false;
    if (!match) continue;
    let label = '';
    for (let j = ranges[p * 4 + 2]!; j < ranges[p * 4 + 3]!; j++) label += String.fromCharCode(bytes[j]!);
    return label;
  }
  return undefined;
}

const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { latin1Slice(start: number, end: number): string } } }).Buffer;

/**
 * windows-1252 also maps every byte to exactly one UTF-16 unit, which is all we need here
 * (bytes >= 0x80 become non-ASCII chars, not always U+0080-U+00FF: 0x80 is €).
 */
function windows1252(): TextDecoder | undefined {
  try {
    return new TextDecoder('windows-1252');
  } catch {
    return undefined;
  }
}
const oneBytePerChar = NodeBuffer === undefined ? windows1252() : undefined;

/** The bytes as a string of one char per byte (correct text for ASCII ranges only). */
function latin1(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).latin1Slice(0, bytes.length);
  return oneBytePerChar !== undefined ? oneBytePerChar.decode(bytes) : bytesToBinary(bytes);
}

/** One component's text: ASCII sliced from the latin1 string of the body, else the charset decoder. */
function componentText(form: ScannedForm, ascii: string, decoder: TextDecoder | null, k: number): string | undefined {
  const start = form.ranges[k * 2]!;
  const end = form.ranges[k * 2 + 1]!;
  if (form.high[k] === 0) return ascii.slice(start, end);
  // No decoder for this charset on this runtime: keep ASCII, mark the rest as unknown.
  if (decoder === null) return ascii.slice(start, end).replace(/[\u0080-\uffff]+/g, '\ufffd');
  try {
    return decoder.decode(form.bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * Decodes every key and value into params; undefined when the bytes are not valid in the
 * charset. ASCII components are sliced from one string of the whole body; only components
 * with bytes >= 0x80 go through the charset decoder (fatal: invalid bytes are refused).
 * Known parameter names are shared constants, and their slots are recorded (known-keys.ts).
 */
function decodeParams(form: ScannedForm, decoder: TextDecoder | null, slots: number[]): FormParam[] | undefined {
  const { ranges, count, high } = form;
  const ascii = latin1(form.bytes);
  const params: FormParam[] = new Array(count);
  for (let p = 0; p < count; p++) {
    const slot = high[p * 2] === 0 ? knownSlot(ascii, ranges[p * 4]!, ranges[p * 4 + 1]!) : -1;
    slots[p] = slot;
    const key = slot >= 0 ? KNOWN_NAMES[slot]! : componentText(form, ascii, decoder, p * 2);
    const value = componentText(form, ascii, decoder, p * 2 + 1);
    if (key === undefined || value === undefined) return undefined;
    params[p] = { key, value, position: p };
  }
  return params;
}

function parseRaw(body: string | Uint8Array | ArrayBuffer, keep: boolean, maxBytes: number): ParseResult {
  // The limit comes before any work: bytes by their length; a string by its length first (UTF-8
  // needs at least one byte per UTF-16 unit), then by its encoded size (at most 3x the limit).
  if ((typeof body === 'string' ? body.length : body.byteLength) > maxBytes) return tooLarge(maxBytes);
  const input = encodeBody(body);
  if (input.length > maxBytes) return tooLarge(maxBytes);
  if (input.length === 0) return fail(new NotifyError('BODY_EMPTY', 'The body is empty.'));
  const form = scanForm(input);
  if ('ok' in form) return form;
  const charset = charsetOf(charsetLabel(form));
  if (charset instanceof NotifyError) return fail(charset);
  const decoder = decoderFor(charset);
  const slots: number[] = new Array(form.count);
  const params = decodeParams(form, decoder, slots);
  if (params === undefined) {
    return malformed(
      `A parameter is not valid ${charset}.`,
      `The bytes do not decode as ${charset}, the charset the body declares: was the body re-encoded, or does its charset param lie?`,
    );
  }
  return assemble({
    params,
    charset,
    textExact: decoder !== null,
    source: 'bytes',
    slots,
    received: keep ? detachForm(form) : { bytes: form.bytes, ranges: form.ranges },
  });
}

/** UTF-8 size of a string: at least its length, at most three times it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else {
      bytes += 2; // 3 bytes (a lone surrogate becomes U+FFFD, also 3)
    }
  }
  return bytes;
}

function parseEntries(entries: Iterable<[string, unknown]>, maxBytes: number): ParseResult {
  const params: FormParam[] = [];
  let size = 0;
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      return malformed(
        `Parameter ${describeKey(key)} is not a string.`,
        'Parsed-object input must map names to strings; a body parser with nested/extended parsing produced something else. Pass the raw body instead.',
      );
    }
    if (key === '') return malformed('A parameter has an empty key.');
    if (params.length === MAX_PARAMS) return tooManyParams();
    // Counted as a form body would be (k=v joined by &). The length is a lower bound of the
    // UTF-8 size, so an oversized entry is refused before it is scanned.
    size += (params.length === 0 ? 0 : 1) + key.length + 1 + value.length;
    if (size > maxBytes) return tooLarge(maxBytes);
    size += utf8Length(key) - key.length + utf8Length(value) - value.length;
    if (size > maxBytes) return tooLarge(maxBytes);
    if (key.includes('\0') || value.includes('\0')) return malformed(`Parameter ${describeKey(key)} contains a NUL.`);
    params.push({ key, value, position: params.length });
  }
  if (params.length === 0) return fail(new NotifyError('BODY_EMPTY', 'The parsed body has no parameters.'));
  const charset = charsetOf(params.find((p) => p.key === 'charset')?.value);
  if (charset instanceof NotifyError) return fail(charset);
  // Object input is text already: it is verified as UTF-8, whatever charset it declares.
  return assemble({ params, charset, textExact: true, source: 'object', slots: params.map((p) => slotOfName(p.key)) });
}

/**
 * Parses a notification body strictly. Raw bodies (string, bytes) are split and
 * percent-decoded exactly once by our own byte-level parser; URLSearchParams and plain
 * objects are accepted as already-decoded UTF-8 text. Never throws.
 */
export function parseNotifyBody(body: unknown): ParseResult {
  return parseBody(body, true);
}

function tooLarge(maxBytes: number): ParseResult {
  return fail(new NotifyError('BODY_TOO_LARGE', `The body is larger than maxBodyBytes (${maxBytes}).`));
}

/**
 * The same, for the verifier: a raw body's `received` bytes live in scratch buffers that
 * the next parse overwrites. Use them before yielding, or copy them with detachForm.
 * `maxBytes` bounds every input before it is parsed: raw bodies by their byte size, parsed
 * objects (URLSearchParams, string maps) by the running size of their entries.
 */
export function parseBody(body: unknown, keep: boolean, maxBytes = Number.POSITIVE_INFINITY): ParseResult {
  try {
    if (body === undefined || body === null) {
      return fail(new NotifyError('BODY_EMPTY', `The body is ${String(body)}.`));
    }
    if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) return parseRaw(body, keep, maxBytes);
    if (body instanceof URLSearchParams) return parseEntries(body.entries(), maxBytes);
    if (typeof body === 'object' && !Array.isArray(body)) return parseEntries(Object.entries(body), maxBytes);
    return malformed(
      `Unsupported body type (${typeof body}).`,
      'Pass the raw body as a string, Uint8Array/Buffer or ArrayBuffer (or URLSearchParams / a string map).',
    );
  } catch (cause) {
    // Getters or proxies in object input; never let them escape as a throw.
    return fail(new NotifyError('BODY_MALFORMED', 'The body could not be read.', { cause }));
  }
}
