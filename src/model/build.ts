import type Decimal from 'decimal.js';
import { NotifyError } from '../errors.js';
import { isAmount, parseAmount } from './amount.js';
import { parseJsonList } from './json-list.js';
import { parseAlipayTime } from './time.js';
import type {
  FundBill,
  GenericNotification,
  Notification,
  ParsedJsonList,
  TradeNotification,
  TradeNotificationKind,
  TradeStatus,
} from './types.js';

type Params = Readonly<Record<string, string>>;

const TRADE_AMOUNTS = ['total_amount', 'receipt_amount', 'invoice_amount', 'buyer_pay_amount', 'point_amount', 'refund_fee'];
const TRADE_TIMES = ['notify_time', 'gmt_create', 'gmt_payment', 'gmt_refund', 'gmt_close'];

function invalid(name: string, expected: string): NotifyError {
  return new NotifyError('FIELD_INVALID', `Field ${name} is not ${expected}.`, {
    param: name,
    hint: `The signature is valid but ${name} does not have the documented format; the notification was not accepted. Report it if Alipay really sent it.`,
  });
}

/** Checks typed fields up front (cheaply), so FIELD_INVALID is reported by verify, not on access. */
function validate(params: Params, amounts: readonly string[], times: readonly string[]): NotifyError | undefined {
  for (const name of amounts) {
    const value = params[name];
    if (value !== undefined && value !== '' && !isAmount(value)) return invalid(name, 'an amount (digits with up to two decimals)');
  }
  for (const name of times) {
    const value = params[name];
    if (value !== undefined && value !== '' && parseAlipayTime(value) === undefined) return invalid(name, 'a time (yyyy-MM-dd HH:mm:ss)');
  }
  return undefined;
}

const text = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
};

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

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Fields shared by every notification. Typed values (Decimal, Date, parsed JSON) are built
 * on first access and kept: verification stays cheap for callers that read a few fields.
 * Formats were validated when the notification was verified.
 */
abstract class NotificationModel {
  readonly raw: Params;
  readonly charset: string;
  private readonly cache = new Map<string, unknown>();

  constructor(raw: Params, charset: string) {
    this.raw = raw;
    this.charset = charset;
  }

  abstract readonly type: string;
  abstract readonly idempotencyKey: string;

  protected memo<T>(name: string, make: () => T): T {
    if (this.cache.has(name)) return this.cache.get(name) as T;
    const value = make();
    this.cache.set(name, value);
    return value;
  }

  protected text(name: string): string | undefined {
    return text(this.raw, name);
  }

  protected amount(name: string): Decimal | undefined {
    return this.memo(name, () => parseAmount(this.text(name) ?? ''));
  }

  protected time(name: string): Date | undefined {
    // A fresh Date each time: Dates are mutable, a shared one could be changed by a caller.
    const value = this.text(name);
    return value === undefined ? undefined : parseAlipayTime(value);
  }

  get appId(): string | undefined {
    return this.text('app_id');
  }
  get authAppId(): string | undefined {
    return this.text('auth_app_id');
  }
  get notifyId(): string | undefined {
    return this.text('notify_id');
  }
  get notifyTime(): Date | undefined {
    return this.time('notify_time');
  }
  get version(): string | undefined {
    return this.text('version');
  }

  /** The fields as a plain object (for JSON.stringify and logging). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let proto = Object.getPrototypeOf(this); proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (descriptor.get && !(name in out)) {
          const value = (this as unknown as Record<string, unknown>)[name];
          if (value !== undefined) out[name] = value;
        }
      }
    }
    out['type'] = this.type;
    out['charset'] = this.charset;
    out['idempotencyKey'] = this.idempotencyKey;
    out['raw'] = { ...this.raw };
    return out;
  }

  [INSPECT](): Record<string, unknown> {
    return this.toJSON();
  }
}

class TradeNotificationModel extends NotificationModel implements TradeNotification {
  readonly type = 'trade_status_sync' as const;
  readonly kind: TradeNotificationKind;
  readonly idempotencyKey: string;

  constructor(raw: Params, charset: string) {
    super(raw, charset);
    this.kind = tradeKind(raw);
    this.idempotencyKey = keyOf([
      'trade_status_sync',
      raw['app_id'],
      raw['auth_app_id'],
      raw['out_trade_no'],
      raw['trade_status'],
      raw['out_biz_no'],
      raw['refund_fee'],
    ]);
  }

  get tradeNo() { return this.text('trade_no'); }
  get outTradeNo() { return this.text('out_trade_no'); }
  get outBizNo() { return this.text('out_biz_no'); }
  get tradeStatus(): TradeStatus | undefined { return this.text('trade_status'); }
  get totalAmount() { return this.amount('total_amount'); }
  get receiptAmount() { return this.amount('receipt_amount'); }
  get invoiceAmount() { return this.amount('invoice_amount'); }
  get buyerPayAmount() { return this.amount('buyer_pay_amount'); }
  get pointAmount() { return this.amount('point_amount'); }
  get refundFee() { return this.amount('refund_fee'); }
  get subject() { return this.text('subject'); }
  get body() { return this.text('body'); }
  get gmtCreate() { return this.time('gmt_create'); }
  get gmtPayment() { return this.time('gmt_payment'); }
  get gmtRefund() { return this.time('gmt_refund'); }
  get gmtClose() { return this.time('gmt_close'); }
  get buyerId() { return this.text('buyer_id'); }
  get buyerOpenId() { return this.text('buyer_open_id'); }
  get buyerLogonId() { return this.text('buyer_logon_id'); }
  get sellerId() { return this.text('seller_id'); }
  get sellerEmail() { return this.text('seller_email'); }
  get passbackParams() { return this.text('passback_params'); }

  get fundBillList(): ParsedJsonList<FundBill> | undefined {
    return this.memo('fund_bill_list', () => {
      const value = this.text('fund_bill_list');
      return value === undefined ? undefined : parseJsonList(value, fundBill);
    });
  }

  get voucherDetailList(): ParsedJsonList<Readonly<Record<string, unknown>>> | undefined {
    return this.memo('voucher_detail_list', () => {
      const value = this.text('voucher_detail_list');
      return value === undefined ? undefined : parseJsonList(value, (entry) => entry);
    });
  }
}

/** refund_fee=0.00 also appears on plain payments (protocol.md §2.3): only a positive one counts. */
function tradeKind(raw: Params): TradeNotificationKind {
  const refundFee = text(raw, 'refund_fee');
  if (text(raw, 'out_biz_no') !== undefined || text(raw, 'gmt_refund') !== undefined || (refundFee !== undefined && /[1-9]/.test(refundFee))) {
    return 'refund';
  }
  return raw['trade_status'] === 'TRADE_CLOSED' ? 'close' : 'payment';
}

class GenericNotificationModel extends NotificationModel implements GenericNotification {
  readonly type: string;
  readonly kind = undefined;
  readonly idempotencyKey: string;

  constructor(raw: Params, charset: string) {
    super(raw, charset);
    // Message-service notifications name themselves with msg_method, gateway ones with method/service.
    this.type = text(raw, 'notify_type') ?? text(raw, 'msg_method') ?? text(raw, 'method') ?? text(raw, 'service') ?? 'unknown';
    const identity =
      text(raw, 'notify_id') ??
      Object.keys(raw)
        .sort()
        .map((k) => `${k}=${raw[k]}`)
        .join('&');
    this.idempotencyKey = keyOf([this.type, raw['app_id'], identity]);
  }
}

/** Builds the typed model from verified params; a NotifyError when a typed field is malformed. */
export function buildNotification(params: Params, charset: string): Notification | NotifyError {
  if (params['notify_type'] === 'trade_status_sync') {
    return validate(params, TRADE_AMOUNTS, TRADE_TIMES) ?? new TradeNotificationModel(params, charset);
  }
  return validate(params, [], ['notify_time']) ?? new GenericNotificationModel(params, charset);
}

/** Narrows a Notification to a trade notification. */
export function isTradeNotification(n: Notification): n is TradeNotification {
  return n.type === 'trade_status_sync';
}
