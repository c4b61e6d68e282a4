// Prepared VerifyResults for a stub NotifyVerifier. The real signing kit lands with the core;
// here the notifications are built by hand, with real Decimals, and the idempotencyKey follows
// the core's business key (type, app_id, out_trade_no, trade_status, out_biz_no, refund_fee).
import Decimal from 'decimal.js';
import { NotifyError, type NotifyErrorCode } from '../../src/errors.js';
import type { GenericNotification, TradeNotification } from '../../src/model/types.js';
import type { NotifyBody, NotifyVerifier, VerifyResult } from '../../src/types.js';

export const APP_ID = '2021000000000001';
export const SELLER_ID = '2088000000000001';

export interface TradeFields {
  outTradeNo?: string;
  tradeStatus?: string;
  totalAmount?: string | null;
  refundFee?: string;
  outBizNo?: string;
  appId?: string;
  authAppId?: string;
  sellerId?: string | null;
  notifyId?: string;
  kind?: TradeNotification['kind'];
}

export function businessKey(parts: Array<string | undefined>): string {
  return JSON.stringify(parts.map((p) => p ?? ''));
}

/** A verified trade_status_sync notification as the core would model it. */
export function trade(fields: TradeFields = {}): TradeNotification {
  const appId = fields.appId ?? APP_ID;
  const outTradeNo = fields.outTradeNo ?? 'ORDER-1';
  const tradeStatus = fields.tradeStatus ?? 'TRADE_SUCCESS';
  const totalAmount = fields.totalAmount === undefined ? '88.88' : fields.totalAmount;
  const kind = fields.kind ?? (fields.outBizNo !== undefined ? 'refund' : tradeStatus === 'TRADE_CLOSED' ? 'close' : 'payment');
  const raw: Record<string, string> = {
    notify_type: 'trade_status_sync',
    app_id: appId,
    out_trade_no: outTradeNo,
    trade_status: tradeStatus,
    charset: 'utf-8',
  };
  if (totalAmount !== null) raw['total_amount'] = totalAmount;
  if (fields.refundFee !== undefined) raw['refund_fee'] = fields.refundFee;
  if (fields.outBizNo !== undefined) raw['out_biz_no'] = fields.outBizNo;
  const n: TradeNotification = {
    type: 'trade_status_sync',
    kind,
    appId,
    notifyId: fields.notifyId ?? `notify-${outTradeNo}-${tradeStatus}-${fields.outBizNo ?? ''}`,
    charset: 'utf-8',
    version: '1.0',
    tradeNo: `2026${outTradeNo}`,
    outTradeNo,
    tradeStatus,
    idempotencyKey: businessKey(['trade_status_sync', appId, outTradeNo, tradeStatus, fields.outBizNo, fields.refundFee]),
    raw,
  };
  if (totalAmount !== null) n.totalAmount = new Decimal(totalAmount);
  if (fields.refundFee !== undefined) n.refundFee = new Decimal(fields.refundFee);
  if (fields.outBizNo !== undefined) n.outBizNo = fields.outBizNo;
  if (fields.authAppId !== undefined) n.authAppId = fields.authAppId;
  const sellerId = fields.sellerId === undefined ? SELLER_ID : fields.sellerId;
  if (sellerId !== null) n.sellerId = sellerId;
  return n;
}

/** A verified notification that is not trade_status_sync. */
export function generic(type = 'servicemarket_order_notify', id = 'C-1'): GenericNotification {
  return {
    type,
    appId: APP_ID,
    charset: 'utf-8',
    idempotencyKey: businessKey([type, APP_ID, id]),
    raw: { notify_type: type, app_id: APP_ID, commodity_order_id: id },
  };
}

export function ok(notify: TradeNotification | GenericNotification): VerifyResult {
  return {
    ok: true,
    notify,
    params: notify.raw,
    signType: 'RSA2',
    signedContent: notify.kind === undefined ? 'v2' : 'v1',
    key: { index: 0 },
  };
}

export function failed(code: NotifyErrorCode): VerifyResult {
  return { ok: false, error: new NotifyError(code, `stub: ${code}`) };
}

/**
 * A NotifyVerifier that answers each body with a prepared result: bodies are looked up by
 * string; unknown bodies are a SIGNATURE_INVALID failure, like a forgery would be.
 */
export function stubVerifier(results: Record<string, VerifyResult>): NotifyVerifier & { calls: number } {
  const v = {
    calls: 0,
    async verify(body: NotifyBody): Promise<VerifyResult> {
      v.calls++;
      const key = typeof body === 'string' ? body : '';
      return results[key] ?? failed('SIGNATURE_INVALID');
    },
  };
  return v;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake clock for stores that take `now`. */
export function fakeClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
