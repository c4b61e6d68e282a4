import { inputScratch } from './scratch.js';

/*
 * Byte helpers that work on every runtime (Node, workers, Deno, Bun): plain Uint8Array and
 * TextEncoder, no node:buffer.
 */

/**
 * A byte view of the body, without copying when it is already binary. A string is encoded
 * into scratch memory (valid until the next call).
 */
export function encodeBody(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return inputScratch.utf8(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return body;
}
