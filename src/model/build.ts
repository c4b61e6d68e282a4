import type { Decimal } from 'decimal.js';
import { NotifyError } from '../errors.js';
import { parseAmount } from './amount.js';
import { parseJsonList } from './json-list.js';
import { parseAlipayTime } from './time.js';
import type { FundBill, GenericNotification, Notification, TradeNotification, TradeNotificationKind } from './types.js';

type Params = Readonly<Record<string, string>>;

/** Reads typed fields into a plain object, remembering the first format error. */
class FieldReader {
  error: NotifyError | undefined;

  constructor(
    private readonly params: Params,
    readonly out: Record<string, unknown>,
  ) {}

  text(field: string, name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    this.out[field] = value;
    return value;
  }

  amount(field: string, name: string): Decimal | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    const amount = parseAmount(value);
    if (amount === undefined) this.invalid(name, 'an amount (digits with up to two decimals)');
    else this.out[field] = amount;
    return amount;
  }

  time(field: string, name: string): Date | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    const time = parseAlipayTime(value);
    if (time === undefined) this.invalid(name, 'a time (yyyy-MM-dd HH:mm:ss)');
    else this.out[field] = time;
    return time;
  }

  private invalid(name: string, expected: string): void {
    this.error ??= new NotifyError('FIELD_INVALID', `Field ${name} is not ${expected}.`, {
      param: name,
      hint: `The signature is valid but ${name} does not have the documented format; the notification was not accepted. Report it if Alipay really sent it.`,
    });
  }
}

/** Joins key parts so that no two different tuples give the same key. */
function keyOf(parts: ReadonlyArray<string | undefined>): string {
  return parts.map((part) => encodeURIComponent(part ?? '')).join(':');
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
  const out: Record<string, unknown> = { type: 'trade_status_sync' };
  const r = new FieldReader(params, out);
  r.text('appId', 'app_id');
  r.text('authAppId', 'auth_app_id');
  r.text('notifyId', 'notify_id');
  r.time('notifyTime', 'notify_time');
  out['charset'] = charset;
  r.text('version', 'version');
  r.text('tradeNo', 'trade_no');
  r.text('outTradeNo', 'out_trade_no');
  const outBizNo = r.text('outBizNo', 'out_biz_no');
  const status = r.text('tradeStatus', 'trade_status');
  r.amount('totalAmount', 'total_amount');
  r.amount('receiptAmount', 'receipt_amount');
  r.amount('invoiceAmount', 'invoice_amount');
  r.amount('buyerPayAmount', 'buyer_pay_amount');
  r.amount('pointAmount', 'point_amount');
  const refundFee = r.amount('refundFee', 'refund_fee');
  r.text('subject', 'subject');
  r.text('body', 'body');
  r.time('gmtCreate', 'gmt_create');
  r.time('gmtPayment', 'gmt_payment');
  const gmtRefund = r.time('gmtRefund', 'gmt_refund');
  r.time('gmtClose', 'gmt_close');
  r.text('buyerId', 'buyer_id');
  r.text('buyerOpenId', 'buyer_open_id');
  r.text('buyerLogonId', 'buyer_logon_id');
  r.text('sellerId', 'seller_id');
  r.text('sellerEmail', 'seller_email');
  const fundBillList = params['fund_bill_list'];
  if (fundBillList) out['fundBillList'] = parseJsonList(fundBillList, fundBill);
  const voucherDetailList = params['voucher_detail_list'];
  if (voucherDetailList) out['voucherDetailList'] = parseJsonList(voucherDetailList, (entry) => entry);
  r.text('passbackParams', 'passback_params');
  if (r.error) return r.error;
  out['kind'] = tradeKind(outBizNo, gmtRefund, refundFee, status);
  out['idempotencyKey'] = keyOf([
    'trade_status_sync',
    params['app_id'],
    params['auth_app_id'],
    params['out_trade_no'],
    params['trade_status'],
    params['out_biz_no'],
    params['refund_fee'],
  ]);
  out['raw'] = params;
  return out as unknown as TradeNotification;
}

function buildGeneric(params: Params, charset: string): GenericNotification | NotifyError {
  // Message-service notifications name themselves with msg_method, gateway ones with method/service.
  const type = params['notify_type'] || params['msg_method'] || params['method'] || params['service'] || 'unknown';
  const out: Record<string, unknown> = { type };
  const r = new FieldReader(params, out);
  r.text('appId', 'app_id');
  r.text('authAppId', 'auth_app_id');
  const notifyId = r.text('notifyId', 'notify_id');
  r.time('notifyTime', 'notify_time');
  out['charset'] = charset;
  r.text('version', 'version');
  if (r.error) return r.error;
  const identity =
    notifyId ??
    Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
  out['idempotencyKey'] = keyOf([type, params['app_id'], identity]);
  out['raw'] = params;
  return out as unknown as GenericNotification;
}

/** Builds the typed model from verified params; a NotifyError when a typed field is malformed. */
export function buildNotification(params: Params, charset: string): Notification | NotifyError {
  return params['notify_type'] === 'trade_status_sync' ? buildTrade(params, charset) : buildGeneric(params, charset);
}

/** Narrows a Notification to a trade notification. */
export function isTradeNotification(n: Notification): n is TradeNotification {
  return n.type === 'trade_status_sync';
}
