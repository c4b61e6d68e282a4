import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { createNotifyHandler, isPaid, memoryIdempotencyStore, type NotifyAnomaly, type TradeNotification } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys, appKeys } from '../helpers/keys.js';

/** The handler with the real verifier and real signed notifications. */
function setup(orders: Record<string, string | number | Decimal>) {
  const effects: string[] = [];
  const anomalies: NotifyAnomaly[] = [];
  const handle = createNotifyHandler({
    verifier: { alipayPublicKey: alipayKeys().publicKey, appId: '2021000000000001' },
    idempotency: memoryIdempotencyStore(),
    async findOrder(n: TradeNotification) {
      const amount = n.outTradeNo === undefined ? undefined : orders[n.outTradeNo];
      return amount === undefined ? null : { totalAmount: amount, sellerId: '2088000000000002' };
    },
    async onTrade(n: TradeNotification) {
      effects.push(`${n.kind}:${n.outTradeNo}:${n.outBizNo ?? ''}:${isPaid(n)}`);
    },
    onAnomaly: (a) => void anomalies.push(a),
  });
  return { handle, effects, anomalies };
}

const sign = (overrides: Record<string, string>) => signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey }).body;

describe('createNotifyHandler with the real verifier', () => {
  it('processes a genuine payment once; its retry is a duplicate', async () => {
    const { handle, effects } = setup({ 'ORDER-1': '88.88' });
    const body = sign({ out_trade_no: 'ORDER-1', total_amount: '88.88' });
    expect(await handle(body)).toMatchObject({ status: 200, contentType: 'text/plain', body: 'success', outcome: 'processed' });
    expect(await handle(body)).toMatchObject({ body: 'success', outcome: 'duplicate' });
    expect(effects).toEqual(['payment:ORDER-1::true']);
  });

  it('a payment, two partial refunds and a close of one order are four events', async () => {
    const { handle, effects } = setup({ 'ORDER-2': 100 });
    const base = { out_trade_no: 'ORDER-2', total_amount: '100.00' };
    const bodies = [
      sign(base),
      sign({ ...base, out_biz_no: 'R1', refund_fee: '10.00', gmt_refund: '2026-11-30 10:00:00.100' }),
      sign({ ...base, out_biz_no: 'R2', refund_fee: '30.00', gmt_refund: '2026-11-30 11:00:00.200' }),
      sign({ ...base, trade_status: 'TRADE_CLOSED', gmt_close: '2026-11-30 12:00:00' }),
    ];
    for (const body of bodies) expect((await handle(body)).outcome).toBe('processed');
    for (const body of bodies) expect((await handle(body)).outcome).toBe('duplicate');
    expect(effects).toEqual(['payment:ORDER-2::true', 'refund:ORDER-2:R1:false', 'refund:ORDER-2:R2:false', 'close:ORDER-2::false']);
  });

  it('rejects forged and altered bodies with fail, and wrong keys', async () => {
    const { handle, effects } = setup({ 'ORDER-3': '88.88' });
    const body = sign({ out_trade_no: 'ORDER-3' });
    expect(await handle(body.replace('total_amount=88.88', 'total_amount=0.01'))).toMatchObject({ body: 'fail', outcome: 'rejected' });
    expect(await handle(`total_amount=0.01&${body}`)).toMatchObject({ body: 'fail', outcome: 'rejected' });
    const forged = signNotify(tradeNotifyParams({ out_trade_no: 'ORDER-3' }), { privateKey: appKeys().privateKey }).body;
    expect(await handle(forged)).toMatchObject({ body: 'fail', outcome: 'rejected' });
    expect(effects).toEqual([]);
  });

  it('amount checks compare Decimals exactly: 0.1 = 0.10, 88.88 = number 88.88, 88.88 ≠ 88.89', async () => {
    const { handle, effects, anomalies } = setup({ A: '0.1', B: 88.88, C: new Decimal('88.89') });
    expect((await handle(sign({ out_trade_no: 'A', total_amount: '0.10' }))).outcome).toBe('processed');
    expect((await handle(sign({ out_trade_no: 'B', total_amount: '88.88' }))).outcome).toBe('processed');
    expect(await handle(sign({ out_trade_no: 'C', total_amount: '88.88' }))).toMatchObject({ body: 'success', outcome: 'anomaly' });
    expect(await handle(sign({ out_trade_no: 'UNKNOWN' }))).toMatchObject({ body: 'success', outcome: 'anomaly' });
    expect(await handle(sign({ app_id: '2021000000000999', auth_app_id: '2021000000000999', out_trade_no: 'A' }))).toMatchObject({ body: 'success', outcome: 'anomaly' });
    expect(anomalies.map((a) => a.code)).toEqual(['AMOUNT_MISMATCH', 'ORDER_NOT_FOUND', 'APP_ID_MISMATCH']);
    expect(effects).toHaveLength(2);
  });

  it('1,000 concurrent deliveries of one notification: onTrade runs exactly once', async () => {
    const { handle, effects } = setup({ 'ORDER-4': '88.88' });
    const body = sign({ out_trade_no: 'ORDER-4' });
    const replies = await Promise.all(Array.from({ length: 1000 }, () => handle(body)));
    expect(replies.every((r) => r.body === 'success' || r.body === 'fail')).toBe(true);
    // The deliveries really overlapped: the ones that found the claim taken replied fail.
    expect(replies.filter((r) => r.body === 'fail').length).toBeGreaterThan(0);
    // Alipay retries every "fail": all of them end in success, nothing runs twice.
    const retries = await Promise.all(replies.filter((r) => r.body === 'fail').map(() => handle(body)));
    expect(retries.every((r) => r.body === 'success')).toBe(true);
    expect(effects).toEqual(['payment:ORDER-4::true']);
  });
});
