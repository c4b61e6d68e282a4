import type Decimal from 'decimal.js';
import { NotifyError } from '../errors.js';
import { parseAmount } from './amount.js';
import { parseJsonList } from './json-list.js';
import { parseAlipayTime } from './time.js';
import type { FundBill, GenericNotification, Notification, TradeNotification, TradeNotificationKind } from './types.js';

type Params = Readonly<Record<string, string>>;

/** Reads typed fields, collecting the first format error. */
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

function tradeKind(fields: { outBizNo?: string; gmtRefund?: Date; refundFee?: Decimal; tradeStatus?: string }): TradeNotificationKind {
  // refund_fee=0.00 also appears on plain payments (protocol.md §2.3): only a positive one counts.
  if (fields.outBizNo !== undefined || fields.gmtRefund !== undefined || (fields.refundFee?.gt(0) ?? false)) {
    return 'refund';
  }
  return fields.tradeStatus === 'TRADE_CLOSED' ? 'close' : 'payment';
}

function fundBill(entry: Readonly<Record<string, unknown>>): FundBill {
  const text = (a: string, b: string): string | undefined => {
    const value = entry[a] ?? entry[b];
    return typeof value === 'string' ? value : undefined;
  };
  const amount = text('amount', 'amount');
  const realAmount = text('realAmount', 'real_amount');
  const bill: FundBill = { raw: entry };
  const channel = text('fundChannel', 'fund_channel');
  if (channel !== undefined) bill.fundChannel = channel;
  const parsedAmount = amount === undefined ? undefined : parseAmount(amount);
  if (parsedAmount !== undefined) bill.amount = parsedAmount;
  const parsedReal = realAmount === undefined ? undefined : parseAmount(realAmount);
  if (parsedReal !== undefined) bill.realAmount = parsedReal;
  return bill;
}

/** Drops undefined fields so the model prints cleanly. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

function buildTrade(r: FieldReader, params: Params, charset: string): TradeNotification {
  const outBizNo = r.text('out_biz_no');
  const refundFee = r.amount('refund_fee');
  const gmtRefund = r.time('gmt_refund');
  const tradeStatus = r.text('trade_status');
  const fundBillList = r.text('fund_bill_list');
  const voucherDetailList = r.text('voucher_detail_list');
  return compact<TradeNotification>({
    type: 'trade_status_sync',
    kind: tradeKind({ outBizNo, gmtRefund, refundFee, tradeStatus }),
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
    fundBillList: fundBillList === undefined ? undefined : parseJsonList(fundBillList, fundBill),
    voucherDetailList: voucherDetailList === undefined ? undefined : parseJsonList(voucherDetailList, (e) => e),
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
  });
}

function buildGeneric(r: FieldReader, params: Params, charset: string): GenericNotification {
  // Message-service notifications name themselves with msg_method, gateway ones with method/service.
  const type = r.text('notify_type') ?? r.text('msg_method') ?? r.text('method') ?? r.text('service') ?? 'unknown';
  const notifyId = r.text('notify_id');
  const identity =
    notifyId ??
    Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
  return compact<GenericNotification>({
    type,
    appId: r.text('app_id'),
    authAppId: r.text('auth_app_id'),
    notifyId,
    notifyTime: r.time('notify_time'),
    charset,
    version: r.text('version'),
    idempotencyKey: keyOf([type, params['app_id'], identity]),
    raw: params,
  });
}

/** Builds the typed model from verified params; a NotifyError when a typed field is malformed. */
export function buildNotification(params: Params, charset: string): Notification | NotifyError {
  const reader = new FieldReader(params);
  const notification =
    params['notify_type'] === 'trade_status_sync'
      ? buildTrade(reader, params, charset)
      : buildGeneric(reader, params, charset);
  return reader.error ?? notification;
}

/** Narrows a Notification to a trade notification. */
export function isTradeNotification(n: Notification): n is TradeNotification {
  return n.type === 'trade_status_sync';
}
