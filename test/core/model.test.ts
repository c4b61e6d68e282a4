import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVerifier, isPaid, isTradeNotification, type TradeNotification } from '../../src/index.js';
import { parseAlipayTime } from '../../src/model/time.js';
import { parseAmount } from '../../src/model/amount.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys } from '../helpers/keys.js';

async function trade(overrides: Record<string, string>): Promise<TradeNotification> {
  const { body } = signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey });
  const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
  if (!result.ok) throw result.error;
  if (!isTradeNotification(result.notify)) throw new Error('not a trade notification');
  return result.notify;
}

describe('amounts', () => {
  it('are exact Decimals from the string, never floats', () => {
    expect(parseAmount('0.10')?.equals(new Decimal('0.1'))).toBe(true);
    expect(parseAmount('20')?.toString()).toBe('20');
    expect(parseAmount('99999999.99')?.toFixed(2)).toBe('99999999.99');
    for (const bad of ['abc', '1.234', '-1.00', '1e3', '0x10', ' 1', '1,00', '', '.5', '1.']) {
      expect(parseAmount(bad), bad).toBeUndefined();
    }
  });
});

describe('times', () => {
  it('are read as UTC+8', () => {
    expect(parseAlipayTime('2019-08-15 15:56:24')?.toISOString()).toBe('2019-08-15T07:56:24.000Z');
    expect(parseAlipayTime('2024-01-01 00:00:00')?.toISOString()).toBe('2023-12-31T16:00:00.000Z');
  });
  it('accept gmt_refund milliseconds', () => {
    expect(parseAlipayTime('2015-04-28 15:45:57.320')?.toISOString()).toBe('2015-04-28T07:45:57.320Z');
    expect(parseAlipayTime('2015-04-28 15:45:57.3')?.toISOString()).toBe('2015-04-28T07:45:57.300Z');
  });
  it('refuse impossible dates instead of rolling over', () => {
    for (const bad of ['2024-02-30 10:00:00', '2024-13-01 10:00:00', '2024-01-01 24:00:00', '2024-01-01T10:00:00', '2024-1-1 10:00:00']) {
      expect(parseAlipayTime(bad), bad).toBeUndefined();
    }
    expect(parseAlipayTime('2024-02-29 23:59:59')?.toISOString()).toBe('2024-02-29T15:59:59.000Z');
  });
  it('equal what Date.UTC gives, minus 8 hours, for every valid date and time (years 0000–9999)', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.boolean(),
        (d, withMillis) => {
          const text =
            `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
            `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
            (withMillis ? `.${pad(d.getUTCMilliseconds(), 3)}` : '');
          const expected = d.getTime() - (withMillis ? 0 : d.getUTCMilliseconds()) - 8 * 3600 * 1000;
          expect(parseAlipayTime(text)?.getTime(), text).toBe(expected);
        },
      ),
      { numRuns: 3000, seed: 20261130 },
    );
  });
});

describe('trade notifications', () => {
  it('classify payment, refund and close, with distinct idempotency keys', async () => {
    const order = { out_trade_no: 'ORDER-1', trade_no: '2024010122001400000000000001' };
    const payment = await trade({ ...order, refund_fee: '0.00' });
    const refund1 = await trade({ ...order, out_biz_no: 'R1', refund_fee: '10.00', gmt_refund: '2024-01-02 10:00:00.123' });
    const refund2 = await trade({ ...order, out_biz_no: 'R2', refund_fee: '30.00', gmt_refund: '2024-01-03 10:00:00.456' });
    const close = await trade({ ...order, trade_status: 'TRADE_CLOSED', gmt_close: '2024-01-04 10:00:00' });
    expect([payment.kind, refund1.kind, refund2.kind, close.kind]).toEqual(['payment', 'refund', 'refund', 'close']);
    expect(new Set([payment, refund1, refund2, close].map((n) => n.idempotencyKey)).size).toBe(4);
    expect(refund1.gmtRefund?.toISOString()).toBe('2024-01-02T02:00:00.123Z');
    expect(refund2.refundFee?.toFixed(2)).toBe('30.00');
    expect(close.gmtClose?.toISOString()).toBe('2024-01-04T02:00:00.000Z');
  });

  it('idempotency keys differ when any business part differs, and "|" inside a part cannot forge a collision', async () => {
    const base = { out_trade_no: 'ORDER-3', trade_no: '2024010122001400000000000003', refund_fee: '0.00' };
    const keys = await Promise.all(
      [
        base,
        { ...base, app_id: '2021000000000201' },
        { ...base, auth_app_id: '2021000000000202' },
        { ...base, out_trade_no: 'ORDER-4' },
        { ...base, trade_status: 'TRADE_FINISHED' },
        { ...base, out_biz_no: 'R1', refund_fee: '1.00' },
        { ...base, out_biz_no: 'R1', refund_fee: '2.00' },
        // Joined naively with "|", these two would read the same.
        { ...base, app_id: 'a', auth_app_id: 'b|c' },
        { ...base, app_id: 'a|b', auth_app_id: 'c' },
      ].map(async (overrides) => (await trade(overrides)).idempotencyKey),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a refund is a refund by gmt_refund or a positive refund_fee alone, and never counts as paid', async () => {
    const order = { out_trade_no: 'ORDER-5', trade_no: '2024010122001400000000000005' };
    const byTime = await trade({ ...order, gmt_refund: '2024-01-02 10:00:00.123', refund_fee: '0.00' });
    const byFee = await trade({ ...order, refund_fee: '0.01' });
    const payment = await trade({ ...order, refund_fee: '0.00' });
    expect([byTime.kind, byFee.kind, payment.kind]).toEqual(['refund', 'refund', 'payment']);
    expect([isPaid(byTime), isPaid(byFee), isPaid(payment)]).toEqual([false, false, true]);
  });

  it('a retry of one event has the same idempotency key, even with a new notify_time', async () => {
    const a = await trade({ out_trade_no: 'ORDER-2', notify_id: 'n1', notify_time: '2024-01-01 10:00:00' });
    const b = await trade({ out_trade_no: 'ORDER-2', notify_id: 'n1', notify_time: '2024-01-01 10:04:00' });
    expect(a.idempotencyKey).toBe(b.idempotencyKey);
  });

  it('keeps unknown statuses and new fields', async () => {
    const n = await trade({ trade_status: 'TRADE_SOMETHING_NEW', buyer_open_id: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5', merchant_app_id: '2021000000000009' });
    expect(n.tradeStatus).toBe('TRADE_SOMETHING_NEW');
    expect(n.buyerOpenId).toBe('074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5');
    expect(n.raw['merchant_app_id']).toBe('2021000000000009');
  });

  it('parses fund_bill_list and voucher_detail_list tolerantly, keeping the raw string', async () => {
    const vouchers = '[{"id":"2015","name":"券","merchantContribute":"1.00"}]';
    const n = await trade({ fund_bill_list: 'not json', voucher_detail_list: vouchers });
    expect(n.fundBillList?.raw).toBe('not json');
    expect(n.fundBillList?.items).toBeUndefined();
    expect(JSON.parse(JSON.stringify(n.fundBillList))).toEqual({ raw: 'not json' });
    expect(n.voucherDetailList?.raw).toBe(vouchers);
    expect(n.voucherDetailList?.items?.[0]?.['merchantContribute']).toBe('1.00');
  });

  it('maps every documented field from its own parameter, with its type', async () => {
    // Every field a distinct value, so a field read from the wrong parameter shows.
    const n = await trade({
      app_id: '2021000000000101', auth_app_id: '2021000000000102', notify_id: 'notify-103', notify_time: '2024-01-01 10:00:04',
      charset: 'utf-8', version: '1.0', trade_no: 'trade-105', out_trade_no: 'order-106', out_biz_no: 'biz-107',
      trade_status: 'TRADE_SUCCESS', total_amount: '100.01', receipt_amount: '100.02', invoice_amount: '100.03',
      buyer_pay_amount: '100.04', point_amount: '100.05', refund_fee: '100.06', subject: 'subject-108', body: 'body-109',
      gmt_create: '2024-01-01 10:00:01', gmt_payment: '2024-01-01 10:00:02', gmt_refund: '2024-01-01 10:00:03.5',
      gmt_close: '2024-01-01 10:00:05', buyer_id: '2088000000000110', buyer_open_id: 'open-111', buyer_logon_id: 'logon-112',
      seller_id: '2088000000000113', seller_email: 'seller-114@example.com', passback_params: 'passback-115',
      fund_bill_list: '[{"amount":"1.00","fundChannel":"PCREDIT"}]', voucher_detail_list: '[{"id":"v-116"}]',
    });
    const at = (s: number, ms = 0) => new Date(Date.UTC(2024, 0, 1, 2, 0, s, ms)).toISOString();
    expect({
      appId: n.appId, authAppId: n.authAppId, notifyId: n.notifyId, notifyTime: n.notifyTime?.toISOString(), charset: n.charset,
      version: n.version, tradeNo: n.tradeNo, outTradeNo: n.outTradeNo, outBizNo: n.outBizNo, tradeStatus: n.tradeStatus,
      totalAmount: n.totalAmount?.toFixed(2), receiptAmount: n.receiptAmount?.toFixed(2), invoiceAmount: n.invoiceAmount?.toFixed(2),
      buyerPayAmount: n.buyerPayAmount?.toFixed(2), pointAmount: n.pointAmount?.toFixed(2), refundFee: n.refundFee?.toFixed(2),
      subject: n.subject, body: n.body, gmtCreate: n.gmtCreate?.toISOString(), gmtPayment: n.gmtPayment?.toISOString(),
      gmtRefund: n.gmtRefund?.toISOString(), gmtClose: n.gmtClose?.toISOString(), buyerId: n.buyerId, buyerOpenId: n.buyerOpenId,
      buyerLogonId: n.buyerLogonId, sellerId: n.sellerId, sellerEmail: n.sellerEmail, passbackParams: n.passbackParams,
      fundBillList: n.fundBillList?.raw, voucherDetailList: n.voucherDetailList?.raw,
    }).toEqual({
      appId: '2021000000000101', authAppId: '2021000000000102', notifyId: 'notify-103', notifyTime: at(4), charset: 'utf-8',
      version: '1.0', tradeNo: 'trade-105', outTradeNo: 'order-106', outBizNo: 'biz-107', tradeStatus: 'TRADE_SUCCESS',
      totalAmount: '100.01', receiptAmount: '100.02', invoiceAmount: '100.03', buyerPayAmount: '100.04', pointAmount: '100.05',
      refundFee: '100.06', subject: 'subject-108', body: 'body-109', gmtCreate: at(1), gmtPayment: at(2), gmtRefund: at(3, 500),
      gmtClose: at(5), buyerId: '2088000000000110', buyerOpenId: 'open-111', buyerLogonId: 'logon-112',
      sellerId: '2088000000000113', sellerEmail: 'seller-114@example.com', passbackParams: 'passback-115',
      fundBillList: '[{"amount":"1.00","fundChannel":"PCREDIT"}]', voucherDetailList: '[{"id":"v-116"}]',
    });
    expect(n.kind).toBe('refund');
    expect(n.fundBillList?.items?.[0]?.amount?.toFixed(2)).toBe('1.00');
  });

  it('keeps passback_params exactly as signed (no second decoding)', async () => {
    const n = await trade({ passback_params: 'merchantBizType%3d3C%26merchantBizNo%3d2016010101111' });
    expect(n.passbackParams).toBe('merchantBizType%3d3C%26merchantBizNo%3d2016010101111');
  });
});

describe('empty values', () => {
  it('Java form: an empty param is not signed and never reaches params or the model', async () => {
    const { body } = signNotify(tradeNotifyParams({ body: '', refund_fee: '   ' }), { privateKey: alipayKeys().privateKey });
    const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect('body' in result.params).toBe(false);
    expect('refund_fee' in result.params).toBe(false);
    expect('body' in result.notify.raw).toBe(false);
  });

  it('keep form (PHP/Node SDK signers) verifies too and keeps the empty params', async () => {
    const { body } = signNotify(tradeNotifyParams({ body: '' }), { privateKey: alipayKeys().privateKey, emptyValues: 'keep' });
    const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.params['body']).toBe('');
  });

  it('v2 with empty values, keep form', async () => {
    const { body } = signNotify(tradeNotifyParams({ body: '' }), { privateKey: alipayKeys().privateKey, emptyValues: 'keep', signedContent: 'v2' });
    const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(result.ok && result.signedContent).toBe('v2');
  });
});

describe('generic notifications', () => {
  it('message-service style notifications verify and are keyed by notify_id', async () => {
    const params = {
      notify_id: '2024010100262165542000000000001',
      utc_timestamp: '1704074400000',
      msg_method: 'alipay.fund.trans.order.changed',
      app_id: '2021000000000001',
      version: '1.1',
      biz_content: '{"out_biz_no":"T1","status":"SUCCESS","trans_amount":"1.00"}',
      charset: 'utf-8',
    };
    const { body } = signNotify(params, { privateKey: alipayKeys().privateKey });
    const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey, appId: '2021000000000001' }).verify(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.notify.type).toBe('alipay.fund.trans.order.changed');
    expect(result.notify.kind).toBeUndefined();
    expect(result.notify.idempotencyKey).toContain('2024010100262165542000000000001');
    expect(result.notify.raw['biz_content']).toBe(params.biz_content);
  });

  it('a type that starts with "[" cannot forge the JSON form of another idempotency key', async () => {
    // Joined with "|", the first would read ["a|b","","c|d"]: the JSON form of the second.
    const key = async (params: Record<string, string>) => {
      const { body } = signNotify({ ...params, charset: 'utf-8' }, { privateKey: alipayKeys().privateKey });
      const result = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
      if (!result.ok) throw result.error;
      return result.notify.idempotencyKey;
    };
    const forged = await key({ notify_type: '["a', app_id: 'b","","c', notify_id: 'd"]' });
    const genuine = await key({ notify_type: 'a|b', notify_id: 'c|d' });
    expect(forged).not.toBe(genuine);
  });
});
