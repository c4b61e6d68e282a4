/*
 * Byte helpers that work on every runtime (Node, workers, Deno, Bun): plain Uint8Array,
 * TextEncoder/TextDecoder, no node:buffer.
 */

const utf8Encoder = new TextEncoder();

/** A byte view of the body, without copying when it is already binary. */
export function bodyBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return utf8Encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return body;
}

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Whether the body is over the limit, without encoding a string that is obviously too big. */
export function exceedsLimit(body: string | Uint8Array | ArrayBuffer, limit: number): boolean {
  if (typeof body === 'string') {
    // UTF-8 needs at least one byte per UTF-16 unit and at most three.
    if (body.length > limit) return true;
    if (body.length * 3 <= limit) return false;
    return utf8Encoder.encode(body).byteLength > limit;
  }
  return body.byteLength > limit;
}

/** Text of a byte range that is known to be ASCII. */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
  return String.fromCharCode.apply(null, Array.from(bytes.subarray(start, end)));
}

/** Whether every byte of the range is below 0x80. */
export function isAscii(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
