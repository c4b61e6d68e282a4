import { inputScratch } from './scratch.js';

/*
 * Byte helpers that work on every runtime (Node, workers, Deno, Bun): plain Uint8Array and
 * TextEncoder, no node:buffer.
 */

const utf8Encoder = new TextEncoder();

/**
 * A byte view of the body, without copying when it is already binary. A string is encoded
 * into scratch memory (valid until the next call).
 */
export function encodeBody(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') {
    const target = inputScratch.get(body.length * 3);
    return target.subarray(0, utf8Encoder.encodeInto(body, target).written);
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return body;
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
