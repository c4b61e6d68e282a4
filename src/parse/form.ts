import { NotifyError } from '../errors.js';
import { asciiText, bodyBytes, isAscii, utf8Bytes } from './bytes.js';
import { decoderFor, normalizeCharset, type NotifyCharset } from './charset.js';

/** One parameter as received: decoded text plus the exact bytes that were signed. */
export interface FormParam {
  readonly key: string;
  readonly value: string;
  readonly keyBytes: Uint8Array;
  readonly valueBytes: Uint8Array;
}

export interface ParsedNotifyBody {
  /** Parameters in received order. */
  readonly params: readonly FormParam[];
  /** Parameters by key (null-prototype: `__proto__` and `toString` are plain keys). */
  readonly byKey: Readonly<Record<string, FormParam>>;
  /** The charset the bytes are in (from the body's own `charset` param; utf-8 when absent). */
  readonly charset: NotifyCharset;
  /** False when this runtime cannot decode the charset: text is then lossy, bytes are exact. */
  readonly textExact: boolean;
  /** 'bytes' for a raw body, 'object' for a framework-parsed object (verified as UTF-8). */
  readonly source: 'bytes' | 'object';
}

export type ParseResult = { ok: true; body: ParsedNotifyBody } | { ok: false; error: NotifyError };

/** More parameters than any real notification carries (they have 20–60). */
export const MAX_PARAMS = 256;

const AMP = 0x26;
const EQ = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

interface RawParam {
  keyBytes: Uint8Array;
  valueBytes: Uint8Array;
}

const fail = (error: NotifyError): ParseResult => ({ ok: false, error });

function malformed(message: string, hint?: string): ParseResult {
  return fail(new NotifyError('BODY_MALFORMED', message, hint === undefined ? {} : { hint }));
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes one form component to bytes, exactly once: `+` is a space, `%XX` a byte.
 * Returns a zero-copy view when there is nothing to decode, or an error message.
 */
function decodeComponent(bytes: Uint8Array, start: number, end: number): Uint8Array | string {
  let needsDecoding = false;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === PERCENT || byte === PLUS) needsDecoding = true;
    else if (byte < 0x20 || byte === 0x7f) return 'a raw control byte';
  }
  if (!needsDecoding) return bytes.subarray(start, end);
  const out = new Uint8Array(end - start);
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === PLUS) {
      out[length++] = 0x20;
    } else if (byte === PERCENT) {
      const high = i + 2 < end ? hexValue(bytes[i + 1]!) : -1;
      const low = high >= 0 ? hexValue(bytes[i + 2]!) : -1;
      if (low < 0) return "a '%' not followed by two hex digits";
      const decoded = (high << 4) | low;
      if (decoded === 0) return 'a NUL byte (%00)';
      out[length++] = decoded;
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return out.subarray(0, length);
}

/** Splits a form body into decoded byte pairs. Strict: see protocol.md §10 item 2. */
function splitForm(bytes: Uint8Array): RawParam[] | ParseResult {
  const params: RawParam[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(AMP, start);
    if (end < 0) end = bytes.length;
    if (params.length === MAX_PARAMS) {
      return fail(
        new NotifyError('BODY_TOO_LARGE', `The body has more than ${MAX_PARAMS} parameters.`, {
          hint: 'Real Alipay notifications carry fewer than 100 parameters; this looks like a parameter flood.',
        }),
      );
    }
    if (end === start) return malformed(`Empty parameter at byte ${start} ("&&", or "&" at either end).`);
    let eq = -1;
    for (let i = start; i < end; i++) {
      if (bytes[i] === EQ) {
        eq = i;
        break;
      }
    }
    if (eq < 0) return malformed(`Parameter ${params.length + 1} has no "=".`);
    if (eq === start) return malformed(`Parameter ${params.length + 1} has an empty key.`);
    const keyBytes = decodeComponent(bytes, start, eq);
    if (typeof keyBytes === 'string') return malformed(`Key of parameter ${params.length + 1} has ${keyBytes}.`);
    const valueBytes = decodeComponent(bytes, eq + 1, end);
    if (typeof valueBytes === 'string') {
      return malformed(`Value of parameter ${params.length + 1} has ${valueBytes}.`);
    }
    params.push({ keyBytes, valueBytes });
    start = end + 1;
  }
  return params;
}

const CHARSET_KEY = [0x63, 0x68, 0x61, 0x72, 0x73, 0x65, 0x74]; // "charset"

function isCharsetKey(key: Uint8Array): boolean {
  if (key.length !== CHARSET_KEY.length) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== CHARSET_KEY[i]) return false;
  return true;
}

/** Printable, bounded rendering of a parameter name for messages (names only, never values). */
export function describeKey(key: string): string {
  const clipped = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return JSON.stringify(clipped);
}

function decodeText(bytes: Uint8Array, decoder: TextDecoder | null): string | undefined {
  if (isAscii(bytes)) return asciiText(bytes, 0, bytes.length);
  if (decoder === null) {
    // No decoder for this charset here: keep ASCII, mark the rest as unknown.
    let text = '';
    for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : '\ufffd';
    return text;
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function assemble(raw: readonly RawParam[], source: 'bytes' | 'object'): ParseResult {
  const charsetParam = raw.find((p) => isCharsetKey(p.keyBytes));
  let charset: NotifyCharset = 'utf-8';
  if (charsetParam !== undefined) {
    const label = isAscii(charsetParam.valueBytes)
      ? asciiText(charsetParam.valueBytes, 0, charsetParam.valueBytes.length)
      : '';
    const normalized = normalizeCharset(label);
    if (normalized === undefined) {
      return fail(new NotifyError('CHARSET_UNSUPPORTED', 'The charset parameter names an unsupported encoding.'));
    }
    charset = normalized;
  }
  // Object input is text already: it is verified as UTF-8 whatever its charset param says.
  const decoder = decoderFor(source === 'object' ? 'utf-8' : charset);
  const byKey: Record<string, FormParam> = Object.create(null);
  const params: FormParam[] = [];
  for (const { keyBytes, valueBytes } of raw) {
    const key = decodeText(keyBytes, decoder);
    const value = decodeText(valueBytes, decoder);
    if (key === undefined || value === undefined) {
      return malformed(`A parameter is not valid ${charset}.`, `The bytes do not decode as ${charset}, the charset the body declares: was the body re-encoded, or does its charset param lie?`);
    }
    if (byKey[key] !== undefined) {
      return fail(
        new NotifyError('DUPLICATE_PARAM', `Parameter ${describeKey(key)} appears more than once.`, { param: key }),
      );
    }
    const param: FormParam = { key, value, keyBytes, valueBytes };
    byKey[key] = param;
    params.push(param);
  }
  const textExact = decoder !== null;
  return { ok: true, body: { params, byKey, charset, textExact, source } };
}

function parseBytes(bytes: Uint8Array): ParseResult {
  if (bytes.length === 0) return fail(new NotifyError('BODY_EMPTY', 'The body is empty.'));
  const raw = splitForm(bytes);
  if (!Array.isArray(raw)) return raw;
  return assemble(raw, 'bytes');
}

function parseEntries(entries: Iterable<[string, unknown]>): ParseResult {
  const raw: RawParam[] = [];
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      return malformed(
        `Parameter ${describeKey(key)} is not a string.`,
        'Parsed-object input must map names to strings; a body parser with nested/extended parsing produced something else. Pass the raw body instead.',
      );
    }
    if (key === '') return malformed('A parameter has an empty key.');
    if (key.includes('\0') || value.includes('\0')) return malformed(`Parameter ${describeKey(key)} contains a NUL.`);
    if (raw.length === MAX_PARAMS) {
      return fail(new NotifyError('BODY_TOO_LARGE', `The body has more than ${MAX_PARAMS} parameters.`));
    }
    raw.push({ keyBytes: utf8Bytes(key), valueBytes: utf8Bytes(value) });
  }
  if (raw.length === 0) return fail(new NotifyError('BODY_EMPTY', 'The parsed body has no parameters.'));
  return assemble(raw, 'object');
}

/**
 * Parses a notification body strictly. Raw bodies (string, bytes) are split and
 * percent-decoded to bytes by our own parser; URLSearchParams and plain objects are
 * accepted as already-decoded UTF-8 text. Never throws.
 */
export function parseNotifyBody(body: unknown): ParseResult {
  try {
    if (body === undefined || body === null) {
      return fail(new NotifyError('BODY_EMPTY', `The body is ${String(body)}.`));
    }
    if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
      return parseBytes(bodyBytes(body));
    }
    if (body instanceof URLSearchParams) return parseEntries(body.entries());
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      return parseEntries(Object.entries(body));
    }
    return malformed(
      `Unsupported body type (${body === null ? 'null' : typeof body}).`,
      'Pass the raw body as a string, Uint8Array/Buffer or ArrayBuffer (or URLSearchParams / a string map).',
    );
  } catch (cause) {
    // Getters or proxies in object input; never let them escape as a throw.
    return fail(new NotifyError('BODY_MALFORMED', 'The body could not be read.', { cause }));
  }
}
