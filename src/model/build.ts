import type { Decimal } from 'decimal.js';
import { NotifyError } from '../errors.js';
import { parseAmount } from './amount.js';
import { JsonList } from './json-list.js';
import { parseAlipayTime } from './time.js';
import type { FundBill, GenericNotification, Notification, ParsedJsonList, TradeNotification, TradeNotificationKind } from './types.js';

type Params = Readonly<Record<string, string>>;

/** Reads typed fields, remembering the first format error. */
class FieldReader {
  error: NotifyError | undefined;

  constructor(private readonly params: Params) {}

  text(name: string): string | undefined {
    const value = this.params[name];
    return value === undefined || value === '' ? undefined : value;
  }

  amount(name: string): Decimal | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const amount = parseAmount(value);
    if (amount === undefined) this.invalid(name, 'an amount (digits with up to two decimals)');
    return amount;
  }

  time(name: string): Date | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const time = parseAlipayTime(value);
    if (time === undefined) this.invalid(name, 'a time (yyyy-MM-dd HH:mm:ss)');
    return time;
  }

  jsonList<T>(name: string, mapEntry: (entry: Readonly<Record<string, unknown>>) => T): ParsedJsonList<T> | undefined {
    const value = this.text(name);
    return value === undefined ? undefined : new JsonList(value, mapEntry);
  }

  private invalid(name: string, expected: string): void {
    this.error ??= new NotifyError('FIELD_INVALID', `Field ${name} is not ${expected}.`, {
      param: name,
      hint: `The signature is valid but ${name} does not have the documented format; the notification was not accepted. Report it if Alipay really sent it.`,
    });
  }
}

/**
 * An unambiguous key for a tuple of parts: joined with "|" when no part contains "|" or
 * starts with "[", else as JSON (which starts with "[", so the two forms never collide).
 */
function keyOf(parts: ReadonlyArray<string | undefined>): string {
  let key = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part.includes('|') || part.startsWith('[')) return JSON.stringify(parts.map((p) => p ?? ''));
    key += i === 0 ? part : `|${part}`;
  }
  return key;
}

function fundBill(entry: Readonly<Record<string, unknown>>): FundBill {
  const field = (a: string, b: string): string | undefined => {
    const value = entry[a] ?? entry[b];
    return typeof value === 'string' ? value : undefined;
  };
  const bill: FundBill = { raw: entry };
  const channel = field('fundChannel', 'fund_channel');
  if (channel !== undefined) bill.fundChannel = channel;
  const amount = parseAmount(field('amount', 'amount') ?? '');
  if (amount !== undefined) bill.amount = amount;
  const realAmount = parseAmount(field('realAmount', 'real_amount') ?? '');
  if (realAmount !== undefined) bill.realAmount = realAmount;
  return bill;
}

/** refund_fee=0.00 also appears on plain payments (protocol.md §2.3): only a positive one counts. */
function tradeKind(outBizNo: string | undefined, gmtRefund: Date | undefined, refundFee: Decimal | undefined, status: string | undefined): TradeNotificationKind {
  if (outBizNo !== undefined || gmtRefund !== undefined || (refundFee !== undefined && !refundFee.isZero())) return 'refund';
  return status === 'TRADE_CLOSED' ? 'close' : 'payment';
}

function buildTrade(params: Params, charset: string): TradeNotification | NotifyError {
  const r = new FieldReader(params);
  const outBizNo = r.text('out_biz_no');
  const tradeStatus = r.text('trade_status');
  const refundFee = r.amount('refund_fee');
  const gmtRefund = r.time('gmt_refund');
  // One object literal, one shape for every notification: absent fields are undefined.
  const notification: TradeNotification = {
    type: 'trade_status_sync',
    kind: tradeKind(outBizNo, gmtRefund, refundFee, tradeStatus),
    appId: r.text('app_id'),
    authAppId: r.text('auth_app_id'),
    notifyId: r.text('notify_id'),
    notifyTime: r.time('notify_time'),
    charset,
    version: r.text('version'),
    tradeNo: r.text('trade_no'),
    outTradeNo: r.text('out_trade_no'),
    outBizNo,
    tradeStatus,
    totalAmount: r.amount('total_amount'),
    receiptAmount: r.amount('receipt_amount'),
    invoiceAmount: r.amount('invoice_amount'),
    buyerPayAmount: r.amount('buyer_pay_amount'),
    pointAmount: r.amount('point_amount'),
    refundFee,
    subject: r.text('subject'),
    body: r.text('body'),
    gmtCreate: r.time('gmt_create'),
    gmtPayment: r.time('gmt_payment'),
    gmtRefund,
    gmtClose: r.time('gmt_close'),
    buyerId: r.text('buyer_id'),
    buyerOpenId: r.text('buyer_open_id'),
    buyerLogonId: r.text('buyer_logon_id'),
    sellerId: r.text('seller_id'),
    sellerEmail: r.text('seller_email'),
    fundBillList: r.jsonList('fund_bill_list', fundBill),
    voucherDetailList: r.jsonList('voucher_detail_list', (entry) => entry),
    passbackParams: r.text('passback_params'),
    idempotencyKey: keyOf([
      'trade_status_sync',
      params['app_id'],
      params['auth_app_id'],
      params['out_trade_no'],
      params['trade_status'],
      params['out_biz_no'],
      params['refund_fee'],
    ]),
    raw: params,
  };
  return r.error ?? notification;
}

function buildGeneric(params: Params, charset: string): GenericNotification | NotifyError {
  // Message-service notifications name themselves with msg_method, gateway ones with method/service.
  const type = params['notify_type'] || params['msg_method'] || params['method'] || params['service'] || 'unknown';
  const r = new FieldReader(params);
  const notifyId = r.text('notify_id');
  const identity =
    notifyId ??
    Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
  const notification: GenericNotification = {
    type,
    kind: undefined,
    appId: r.text('app_id'),
    authAppId: r.text('auth_app_id'),
    notifyId,
    notifyTime: r.time('notify_time'),
    charset,
    version: r.text('version'),
    idempotencyKey: keyOf([type, params['app_id'], identity]),
    raw: params,
  };
  return r.error ?? notification;
}

/** Builds the typed model from verified params; a NotifyError when a typed field is malformed. */
export function buildNotification(params: Params, charset: string): Notification | NotifyError {
  return params['notify_type'] === 'trade_status_sync' ? buildTrade(params, charset) : buildGeneric(params, charset);
}

/** Narrows a Notification to a trade notification. */
export function isTradeNotification(n: Notification): n is TradeNotification {
  return n.type === 'trade_status_sync';
}
