import { Decimal } from 'decimal.js';
import { buildSignContent, type Notification, type NotifyBody, type VerifyFailure, type VerifyResult, type VerifySuccess } from '../index.js';
import { formatAlipayTime } from '../model/time.js';

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** JSON-safe copy of a notification: Decimal -> string, Date -> ISO string, raw dropped. */
function plainNotification(notify: Notification): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [key, value] of Object.entries(notify)) {
    if (key === 'raw' || value === undefined) continue;
    out[key] = isDecimal(value) ? exactAmount(notify, key, value) : (JSON.parse(JSON.stringify(value)) as Plain);
  }
  return out;
}

function isDecimal(value: unknown): value is Decimal {
  return Decimal.isDecimal(value);
}

/** An amount as Alipay sent it ("1.00", not Decimal's "1"). */
function exactAmount(notify: Notification, field: string, value: Decimal): string {
  const param = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return notify.raw[param] ?? value.toString();
}

export function successJson(result: VerifySuccess): Record<string, Plain> {
  return {
    ok: true,
    signType: result.signType,
    signedContent: result.signedContent,
    key: { ...result.key },
    notification: plainNotification(result.notify),
    params: { ...result.params },
  };
}

export function failureJson(result: VerifyFailure): Record<string, Plain> {
  const e = result.error;
  return {
    ok: false,
    error: { code: e.code, message: e.message, hint: e.hint, ...(e.param === undefined ? {} : { param: e.param }) },
  };
}

const FIELDS: ReadonlyArray<[keyof Notification | string, string]> = [
  ['appId', 'app_id'],
  ['authAppId', 'auth_app_id'],
  ['outTradeNo', 'out_trade_no'],
  ['tradeNo', 'trade_no'],
  ['tradeStatus', 'trade_status'],
  ['totalAmount', 'total_amount'],
  ['receiptAmount', 'receipt_amount'],
  ['buyerPayAmount', 'buyer_pay_amount'],
  ['outBizNo', 'out_biz_no'],
  ['refundFee', 'refund_fee'],
  ['gmtPayment', 'gmt_payment'],
  ['gmtRefund', 'gmt_refund'],
  ['gmtClose', 'gmt_close'],
  ['subject', 'subject'],
  ['sellerId', 'seller_id'],
  ['buyerId', 'buyer_id'],
  ['buyerOpenId', 'buyer_open_id'],
  ['notifyId', 'notify_id'],
  ['notifyTime', 'notify_time'],
  ['charset', 'charset'],
  ['idempotencyKey', 'idempotency key'],
];

function show(notify: Notification, field: string, value: unknown): string {
  if (isDecimal(value)) return exactAmount(notify, field, value);
  if (value instanceof Date) return `${formatAlipayTime(value, { millis: value.getUTCMilliseconds() !== 0 })} (UTC+8)`;
  return String(value);
}

/** `name  value` lines of the typed summary. */
export function summaryLines(notify: Notification): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  const record = notify as unknown as Record<string, unknown>;
  for (const [field, label] of FIELDS) {
    const value = record[field];
    if (value !== undefined) lines.push([label, show(notify, field, value)]);
  }
  return lines;
}

/** The sign string the signature was checked against (v1 unless it verified as v2); undefined when the body does not parse. */
export function signStringOf(body: NotifyBody, result: VerifyResult | undefined): string | undefined {
  try {
    return buildSignContent(body, { signedContent: result?.ok ? result.signedContent : 'v1' });
  } catch {
    return undefined;
  }
}
