/**
 * bytesToBinary takes Buffer's latin1 decoder when the runtime has one and plain JS
 * otherwise: both must give one char per byte, for every byte and past the JS chunk size.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const bytes = new Uint8Array(0x8000 * 2 + 3).map((_, i) => (i * 7) % 256);
const expected = Array.from(bytes, (b) => String.fromCharCode(b)).join('');

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('bytesToBinary', () => {
  it.each([
    ['with Buffer', false],
    ['without Buffer', true],
  ])('%s: one char per byte, a subarray view included, and back with binaryToBytes', async (_, noBuffer) => {
    if (noBuffer) vi.stubGlobal('Buffer', undefined);
    vi.resetModules();
    const { binaryToBytes, bytesToBinary } = await import('../../src/keys/bytes.js');
    expect(bytesToBinary(bytes)).toBe(expected);
    expect(bytesToBinary(bytes.subarray(5, 300))).toBe(expected.slice(5, 300));
    expect(binaryToBytes(bytesToBinary(bytes))).toEqual(bytes);
  });
});
