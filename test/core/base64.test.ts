import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, decodeSlow } from '../../src/crypto/base64.js';

/** Strict standard base64 by definition: what a canonical encoder outputs for some bytes. */
function isCanonical(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0 && Buffer.from(text, 'base64').toString('base64') === text;
}

const nearBase64 = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: fc.constantFrom('A', 'Q', 'g', 'z', '0', '+', '/', '=', '-', '_', ' ', '\n', 'é'), maxLength: 24 }),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).chain((b) => {
    const text = Buffer.from(b).toString('base64');
    return fc.nat(text.length - 1).map((i) => text.slice(0, i) + text.slice(i + 1));
  }),
);

describe('strict base64 (signatures)', () => {
  it('the native round-trip fast path and the JS decoder agree on every input', () => {
    fc.assert(
      fc.property(nearBase64, (text) => {
        const fast = decodeBase64Strict(text);
        const slow = decodeSlow(text);
        if (typeof fast === 'string' || typeof slow === 'string') {
          expect(typeof fast).toBe('string');
          expect(typeof slow).toBe('string');
          expect(isCanonical(text)).toBe(false);
        } else {
          expect(Buffer.from(fast).equals(Buffer.from(slow))).toBe(true);
          expect(isCanonical(text)).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261130 },
    );
  });

  it('refuses what a lenient decoder accepts: URL-safe letters, missing padding, non-zero trailing bits, whitespace', () => {
    for (const text of ['ab-_', 'QQ', 'QR==', 'QUI=\n', 'QU I=', 'QUI', '=QUI']) expect(typeof decodeBase64Strict(text)).toBe('string');
    expect(Array.from(decodeBase64Strict('QUI=') as Uint8Array)).toEqual([0x41, 0x42]);
  });
});
