/*
 * The attacks again, end to end through createNotifyHandler with the real verifier: nothing
 * forged is processed (onTrade and findOrder never run, the reply is `fail`/rejected with the
 * verifier's code), and genuine notifications used against the wrong order, amount or app, or
 * replayed, never run onTrade twice or for the wrong order.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createNotifyHandler,
  memoryIdempotencyStore,
  type NotifyAnomaly,
  type NotifyErrorCode,
  type NotifyOrder,
  type TradeNotification,
} from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { formEncode, keys, rawValue, replaceSegment } from './helpers.js';

const { alipay, app } = keys();
const APP_ID = '2021000000000001';
const orders = new Map<string, NotifyOrder>([
  ['ORDER-ADV-H1', { totalAmount: '88.88', appId: APP_ID }],
  ['ORDER-ADV-H2', { totalAmount: '88.88', appId: APP_ID }],
]);

function setup(publicKey = alipay.publicKey) {
  const anomalies: NotifyAnomaly[] = [];
  const findOrder = vi.fn((n: TradeNotification) => orders.get(n.outTradeNo ?? '') ?? null);
  const onTrade = vi.fn(async (_n: TradeNotification, _o: NotifyOrder) => {});
  const onNotify = vi.fn(async () => {});
  const handle = createNotifyHandler({
    verifier: { alipayPublicKey: publicKey },
    findOrder,
    onTrade,
    onNotify,
    idempotency: memoryIdempotencyStore(),
    onAnomaly: (a) => {
      anomalies.push(a);
    },
  });
  return { handle, findOrder, onTrade, onNotify, anomalies };
}

const genuine = (overrides: Record<string, string> = {}) =>
  signNotify(tradeNotifyParams({ out_trade_no: 'ORDER-ADV-H1', total_amount: '88.88', ...overrides }), { privateKey: alipay.privateKey });

const { body, params } = genuine();
const merged = replaceSegment(body, 'subject', `subject=${rawValue(body, 'subject')}%26total_amount%3D88.88`).replace('&total_amount=88.88', '');

const forged: Array<[string, () => unknown, NotifyErrorCode]> = [
  ['a forged total_amount before the genuine one', () => `total_amount=0.01&${body}`, 'DUPLICATE_PARAM'],
  ['a signed total_amount merged into subject', () => merged, 'BODY_MALFORMED'],
  ['an empty key', () => `=x&${body}`, 'BODY_MALFORMED'],
  ['a lone %', () => replaceSegment(body, 'subject', 'subject=100%'), 'BODY_MALFORMED'],
  ['%00', () => replaceSegment(body, 'subject', 'subject=a%00b'), 'BODY_MALFORMED'],
  ['invalid UTF-8', () => replaceSegment(body, 'subject', 'subject=%FF%FE'), 'BODY_MALFORMED'],
  ['__proto__ added', () => `__proto__=x&${body}`, 'SIGNATURE_INVALID'],
  ['sign_type RSA2 -> RSA', () => replaceSegment(body, 'sign_type', 'sign_type=RSA'), 'SIGN_TYPE_NOT_ALLOWED'],
  ['sign_type missing', () => body.split('&').filter((p) => !p.startsWith('sign_type=')).join('&'), 'SIGN_TYPE_NOT_ALLOWED'],
  ['sign_type rsa2', () => replaceSegment(body, 'sign_type', 'sign_type=rsa2'), 'SIGN_TYPE_NOT_ALLOWED'],
  ['"+" in sign turned into a space', () => replaceSegment(body, 'sign', `sign=${rawValue(body, 'sign').replace(/%2B|%2F/g, '+')}`), 'SIGN_MALFORMED'],
  ['a URL-safe sign', () => ({ ...params, sign: params['sign']!.replace(/[+/]/g, '_') }), 'SIGN_MALFORMED'],
  ['a truncated sign', () => ({ ...params, sign: params['sign']!.slice(0, -4) }), 'SIGN_MALFORMED'],
  ['the sign replayed onto another order', () => replaceSegment(body, 'out_trade_no', 'out_trade_no=ORDER-ADV-H2'), 'SIGNATURE_INVALID'],
  ['a forged amount', () => ({ ...params, total_amount: '0.01' }), 'SIGNATURE_INVALID'],
  ['a 10 MB body', () => `%zz${'a'.repeat(10 * 1024 * 1024)}`, 'BODY_TOO_LARGE'],
  ['a parameter flood', () => Array.from({ length: 300 }, (_, i) => `p${i}=${i}`).join('&'), 'BODY_TOO_LARGE'],
  ['an unsigned body', () => formEncode(Object.entries(tradeNotifyParams({ out_trade_no: 'ORDER-ADV-H1' }))), 'SIGN_MISSING'],
];

describe('forged notifications through the handler: rejected, nothing processed', () => {
  it.each(forged)('%s -> fail / rejected / %s', async (_name, input, code) => {
    const { handle, findOrder, onTrade, onNotify, anomalies } = setup();
    const reply = await handle(input() as string);
    expect({ body: reply.body, outcome: reply.outcome, code: reply.code }).toEqual({ body: 'fail', outcome: 'rejected', code });
    expect(reply.notify).toBeUndefined();
    expect(findOrder).not.toHaveBeenCalled();
    expect(onTrade).not.toHaveBeenCalled();
    expect(onNotify).not.toHaveBeenCalled();
    expect(anomalies).toEqual([]);
  });

  it("the 应用公钥 configured: every genuine notification is rejected, none processed", async () => {
    const { handle, onTrade } = setup(app.publicKey);
    const reply = await handle(body);
    expect([reply.body, reply.outcome, reply.code]).toEqual(['fail', 'rejected', 'SIGNATURE_INVALID']);
    expect(onTrade).not.toHaveBeenCalled();
  });
});

describe('genuine notifications used against the merchant', () => {
  it('a genuine notification for a cheaper amount is an AMOUNT_MISMATCH anomaly, not processed', async () => {
    const { handle, onTrade, anomalies } = setup();
    const reply = await handle(genuine({ total_amount: '0.01', receipt_amount: '0.01' }).body);
    expect([reply.body, reply.outcome, reply.code]).toEqual(['success', 'anomaly', 'AMOUNT_MISMATCH']);
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies.map((a) => a.code)).toEqual(['AMOUNT_MISMATCH']);
  });

  it('a genuine notification for an unknown order, or from another app, is an anomaly, not processed', async () => {
    const { handle, onTrade } = setup();
    expect((await handle(genuine({ out_trade_no: 'ORDER-UNKNOWN' }).body)).code).toBe('ORDER_NOT_FOUND');
    const other = genuine({ app_id: '2021009999999999', auth_app_id: '2021009999999999' }).body;
    expect((await handle(other)).code).toBe('APP_ID_MISMATCH');
    expect(onTrade).not.toHaveBeenCalled();
  });

  it('a genuine notification replayed 50 times, concurrently and then again, runs onTrade once', async () => {
    const { handle, onTrade } = setup();
    const replies = await Promise.all(Array.from({ length: 50 }, () => handle(body)));
    const again = await handle(body);
    expect(onTrade).toHaveBeenCalledTimes(1);
    expect(replies.filter((r) => r.outcome === 'processed')).toHaveLength(1);
    expect(again.outcome).toBe('duplicate');
    // Equivalent re-encodings of the same event are the same event, not a new one.
    const reencoded = body.replace(/\+/g, '%20');
    expect((await handle(reencoded)).outcome).toBe('duplicate');
    expect(onTrade).toHaveBeenCalledTimes(1);
  });
});
