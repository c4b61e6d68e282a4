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

describe('GBK without a GBK TextDecoder, on a runtime without Buffer', () => {
  // Without Buffer, the body's one-char-per-byte text comes from a windows-1252 TextDecoder.
  // Node 20 decodes windows-1252 as ISO-8859-1; browsers and workerd follow the WHATWG table,
  // which maps most of 0x80-0x9F outside U+0080-U+00FF (0x80 is €): simulated here.
  const WHATWG_1252: Readonly<Record<number, number>> = { 0x80: 0x20ac, 0x82: 0x201a, 0x95: 0x2022, 0x9c: 0x0153 };
  const NativeDecoder = TextDecoder;
  class SpecDecoder extends NativeDecoder {
    private readonly cp1252: boolean;
    constructor(label?: string, options?: TextDecoderOptions) {
      super(label, options);
      this.cp1252 = label === 'windows-1252';
    }
    override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
      if (!this.cp1252 || input === undefined) return super.decode(input, options);
      const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
      return Array.from(bytes, (b) => String.fromCharCode(WHATWG_1252[b] ?? b)).join('');
    }
  }
  class No1252Decoder extends NativeDecoder {
    constructor(label?: string, options?: TextDecoderOptions) {
      if (label === 'windows-1252') throw new RangeError(`The "${label}" encoding is not supported`);
      super(label, options);
    }
  }

  // 個 is GBK 82 80 and 暅 is 95 9C.
  const params = tradeNotifyParams({ subject: '個 Tea 暅', charset: 'gbk' });
  const { body } = signNotify(params, { privateKey: alipayKeys().privateKey });

  async function verifyWithout(decoder: typeof TextDecoder): Promise<Awaited<ReturnType<import('../../src/index.js').NotifyVerifier['verify']>>> {
    vi.resetModules();
    vi.stubGlobal('Buffer', undefined);
    vi.stubGlobal('TextDecoder', decoder);
    try {
      const web = await import('../../src/index.web.js');
      return await web.createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    } finally {
      vi.unstubAllGlobals();
    }
  }

  it.each([
    ['a WHATWG windows-1252 decoder', SpecDecoder],
    ['no windows-1252 decoder either', No1252Decoder],
  ])('with %s, each run of non-ASCII bytes is U+FFFD', async (_label, decoder) => {
    expect(body).toMatch(/subject=%82%80\+Tea\+%95%9C/);
    const result = await verifyWithout(decoder);
    if (!result.ok) throw result.error;
    expect(result.params['subject']).toBe('\ufffd Tea \ufffd');
    expect(result.params['out_trade_no']).toBe(params['out_trade_no']);
  });
});
