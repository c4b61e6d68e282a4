import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVerifier, NOTIFY_ERROR_CODES } from '../../src/index.js';
import { isBlankValue } from '../../src/canonical/sign-content.js';
import { signNotify } from '../../src/testing/index.js';
import { alipayKeys } from '../helpers/keys.js';

const verifier = createVerifier({ alipayPublicKey: alipayKeys().publicKey, signTypes: ['RSA2', 'RSA'] });

/** Values with the characters that break naive implementations. */
const nastyValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('+', '&', '=', '%', ' ', '%2B', '中', '"', '{', '}', '\n', 'a', '0', '/'), maxLength: 20 }),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '\t', '100%', '%41', 'a+b', 'a&b=c'),
);
const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/).filter((k) => k !== 'sign' && k !== 'sign_type' && k !== 'charset');
const paramMap = fc.dictionary(key, nastyValue, { minKeys: 1, maxKeys: 25 });

/** What the verifier must report for a signed map: every non-blank param, plus sign_type and charset. */
function expectedParams(params: Record<string, string>, signType: string): Record<string, string> {
  const out: Record<string, string> = { charset: 'utf-8', sign_type: signType };
  for (const [k, v] of Object.entries(params)) if (!isBlankValue(v)) out[k] = v;
  return out;
}

/**
 * Whether the signed string of these params also reads as another param set: a value holding
 * "&name=" where name would sort between its key and the next signed key (protocol.md §7
 * item 7). The verifier refuses such notifications (BODY_MALFORMED) instead of guessing.
 */
function hasSecondReading(params: Record<string, string>, signType: string, signedContent: string): boolean {
  const signed = Object.entries({ ...expectedParams(params, signType) })
    .filter(([k]) => signedContent === 'v2' || k !== 'sign_type')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return signed.some(([k, v], i) => {
    const next = signed[i + 1]?.[0];
    return [...v.matchAll(/&([^&=]*)=/g)].some(([, name]) => name !== '' && name! > k && (next === undefined || name! < next));
  });
}

describe('properties', () => {
  it('sign-then-verify round-trips arbitrary param maps (v1/v2, RSA2/RSA)', async () => {
    await fc.assert(
      fc.asyncProperty(paramMap, fc.constantFrom('v1', 'v2'), fc.constantFrom('RSA2', 'RSA'), async (params, signedContent, signType) => {
        const { body } = signNotify(params, { privateKey: alipayKeys().privateKey, signedContent, signType });
        const result = await verifier.verify(body);
        if (hasSecondReading(params, signType, signedContent)) {
          expect(result.ok ? 'ok' : result.error.code).toBe('BODY_MALFORMED');
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect({ ...result.params }).toEqual(expectedParams(params, signType));
        // A body without blank values signed v2 could also match v1 only if sign_type were absent: never here.
        expect(result.signedContent).toBe(signedContent);
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });

  it('any byte mutation of a signed body either fails or leaves the signed content intact', async () => {
    const base = signNotify({ out_trade_no: 'A1+&=%', total_amount: '88.88', subject: '中文 & more' }, { privateKey: alipayKeys().privateKey });
    const original = await verifier.verify(base.body);
    if (!original.ok) throw original.error;
    const bytes = new TextEncoder().encode(base.body);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, delta) => {
        const mutated = bytes.slice();
        mutated[index] = (mutated[index]! + delta) & 0xff;
        const result = await verifier.verify(mutated);
        if (result.ok) expect({ ...result.params }).toEqual({ ...original.params });
        else expect(NOTIFY_ERROR_CODES).toContain(result.error.code);
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('any change of the decoded signature fails', async () => {
    const base = signNotify({ out_trade_no: 'A2', total_amount: '1.00' }, { privateKey: alipayKeys().privateKey });
    const signature = Buffer.from(base.params['sign']!, 'base64');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: signature.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, delta) => {
        const mutated = Buffer.from(signature);
        mutated[index] = (mutated[index]! + delta) & 0xff;
        const body = base.body.replace(/sign=[^&]*$/, `sign=${encodeURIComponent(mutated.toString('base64'))}`);
        const result = await verifier.verify(body);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('verify never throws and never accepts arbitrary bytes, strings or objects', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc.string({ maxLength: 300 }),
          fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
          fc.anything(),
        ),
        async (input) => {
          const result = await verifier.verify(input as string);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(NOTIFY_ERROR_CODES).toContain(result.error.code);
        },
      ),
      { numRuns: 1000, seed: 42 },
    );
  });
});
