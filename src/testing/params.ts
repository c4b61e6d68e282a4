import { randomInt } from 'node:crypto';
import { formatAlipayTime } from '../model/time.js';

/**
 * Overrides for the builders: a string replaces (or adds) a field, `undefined` removes it
 * (e.g. `{ buyer_id: undefined, buyer_open_id: '...' }`).
 */
export type ParamOverrides = Readonly<Record<string, string | undefined>>;

export { formatAlipayTime };

/** Sets an own property, even for names like `__proto__` (params are plain data). */
export function setParam<V extends string | undefined>(params: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** base with overrides applied; an overridden field keeps its position, new fields go last. */
export function applyOverrides(base: Readonly<Record<string, string>>, overrides: ParamOverrides): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    const next = hasOwn(overrides, key) ? overrides[key] : value;
    if (next !== undefined) setParam(merged, key, next);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (!hasOwn(base, key) && value !== undefined) setParam(merged, key, value);
  }
  return merged;
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

function dayStamp(date: Date): string {
  return formatAlipayTime(date).replace(/\D/g, '').slice(0, 8);
}

/** The fields every trade_status_sync notification for one (paid) order carries. */
function paidTrade(now: Date, paidAt: Date): Record<string, string> {
  const paid = formatAlipayTime(paidAt);
  return {
    gmt_create: formatAlipayTime(new Date(paidAt.getTime() - 4000)),
    charset: 'utf-8',
    seller_email: 'merchant@example.com',
    subject: '测试商品 Test order',
    body: '订单描述',
    buyer_id: `2088${digits(12)}`,
    invoice_amount: '88.88',
    notify_id: `${dayStamp(now)}0022${digits(22)}`,
    fund_bill_list: '[{"amount":"88.88","fundChannel":"ALIPAYACCOUNT"}]',
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_SUCCESS',
    receipt_amount: '88.88',
    buyer_pay_amount: '88.88',
    app_id: '2021000000000001',
    sign_type: 'RSA2',
    seller_id: '2088000000000002',
    gmt_payment: paid,
    notify_time: formatAlipayTime(now),
    version: '1.0',
    out_trade_no: `ORDER-${digits(10)}`,
    total_amount: '88.88',
    trade_no: `${dayStamp(paidAt)}22001${digits(15)}`,
    auth_app_id: '2021000000000001',
    buyer_logon_id: 'buy***@example.com',
    point_amount: '0.00',
  };
}

/**
 * Realistic params of a successful payment notification (trade_status_sync, TRADE_SUCCESS,
 * 88.88 yuan), with fresh ids; override any field. Sign them with signNotify().
 */
export function tradeNotifyParams(overrides: ParamOverrides = {}): Record<string, string> {
  const now = new Date();
  return applyOverrides(paidTrade(now, new Date(now.getTime() - 1000)), overrides);
}

/**
 * A partial-refund notification (protocol.md §2.3): trade_status stays TRADE_SUCCESS and the
 * refund fields are set — out_biz_no (the refund's out_request_no), refund_fee (the
 * cumulative refunded amount, 10.00 of 88.88 by default) and gmt_refund with milliseconds
 * (`yyyy-MM-dd HH:mm:ss.SSS`). For a full refund pass
 * `{ trade_status: 'TRADE_CLOSED', refund_fee: '88.88', gmt_close: ... }`.
 */
export function refundNotifyParams(overrides: ParamOverrides = {}): Record<string, string> {
  const now = new Date();
  const base = paidTrade(now, new Date(now.getTime() - 3600_000));
  return applyOverrides(
    {
      ...base,
      out_biz_no: `REFUND-${digits(10)}`,
      refund_fee: '10.00',
      gmt_refund: formatAlipayTime(new Date(now.getTime() - 1000), { millis: true }),
      fund_bill_list: '[{"amount":"10.00","fundChannel":"ALIPAYACCOUNT"}]',
    },
    overrides,
  );
}

/**
 * A close notification for an order that was never paid (TRADE_CLOSED after the payment
 * timeout): gmt_close, and none of the payment fields (gmt_payment, receipt/buyer_pay
 * amounts, fund_bill_list).
 */
export function closeNotifyParams(overrides: ParamOverrides = {}): Record<string, string> {
  const now = new Date();
  const base = paidTrade(now, new Date(now.getTime() - 15 * 60_000));
  return applyOverrides(
    {
      ...base,
      trade_status: 'TRADE_CLOSED',
      gmt_close: formatAlipayTime(new Date(now.getTime() - 1000)),
    },
    {
      gmt_payment: undefined,
      receipt_amount: undefined,
      buyer_pay_amount: undefined,
      invoice_amount: undefined,
      point_amount: undefined,
      fund_bill_list: undefined,
      buyer_id: undefined,
      buyer_logon_id: undefined,
      ...overrides,
    },
  );
}

/**
 * A message-service (消息服务, "From 蚂蚁") notification posted to the 应用网关: public params
 * msg_method, biz_content (a JSON string), utc_timestamp (ms since the epoch), notify_id,
 * app_id, version 1.1 and charset (protocol.md §6). The default is a transfer status change
 * (alipay.fund.trans.order.changed); pass your own `msg_method` and `biz_content`
 * (`JSON.stringify(...)`, compact, as Alipay sends it).
 */
export function messageNotifyParams(overrides: ParamOverrides = {}): Record<string, string> {
  const now = new Date();
  const outBizNo = `TRANSFER-${digits(10)}`;
  const bizContent = {
    action_type: 'FINISH',
    biz_scene: 'DIRECT_TRANSFER',
    order_id: `${dayStamp(now)}110070000${digits(11)}`,
    origin_interface: 'alipay.fund.trans.uni.transfer',
    out_biz_no: outBizNo,
    pay_date: formatAlipayTime(new Date(now.getTime() - 1000)),
    pay_fund_order_id: `${dayStamp(now)}110070001${digits(11)}`,
    product_code: 'TRANS_ACCOUNT_NO_PWD',
    status: 'SUCCESS',
    trans_amount: '1.00',
  };
  return applyOverrides(
    {
      notify_id: `${digits(32)}`,
      utc_timestamp: String(now.getTime()),
      msg_method: 'alipay.fund.trans.order.changed',
      app_id: '2021000000000001',
      version: '1.1',
      biz_content: JSON.stringify(bizContent),
      charset: 'utf-8',
      sign_type: 'RSA2',
    },
    overrides,
  );
}
