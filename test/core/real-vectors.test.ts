import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { buildSignContent, createVerifier, isTradeNotification, parseNotifyBody } from '../../src/index.js';
import { formEncodeBytes } from '../../src/testing/index.js';
import { formBody, realVector } from '../helpers/real.js';

const vectors = [
  { name: 'trade-status-sync.v1', signedContent: 'v1', type: 'trade_status_sync' },
  { name: 'servicemarket-order-notify.v2', signedContent: 'v2', type: 'servicemarket_order_notify' },
] as const;

/** Java URLEncoder style: what Alipay's gateway writes on the wire. */
function javaFormBody(params: Readonly<Record<string, string>>): string {
  const enc = new TextEncoder();
  return Object.entries(params)
    .map(([k, v]) => `${formEncodeBytes(enc.encode(k))}=${formEncodeBytes(enc.encode(v))}`)
    .join('&');
}

describe.each(vectors)('real Alipay-signed vector $name', ({ name, signedContent, type }) => {
  const fx = realVector(name);
  const verifier = createVerifier({ alipayPublicKey: fx.alipayPublicKey });

  it('builds exactly the documented sign string', () => {
    expect(buildSignContent(formBody(fx.params), { signedContent })).toBe(fx.expected.signContent);
    expect(buildSignContent(fx.params, { signedContent })).toBe(fx.expected.signContent);
  });

  const inputs: Array<[string, () => unknown]> = [
    ['URLSearchParams-encoded string', () => formBody(fx.params)],
    ['Java-URLEncoder-encoded string', () => javaFormBody(fx.params)],
    ['Buffer', () => Buffer.from(formBody(fx.params))],
    ['Uint8Array', () => new TextEncoder().encode(formBody(fx.params))],
    ['ArrayBuffer', () => new TextEncoder().encode(formBody(fx.params)).buffer],
    ['parsed object', () => ({ ...fx.params })],
    ['URLSearchParams', () => new URLSearchParams(fx.params)],
  ];

  it.each(inputs)('verifies from a %s', async (_label, make) => {
    const result = await verifier.verify(make() as string);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signedContent).toBe(signedContent);
    expect(result.signType).toBe('RSA2');
    expect(result.notify.type).toBe(type);
    expect(result.key).toEqual({ index: 0 });
    const { sign: _sign, ...expectedParams } = fx.params;
    expect({ ...result.params }).toEqual(expectedParams);
  });

  it('verifies with the bare base64 key too', async () => {
    const result = await createVerifier({ alipayPublicKey: fx.alipayPublicKeyBase64 }).verify(formBody(fx.params));
    expect(result.ok).toBe(true);
  });

  it('fails under the other vector key', async () => {
    const other = realVector(name === 'trade-status-sync.v1' ? 'servicemarket-order-notify.v2' : 'trade-status-sync.v1');
    const result = await createVerifier({ alipayPublicKey: other.alipayPublicKey }).verify(formBody(fx.params));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('SIGNATURE_INVALID');
  });

  /** A different character for `code` (digits stay digits, space stays printable). */
  const other = (code: number) => String.fromCharCode(code === 0x30 ? 0x31 : code === 0x20 ? 0x5f : code ^ 1 || 0x41);

  it('fails on every single-character change of every value (sign_type included)', async () => {
    let checked = 0;
    for (const [key, value] of Object.entries(fx.params)) {
      if (key === 'sign') continue;
      for (let i = 0; i < value.length; i++) {
        const mutated = { ...fx.params, [key]: value.slice(0, i) + other(value.charCodeAt(i)) + value.slice(i + 1) };
        const result = await verifier.verify(formBody(mutated));
        expect(result.ok, `${key}[${i}]`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('fails on every single-character change of every parameter name', async () => {
    let checked = 0;
    for (const key of Object.keys(fx.params)) {
      for (let i = 0; i < key.length; i++) {
        const renamed = key.slice(0, i) + other(key.charCodeAt(i)) + key.slice(i + 1);
        const mutated = Object.fromEntries(Object.entries(fx.params).map(([k, v]) => [k === key ? renamed : k, v]));
        const result = await verifier.verify(formBody(mutated));
        expect(result.ok, `${key}[${i}] -> ${renamed}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('fails on every single-character change of the raw body as sent', async () => {
    const body = formBody(fx.params);
    for (let i = 0; i < body.length; i++) {
      const result = await verifier.verify(body.slice(0, i) + other(body.charCodeAt(i)) + body.slice(i + 1));
      expect(result.ok, `body[${i}] (${JSON.stringify(body.slice(Math.max(0, i - 8), i + 8))})`).toBe(false);
    }
  });

  it('fails on every single-character change of the signature', async () => {
    const sign = fx.params['sign']!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < sign.length - 2; i++) {
      const c = sign[i]!;
      const replacement = alphabet[(alphabet.indexOf(c) + 1) % 64]!;
      const result = await verifier.verify(formBody({ ...fx.params, sign: sign.slice(0, i) + replacement + sign.slice(i + 1) }));
      expect(result.ok, `sign[${i}]`).toBe(false);
    }
  });

  it('parses to the same params as the JSON', () => {
    const parsed = parseNotifyBody(formBody(fx.params));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(Object.fromEntries(parsed.body.params.map((p) => [p.key, p.value]))).toEqual(fx.params);
  });
});

describe('the real trade notification model', () => {
  it('has typed amounts, UTC+8 times and a business idempotency key', async () => {
    const fx = realVector('trade-status-sync.v1');
    const result = await createVerifier({ alipayPublicKey: fx.alipayPublicKey, appId: '2019073166072302', sellerId: '2088531891668739' }).verify(formBody(fx.params));
    expect(result.ok).toBe(true);
    if (!result.ok || !isTradeNotification(result.notify)) throw new Error('expected a trade notification');
    const n = result.notify;
    expect(n.kind).toBe('payment');
    expect(n.totalAmount?.toFixed(2)).toBe('0.10');
    expect(n.pointAmount?.isZero()).toBe(true);
    expect(n.gmtPayment?.toISOString()).toBe('2019-08-15T07:56:24.000Z');
    expect(n.notifyTime?.toISOString()).toBe('2019-08-15T07:56:25.000Z');
    expect(n.subject).toBe('语雀空间 500人规模');
    expect(n.fundBillList?.raw).toBe('[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}]');
    expect(n.fundBillList?.items?.[0]?.fundChannel).toBe('ALIPAYACCOUNT');
    expect(n.fundBillList?.items?.[0]?.amount?.toFixed(2)).toBe('0.10');
    expect(n.tradeStatus).toBe('TRADE_SUCCESS');
    expect(n.idempotencyKey).toContain('20190815155618536-564-57');
    expect(n.raw['sign']).toBeUndefined();
  });
});
