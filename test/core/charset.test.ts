import { describe, expect, it } from 'vitest';
import { createVerifier, isTradeNotification } from '../../src/index.js';
import { encodeGbk, signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys } from '../helpers/keys.js';

const verifier = () => createVerifier({ alipayPublicKey: alipayKeys().publicKey });

describe('GBK notifications', () => {
  const subject = '中文商品：测试（GBK）';
  const body = '描述 with spaces & symbols = 100% + more';

  it.each(['gbk', 'GBK', 'gb2312', 'gb18030'])('verify over the GBK bytes with charset=%s and decode the text', async (label) => {
    const signed = signNotify(tradeNotifyParams({ subject, body, charset: label }), { privateKey: alipayKeys().privateKey });
    const wire = signed.body;
    expect(wire).toContain(`charset=${label}&`);
    expect(wire).toContain(`subject=${Array.from(encodeGbk(subject), (b) => (b < 0x80 ? '' : `%${b.toString(16).toUpperCase()}`)).join('').slice(0, 12)}`);
    const result = await verifier().verify(wire);
    if (!result.ok) throw result.error;
    if (!isTradeNotification(result.notify)) throw new Error(`not a trade notification: ${result.notify.type}`);
    expect(result.notify.subject).toBe(subject);
    expect(result.notify.body).toBe(body);
    expect(result.notify.charset).toBe(label.toLowerCase());
  });

  it('fails when a framework re-encoded the GBK text as UTF-8', async () => {
    const signed = signNotify(tradeNotifyParams({ subject }), { privateKey: alipayKeys().privateKey, charset: 'gbk' });
    const reencoded = new URLSearchParams(signed.params).toString(); // UTF-8 bytes, charset still says gbk
    const result = await verifier().verify(reencoded);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('BODY_MALFORMED');
  });

  it('a parsed object of a GBK notification with ASCII-only text still verifies', async () => {
    const signed = signNotify(tradeNotifyParams({ subject: 'ascii only', body: 'plain' }), { privateKey: alipayKeys().privateKey, charset: 'gbk' });
    const result = await verifier().verify(signed.params);
    expect(result.ok).toBe(true);
  });

  it('UTF-8 bytes that are invalid are refused before verification', async () => {
    const signed = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });
    const result = await verifier().verify(signed.body.replace(/subject=[^&]*/, 'subject=%FF%FE'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BODY_MALFORMED');
      expect(result.error.hint).toMatch(/charset/);
    }
  });
});
