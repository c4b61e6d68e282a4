/*
 * Overlong bodies and parameter floods. The proof that the size limit is checked before any
 * work is by construction: each oversized body starts with bytes the parser would reject at
 * once (a bad escape, an empty pair, a NUL), so getting BODY_TOO_LARGE instead of
 * BODY_MALFORMED shows the parser never ran. Costs are measured in bench/resource.ts, never
 * asserted here: unit tests do not time things.
 */
import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULT_MAX_BODY_BYTES } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { expectRejected, keys, signPairs, type Pair } from './helpers.js';

const { alipay } = keys();
const verifier = createVerifier({ alipayPublicKey: alipay.publicKey });
const TEN_MB = 10 * 1024 * 1024;

describe('overlong bodies are BODY_TOO_LARGE before parsing', () => {
  it('a 10 MB string that starts with a bad escape is BODY_TOO_LARGE (not BODY_MALFORMED)', async () => {
    const body = `%zz&&${'a'.repeat(TEN_MB)}`;
    const result = await verifier.verify(body);
    expect(result.ok ? '' : result.error.message).toContain(String(DEFAULT_MAX_BODY_BYTES));
    expectRejected(result, 'BODY_TOO_LARGE');
  });

  it('10 MB of NUL bytes as Uint8Array, Buffer and ArrayBuffer are BODY_TOO_LARGE', async () => {
    const bytes = new Uint8Array(TEN_MB);
    for (const body of [bytes, Buffer.from(bytes.buffer), bytes.buffer]) {
      const result = await verifier.verify(body);
      expectRejected(result, 'BODY_TOO_LARGE');
    }
  });

  it('a string within the limit in UTF-16 units but over it in UTF-8 bytes is BODY_TOO_LARGE', async () => {
    const limit = 30_000;
    const small = createVerifier({ alipayPublicKey: alipay.publicKey, maxBodyBytes: limit });
    const body = `&&${'语'.repeat(limit / 2)}`; // 15,002 UTF-16 units, 45,002 UTF-8 bytes
    expect(body.length).toBeLessThan(limit);
    expectRejected(await small.verify(body), 'BODY_TOO_LARGE');
  });

  it('the limit is exact: limit bytes are parsed, limit + 1 are refused unparsed', async () => {
    const body = `&&${'a'.repeat(998)}`; // 1000 bytes, malformed at byte 0
    const exact = createVerifier({ alipayPublicKey: alipay.publicKey, maxBodyBytes: 1000 });
    expectRejected(await exact.verify(body), 'BODY_MALFORMED');
    expectRejected(await exact.verify(`${body}a`), 'BODY_TOO_LARGE');
  });

  it('even a genuine notification over maxBodyBytes is BODY_TOO_LARGE', async () => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipay.privateKey });
    const tight = createVerifier({ alipayPublicKey: alipay.publicKey, maxBodyBytes: body.length - 1 });
    expectRejected(await tight.verify(body), 'BODY_TOO_LARGE');
  });

  it('parsed-object and URLSearchParams input with a 10 MB value are BODY_TOO_LARGE', async () => {
    const { params } = signNotify(tradeNotifyParams(), { privateKey: alipay.privateKey });
    const huge = 'x'.repeat(TEN_MB);
    const objectResult = await verifier.verify({ ...params, subject: huge });
    expectRejected(objectResult, 'BODY_TOO_LARGE');
    const search = new URLSearchParams(params);
    search.set('subject', huge);
    expectRejected(await verifier.verify(search), 'BODY_TOO_LARGE');
  });
});

describe('parameter floods', () => {
  const flood = (count: number) => Array.from({ length: count }, (_, i) => `p${i}=${i}`).join('&');

  it('257 parameters are BODY_TOO_LARGE; 256 are parsed (and fail later on the missing sign)', async () => {
    const error = expectRejected(await verifier.verify(flood(257)), 'BODY_TOO_LARGE');
    expect(error.message).toContain('256');
    expect(error.hint).toMatch(/flood/);
    expectRejected(await verifier.verify(flood(256)), 'SIGN_MISSING');
  });

  it('counting stops at 257: a malformed escape after the 257th parameter is never reached', async () => {
    expectRejected(await verifier.verify(`${flood(300)}&bad=%zz`), 'BODY_TOO_LARGE');
  });

  it('a genuine, correctly signed notification with more than 256 parameters is BODY_TOO_LARGE', async () => {
    const extra: Pair[] = Array.from({ length: 240 }, (_, i) => [`extra_${String(i).padStart(3, '0')}`, 'x']);
    const { body } = signPairs([...(Object.entries(tradeNotifyParams()) as Pair[]), ...extra], { privateKey: alipay.privateKey });
    expect(body.length).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
    expectRejected(await verifier.verify(body), 'BODY_TOO_LARGE');
  });

  it('64 KiB of "&" is BODY_MALFORMED at the first empty pair', async () => {
    const result = await verifier.verify('&'.repeat(DEFAULT_MAX_BODY_BYTES));
    expectRejected(result, 'BODY_MALFORMED');
  });

  it('an object with 100,000 keys is BODY_TOO_LARGE', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) many[`k${i}`] = 'v';
    expectRejected(await verifier.verify(many), 'BODY_TOO_LARGE');
  });

  // What it costs is measured in bench/resource.ts; here: which check refuses it.
  it('a 64 KiB body of escapes and separators is refused on the sign (SIGN_MALFORMED)', async () => {
    const pieces = ['%41%42%43', '%26', '%3D', '+', 'a=', '=b'];
    let body = 'sign=AAAA&sign_type=RSA2&x=';
    for (let i = 0; body.length < DEFAULT_MAX_BODY_BYTES - 16; i++) body += pieces[i % pieces.length];
    const result = await verifier.verify(body);
    expectRejected(result, 'SIGN_MALFORMED');
  });
});
