const utf8Encoder = new TextEncoder();

/**
 * Reusable scratch buffers for the synchronous part of verification. Typed arrays larger
 * than a few dozen bytes live outside the JS heap, and allocating (and later collecting)
 * three or four of them per notification cost more than the parsing itself. The verifier
 * parses, builds the sign string and verifies without yielding, so one set of buffers per
 * process is enough; anything that must outlive that window is copied (see `detach`).
 */
export class Scratch {
  private bytes = new Uint8Array(4096);

  /** A view of at least `size` bytes; its contents are only valid until the next call. */
  get(size: number): Uint8Array {
    if (this.bytes.length < size) this.bytes = new Uint8Array(Math.max(size, this.bytes.length * 2));
    return this.bytes;
  }

  /** The UTF-8 bytes of `text`, encoded into this scratch memory (valid until the next call). */
  utf8(text: string): Uint8Array {
    const target = this.get(text.length * 3);
    return target.subarray(0, utf8Encoder.encodeInto(text, target).written);
  }
}

/** Scratch for the encoded body, the decoded body, and the sign string. */
export const inputScratch = new Scratch();
export const decodedScratch = new Scratch();
export const signScratch = new Scratch();

let ranges = new Int32Array(1024);

/** Scratch for parameter ranges (4 ints per parameter). */
export function rangesScratch(size: number): Int32Array {
  if (ranges.length < size) ranges = new Int32Array(size);
  return ranges;
}

let high = new Uint8Array(512);

/** Scratch for per-component "has a non-ASCII byte" flags. */
export function highScratch(size: number): Uint8Array {
  if (high.length < size) high = new Uint8Array(size);
  return high;
}
