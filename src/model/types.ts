import type { Decimal } from 'decimal.js';

/** The four documented statuses; unknown future values still type-check as strings. */
export type TradeStatus =
  | 'WAIT_BUYER_PAY'
  | 'TRADE_CLOSED'
  | 'TRADE_SUCCESS'
  | 'TRADE_FINISHED'
  | (string & {});

/** What a trade notification reports: a payment, a (partial or full) refund, or a close. */
export type TradeNotificationKind = 'payment' | 'refund' | 'close';

/** One entry of fund_bill_list. Key casing varies in the wild, so both are read. */
export interface FundBill {
  fundChannel?: string;
  amount?: Decimal;
  realAmount?: Decimal;
  /** The entry as parsed from JSON. */
  raw: Readonly<Record<string, unknown>>;
}

export interface ParsedJsonList<T> {
  /** The exact string that was signed. */
  readonly raw: string;
  /** Parsed entries (on first access), or undefined when the string is not a JSON array of objects. */
  readonly items?: T[] | undefined;
}

interface NotificationCommon {
  /** notify_type (or msg_method for message-service notifications). */
  type: string;
  appId?: string;
  authAppId?: string;
  notifyId?: string;
  /** notify_time, read as UTC+8. */
  notifyTime?: Date;
  /** The charset the notification was signed in, lower-cased (e.g. 'utf-8', 'gbk'). */
  charset: string;
  version?: string;
  /**
   * A key that is equal for retries of one event and different for different events.
   * Use it for idempotency.
   */
  idempotencyKey: string;
  /** The signed params (plus sign_type), decoded in the notification's charset. */
  raw: Readonly<Record<string, string>>;
}

export interface TradeNotification extends NotificationCommon {
  type: 'trade_status_sync';
  kind: TradeNotificationKind;
  tradeNo?: string;
  outTradeNo?: string;
  outBizNo?: string;
  tradeStatus?: TradeStatus;
  totalAmount?: Decimal;
  receiptAmount?: Decimal;
  invoiceAmount?: Decimal;
  buyerPayAmount?: Decimal;
  pointAmount?: Decimal;
  refundFee?: Decimal;
  subject?: string;
  body?: string;
  gmtCreate?: Date;
  gmtPayment?: Date;
  gmtRefund?: Date;
  gmtClose?: Date;
  buyerId?: string;
  buyerOpenId?: string;
  buyerLogonId?: string;
  sellerId?: string;
  sellerEmail?: string;
  fundBillList?: ParsedJsonList<FundBill>;
  voucherDetailList?: ParsedJsonList<Readonly<Record<string, unknown>>>;
  passbackParams?: string;
}

/** Any notification that is not trade_status_sync (service market, message service, ...). */
export interface GenericNotification extends NotificationCommon {
  kind?: undefined;
}

export type Notification = TradeNotification | GenericNotification;
