import { describe, expect, it } from 'vitest';
import { createVerifier, isTradeNotification } from '../../src/index.js';
import * as time from '../../src/model/time.js';
import {
  closeNotifyParams,
  formatAlipayTime,
  generateTestKeys,
  messageNotifyParams,
  refundNotifyParams,
  signNotify,
  tradeNotifyParams,
} from '../../src/testing/index.js';

const keys = generateTestKeys();
const verifier = createVerifier({ alipayPublicKey: keys.publicKey });

describe('formatAlipayTime', () => {
  it('formats as UTC+8 without offset, optionally with milliseconds', () => {
    const date = new Date('2024-06-01T04:00:05.007Z');
    expect(formatAlipayTime(date)).toBe('2024-06-01 12:00:05');
    expect(formatAlipayTime(date, { millis: true })).toBe('2024-06-01 12:00:05.007');
  });

  it('is the model\'s formatter (next to parseAlipayTime), which reads its output back', () => {
    expect(formatAlipayTime).toBe(time.formatAlipayTime);
    for (const iso of ['2024-06-01T04:00:05.007Z', '2024-02-28T16:00:00.000Z', '1999-12-31T15:59:59.999Z']) {
      const date = new Date(iso);
      expect(time.parseAlipayTime(formatAlipayTime(date, { millis: true }))).toEqual(date);
      expect(time.parseAlipayTime(formatAlipayTime(date))).toEqual(new Date(Math.floor(date.getTime() / 1000) * 1000));
    }
  });
});

describe('tradeNotifyParams', () => {
  it('keeps the existing behaviour: realistic payment defaults, overrides replace in place', () => {
    const params = tradeNotifyParams({ total_amount: '1.00', extra_field: 'x' });
    expect(params['notify_type']).toBe('trade_status_sync');
    expect(params['trade_status']).toBe('TRADE_SUCCESS');
    expect(params['total_amount']).toBe('1.00');
    const keys = Object.keys(params);
    expect(keys.indexOf('total_amount')).toBeLessThan(keys.indexOf('trade_no'));
    expect(keys.at(-1)).toBe('extra_field');
    expect(params['notify_id']).not.toBe(tradeNotifyParams()['notify_id']);
  });

  it('removes a field overridden with undefined', () => {
    const params = tradeNotifyParams({ buyer_id: undefined, buyer_open_id: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5' });
    expect(params).not.toHaveProperty('buyer_id');
    expect(params['buyer_open_id']).toMatch(/^074a/);
  });

  it('treats __proto__ as a plain param', () => {
    const params = tradeNotifyParams(JSON.parse('{"__proto__":"x"}') as Record<string, string>);
    expect(Object.prototype.hasOwnProperty.call(params, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });
});

describe('refundNotifyParams', () => {
  it('is a partial refund: TRADE_SUCCESS, out_biz_no, cumulative refund_fee, gmt_refund with milliseconds', async () => {
    const params = refundNotifyParams();
    expect(params['trade_status']).toBe('TRADE_SUCCESS');
    expect(params['out_biz_no']).toMatch(/^REFUND-\d{10}$/);
    expect(params['refund_fee']).toBe('10.00');
    expect(params['gmt_refund']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    const result = await verifier.verify(signNotify(params, { privateKey: keys.privateKey }).body);
    expect(result.ok).toBe(true);
    if (!result.ok || !isTradeNotification(result.notify)) throw new Error('expected a trade notification');
    expect(result.notify.kind).toBe('refund');
    expect(result.notify.refundFee?.toFixed(2)).toBe('10.00');
    expect(result.notify.gmtRefund?.getTime()).toBeGreaterThan(result.notify.gmtPayment!.getTime());
  });

  it('models a full refund with overrides', async () => {
    const params = refundNotifyParams({ trade_status: 'TRADE_CLOSED', refund_fee: '88.88', gmt_close: formatAlipayTime(new Date()) });
    const result = await verifier.verify(signNotify(params, { privateKey: keys.privateKey }).body);
    expect(result.ok && result.notify.kind).toBe('refund');
  });
});

describe('closeNotifyParams', () => {
  it('is an unpaid TRADE_CLOSED with gmt_close and no payment fields', async () => {
    const params = closeNotifyParams();
    expect(params['trade_status']).toBe('TRADE_CLOSED');
    expect(params['gmt_close']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const field of ['gmt_payment', 'receipt_amount', 'buyer_pay_amount', 'fund_bill_list']) expect(params).not.toHaveProperty(field);
    const result = await verifier.verify(signNotify(params, { privateKey: keys.privateKey }).body);
    expect(result.ok && result.notify.kind).toBe('close');
  });

  it('lets an override bring a removed field back', () => {
    expect(closeNotifyParams({ buyer_id: '2088102177846875' })['buyer_id']).toBe('2088102177846875');
  });
});

describe('messageNotifyParams', () => {
  it('has the message-service public params and verifies', async () => {
    const params = messageNotifyParams();
    expect(params).toMatchObject({ msg_method: 'alipay.fund.trans.order.changed', version: '1.1', charset: 'utf-8' });
    expect(params['utc_timestamp']).toMatch(/^\d{13}$/);
    expect(JSON.parse(params['biz_content']!)).toMatchObject({ status: 'SUCCESS', trans_amount: '1.00' });
    const result = await verifier.verify(signNotify(params, { privateKey: keys.privateKey }).body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.notify.type).toBe('alipay.fund.trans.order.changed');
    expect(result.params['biz_content']).toBe(params['biz_content']);
  });
});
