import type { Decimal } from 'decimal.js';
import { NotifyError } from '../errors.js';
import { parseAmount } from './amount.js';
import { JsonList } from './json-list.js';
import { parseAlipayTime } from './time.js';
import { KNOWN_NAMES, SLOT } from '../parse/known-keys.js';
import type { FundBill, GenericNotification, Notification, ParsedJsonList, TradeNotification, TradeNotificationKind } from './types.js';

type Params = Readonly<Record<string, string>>;

/**
 * The signed values of the known parameters, by slot (`values[SLOT.total_amount]`,
 * known-keys.ts): the model reads its fields from this array rather than by name.
 */
export type KnownValues = ReadonlyArray<string | undefined>;

/** Reads typed fields by slot, remembering the first format error. */
class FieldReader {
  error: NotifyError | undefined;

  constructor(private readonly values: KnownValues) {}

  text(slot: number): string | undefined {
    const value = this.values[slot];
    return value === undefined || value === '' ? undefined : value;
  }

  amount(slot: number): Decimal | undefined {
    const value = this.text(slot);
    if (value === undefined) return undefined;
    const amount = parseAmount(value);
    if (amount === undefined) this.invalid(slot, 'an amount (digits with up to two decimals)');
    return amount;
  }

  time(slot: number): Date | undefined {
    const value = this.text(slot);
    if (value === undefined) return undefined;
    const time = parseAlipayTime(value);
    if (time === undefined) this.invalid(slot, 'a time (yyyy-MM-dd HH:mm:ss)');
    return time;
  }

  jsonList<T>(slot: number, mapEntry: (entry: Readonly<Record<string, unknown>>) => T): ParsedJsonList<T> | undefined {
    const value = this.text(slot);
    return value === undefined ? undefined : new JsonList(value, mapEntry);
  }

  private invalid(slot: number, expected: string): void {
    const name = KNOWN_NAMES[slot]!;
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

function buildTrade(params: Params, values: KnownValues, charset: string): TradeNotification | NotifyError {
  const r = new FieldReader(values);
  const outBizNo = r.text(SLOT.out_biz_no);
  const tradeStatus = r.text(SLOT.trade_status);
  const refundFee = r.amount(SLOT.refund_fee);
  const gmtRefund = r.time(SLOT.gmt_refund);
  // One object literal, one shape for every notification: absent fields are undefined.
  const notification: TradeNotification = {
    type: 'trade_status_sync',
    kind: tradeKind(outBizNo, gmtRefund, refundFee, tradeStatus),
    appId: r.text(SLOT.app_id),
    authAppId: r.text(SLOT.auth_app_id),
    notifyId: r.text(SLOT.notify_id),
    notifyTime: r.time(SLOT.notify_time),
    charset,
    version: r.text(SLOT.version),
    tradeNo: r.text(SLOT.trade_no),
    outTradeNo: r.text(SLOT.out_trade_no),
    outBizNo,
    tradeStatus,
    totalAmount: r.amount(SLOT.total_amount),
    receiptAmount: r.amount(SLOT.receipt_amount),
    invoiceAmount: r.amount(SLOT.invoice_amount),
    buyerPayAmount: r.amount(SLOT.buyer_pay_amount),
    pointAmount: r.amount(SLOT.point_amount),
    refundFee,
    subject: r.text(SLOT.subject),
    body: r.text(SLOT.body),
    gmtCreate: r.time(SLOT.gmt_create),
    gmtPayment: r.time(SLOT.gmt_payment),
    gmtRefund,
    gmtClose: r.time(SLOT.gmt_close),
    buyerId: r.text(SLOT.buyer_id),
    buyerOpenId: r.text(SLOT.buyer_open_id),
    buyerLogonId: r.text(SLOT.buyer_logon_id),
    sellerId: r.text(SLOT.seller_id),
    sellerEmail: r.text(SLOT.seller_email),
    fundBillList: r.jsonList(SLOT.fund_bill_list, fundBill),
    voucherDetailList: r.jsonList(SLOT.voucher_detail_list, (entry) => entry),
    passbackParams: r.text(SLOT.passback_params),
    idempotencyKey: keyOf([
      'trade_status_sync',
      values[SLOT.app_id],
      values[SLOT.auth_app_id],
      values[SLOT.out_trade_no],
      values[SLOT.trade_status],
      values[SLOT.out_biz_no],
      values[SLOT.refund_fee],
    ]),
    raw: params,
  };
  return r.error ?? notification;
}

function buildGeneric(params: Params, values: KnownValues, charset: string): GenericNotification | NotifyError {
  // Message-service notifications name themselves with msg_method, gateway ones with method/service.
  const type = params['notify_type'] || params['msg_method'] || params['method'] || params['service'] || 'unknown';
  const r = new FieldReader(values);
  const notifyId = r.text(SLOT.notify_id);
  const identity =
    notifyId ??
    Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
  const notification: GenericNotification = {
    type,
    kind: undefined,
    appId: r.text(SLOT.app_id),
    authAppId: r.text(SLOT.auth_app_id),
    notifyId,
    notifyTime: r.time(SLOT.notify_time),
    charset,
    version: r.text(SLOT.version),
    idempotencyKey: keyOf([type, params['app_id'], identity]),
    raw: params,
  };
  return r.error ?? notification;
}

/**
 * Builds the typed model from verified params (and the same values by slot); a NotifyError
 * when a typed field is malformed.
 */
export function buildNotification(params: Params, charset: string, values: KnownValues): Notification | NotifyError {
  return values[SLOT.notify_type] === 'trade_status_sync' ? buildTrade(params, values, charset) : buildGeneric(params, values, charset);
}

/** Narrows a Notification to a trade notification. */
export function isTradeNotification(n: Notification): n is TradeNotification {
  return n.type === 'trade_status_sync';
}
