import type { Decimal } from 'decimal.js';
import type { GenericNotification, Notification, TradeNotification } from '../model/types.js';
import type { NotifyBody, NotifyVerifier, VerifierOptions } from '../types.js';
import type { IdempotencyStore } from './idempotency/types.js';

/** What happened to one delivery. `processed` and `duplicate` reply `success`; see the decision table. */
export type NotifyOutcome = 'processed' | 'duplicate' | 'in_progress' | 'rejected' | 'anomaly' | 'error';

/** The HTTP reply to send Alipay: always status 200, `text/plain`, body exactly `success` or `fail`. */
export interface NotifyReply {
  status: 200;
  contentType: 'text/plain';
  body: 'success' | 'fail';
  outcome: NotifyOutcome;
  /**
   * Why, for logs: an `AnomalyCode` (outcome anomaly, or processed with COMPLETE_FAILED), the
   * verifier's `NotifyErrorCode` (outcome rejected), or a `HandlerErrorCode` (outcome error).
   */
  code?: string;
  /** The verified notification, when verification succeeded. */
  notify?: Notification;
  /** What was thrown (outcome error), or the verifier's NotifyError (rejected, app/seller anomalies). */
  error?: unknown;
}

/**
 * Data errors: the notification is genuine but does not match your records (or is of a type
 * you do not handle). They reply `success`, since Alipay's retries would carry the same data.
 */
export type AnomalyCode =
  /** findOrder returned null or undefined. */
  | 'ORDER_NOT_FOUND'
  /** total_amount differs from the order's totalAmount (compared exactly, as decimals). */
  | 'AMOUNT_MISMATCH'
  /** The trade notification has no total_amount, so the amount cannot be checked. */
  | 'AMOUNT_MISSING'
  /** app_id (and auth_app_id) differ from the order's appId, or the verifier's appId option. */
  | 'APP_ID_MISMATCH'
  /** seller_id differs from (or lacks) the order's sellerId, or the verifier's sellerId option. */
  | 'SELLER_ID_MISMATCH'
  /** Not a trade_status_sync notification, and no onNotify hook is configured. */
  | 'UNSUPPORTED_NOTIFY_TYPE'
  /**
   * onTrade succeeded but the store failed to record it as done. The reply is `success`
   * (outcome processed): the effect is applied, and a `fail` would make the retry apply it again.
   */
  | 'COMPLETE_FAILED';

/** Server-side errors: the reply is `fail`, so Alipay retries later. */
export type HandlerErrorCode =
  /** The verifier threw (a NotifyVerifier must not). */
  | 'VERIFY_THREW'
  /** findOrder threw or rejected. */
  | 'FIND_ORDER_FAILED'
  /** findOrder returned an order whose totalAmount is not a valid amount (NaN, Infinity, "1e2", ...). */
  | 'ORDER_AMOUNT_INVALID'
  /** onTrade threw or rejected. */
  | 'ON_TRADE_FAILED'
  /** onNotify threw or rejected. */
  | 'ON_NOTIFY_FAILED'
  /** The idempotency store's begin threw, rejected or answered something unknown. */
  | 'STORE_FAILED'
  /** A bug: something else threw. */
  | 'INTERNAL_ERROR';

export interface NotifyAnomaly {
  code: AnomalyCode;
  /** Human-readable description (no amounts or identifiers of the payload). */
  message: string;
  /** The verified notification, when there is one. */
  notify?: Notification;
  /** The verifier's NotifyError (APP_ID_MISMATCH/SELLER_ID_MISMATCH from verifier options), or what a store threw. */
  error?: unknown;
}

/** What findOrder returns: the facts a notification is checked against. */
export interface NotifyOrder {
  /** The order amount in yuan: "88.88", 88.88 or a Decimal. Compared exactly with total_amount. */
  totalAmount: string | number | Decimal;
  /** When set, app_id (or auth_app_id, for ISV setups) must equal it. */
  appId?: string;
  /** When set, seller_id must be present and equal it. */
  sellerId?: string;
}

export interface NotifyHandlerOptions<O extends NotifyOrder = NotifyOrder> {
  /** A verifier, or the options to create one with `createVerifier`. */
  verifier: NotifyVerifier | VerifierOptions;
  /** Looks up your order for a verified trade notification (usually by `n.outTradeNo`); null when unknown. */
  findOrder(n: TradeNotification): Promise<O | null | undefined> | O | null | undefined;
  /**
   * Your business action, run at most once per event (`n.idempotencyKey`) once the checks
   * pass: for payments, refunds and closes alike (use `n.kind` and `isPaid(n)`). Throw to
   * reply `fail` and have Alipay retry. Must finish well within `claimTtlMs`.
   */
  onTrade(n: TradeNotification, order: O): Promise<void> | void;
  /** Default: `memoryIdempotencyStore()`, which is right for one process only. */
  idempotency?: IdempotencyStore;
  /**
   * Called for each delivery that ends as an anomaly (and for COMPLETE_FAILED). Errors it
   * throws are swallowed; it is awaited before the reply, so keep it fast.
   */
  onAnomaly?(a: NotifyAnomaly): void | Promise<void>;
  /**
   * Handles verified notifications that are not trade_status_sync (service market, message
   * service, ...), with the same idempotency as onTrade. Without it they reply `success` with
   * outcome anomaly, code UNSUPPORTED_NOTIFY_TYPE.
   */
  onNotify?(n: GenericNotification): Promise<void> | void;
  /**
   * How long a claim lasts before another delivery may take it over (its worker died or
   * hangs). Default 5 minutes. Must exceed your slowest onTrade, or a second worker could
   * start the same event while the first still runs.
   */
  claimTtlMs?: number;
}

/** Takes the notification body (raw body preferred), never throws, resolves to the reply to send. */
export type NotifyHandler = (body: NotifyBody) => Promise<NotifyReply>;
