/**
 * Runtimes whose TextDecoder has no GBK (small-ICU builds, some edge runtimes): simulated by
 * making decoderFor() return null for the GBK family. Verification works on the received
 * bytes regardless, on both providers; the model's text then shows U+FFFD for each run of
 * non-ASCII bytes, and parseNotifyBody says so with textExact: false.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/parse/charset.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/parse/charset.js')>();
  return { ...original, decoderFor: (charset: Parameters<typeof original.decoderFor>[0]) => (charset === 'utf-8' ? original.decoderFor(charset) : null) };
});

const nodeBuild = await import('../../src/index.js');
const webBuild = await import('../../src/index.web.js');
const { signNotify, tradeNotifyParams } = await import('../../src/testing/index.js');
const { alipayKeys } = await import('../helpers/keys.js');

describe.each([
  ['node:crypto', nodeBuild],
  ['webcrypto', webBuild],
] as const)('GBK without a GBK TextDecoder, on %s', (_name, lib) => {
  const params = tradeNotifyParams({ subject: '中文商品 Tea', body: 'plain ascii', total_amount: '12.30' });

  it.each(['gbk', 'gb2312', 'gb18030'] as const)('a %s notification still verifies; its non-ASCII text is U+FFFD', async (charset) => {
    const { body } = signNotify({ ...params, charset }, { privateKey: alipayKeys().privateKey });
    const result = await lib.createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(result.ok).toBe(true);
    if (!result.ok || !lib.isTradeNotification(result.notify)) throw new Error('not verified');
    // Each run of non-ASCII bytes becomes one U+FFFD; ASCII around it is exact.
    expect(result.params['subject']).toBe('\ufffd Tea');
    expect(result.notify.subject).toBe('\ufffd Tea');
    expect(result.notify.body).toBe('plain ascii');
    // Amounts, ids, times and statuses are ASCII: exact.
    expect(result.notify.totalAmount?.toFixed(2)).toBe('12.30');
    expect(result.notify.outTradeNo).toBe(params['out_trade_no']);
    expect(result.notify.tradeStatus).toBe(params['trade_status']);
    expect(result.notify.charset).toBe(charset);

    const parsed = lib.parseNotifyBody(body);
    expect(parsed.ok && parsed.body.textExact).toBe(false);
  });

  it('tampering is still caught: the bytes are verified, not the lossy text', async () => {
    const { body } = signNotify({ ...params, charset: 'gbk' }, { privateKey: alipayKeys().privateKey });
    const forged = body.replace('%D6%D0', '%D6%D1'); // one GBK byte of 中 changed
    expect(forged).not.toBe(body);
    const result = await lib.createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(forged);
    expect(!result.ok && result.error.code).toBe('SIGNATURE_INVALID');
  });

  it('UTF-8 notifications are unaffected', async () => {
    const { body } = signNotify({ ...params, charset: 'utf-8' }, { privateKey: alipayKeys().privateKey });
    const result = await lib.createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(result.ok && result.params['subject']).toBe('中文商品 Tea');
    const parsed = lib.parseNotifyBody(body);
    expect(parsed.ok && parsed.body.textExact).toBe(true);
  });
});
