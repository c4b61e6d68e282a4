import type { Runtime } from '../runtime/types.js';
import { createVerifierWith } from '../verifier.js';
import type { GenericNotification, Notification, TradeNotification } from '../model/types.js';
import type { NotifyBody, NotifyVerifier, VerifyResult } from '../types.js';
import { toAmount } from './checks.js';
import { isVerifier } from './is-verifier.js';
import { memoryIdempotencyStore } from './idempotency/memory.js';
import { reply } from './reply.js';
import { checkTtl, newClaimToken } from './idempotency/tokens.js';
import { DEFAULT_CLAIM_TTL_MS, type BeginResult, type IdempotencyStore } from './idempotency/types.js';
import type {
  AnomalyCode,
  HandlerErrorCode,
  NotifyAnomaly,
  NotifyHandler,
  NotifyHandlerOptions,
  NotifyOrder,
  NotifyReply,
} from './types.js';


/** A hook failure, tagged with the code the reply will carry. */
class HookFailure {
  constructor(
    readonly code: HandlerErrorCode,
    readonly error: unknown,
  ) {}
}

const ANOMALY_MESSAGES: Readonly<Record<AnomalyCode, string>> = {
  ORDER_NOT_FOUND: 'findOrder found no order for this notification.',
  AMOUNT_MISMATCH: "total_amount differs from the order's totalAmount.",
  AMOUNT_MISSING: 'The trade notification has no total_amount, so the order amount cannot be checked.',
  APP_ID_MISMATCH: "app_id (and auth_app_id) differ from the expected app id.",
  SELLER_ID_MISMATCH: 'seller_id is missing or differs from the expected seller id.',
  UNSUPPORTED_NOTIFY_TYPE: 'The notification is not trade_status_sync and no onNotify hook is configured.',
  COMPLETE_FAILED:
    'onTrade succeeded but the idempotency store failed to record the event as done; a later redelivery could run it again.',
};

function isStore(v: unknown): v is IdempotencyStore {
  const s = v as Partial<Record<keyof IdempotencyStore, unknown>> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.begin === 'function' &&
    typeof s.complete === 'function' &&
    typeof s.abort === 'function'
  );
}

/** createNotifyHandler (src/index.ts, src/index.web.ts) on one runtime: verifier options are verified with its crypto. */
export function createNotifyHandlerWith<O extends NotifyOrder = NotifyOrder>(
  runtime: Runtime,
  options: NotifyHandlerOptions<O>,
): NotifyHandler {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createNotifyHandler needs an options object.');
  }
  const { findOrder, onTrade, onAnomaly, onNotify } = options;
  if (typeof findOrder !== 'function') throw new TypeError('findOrder must be a function.');
  if (typeof onTrade !== 'function') throw new TypeError('onTrade must be a function.');
  if (onAnomaly !== undefined && typeof onAnomaly !== 'function') throw new TypeError('onAnomaly must be a function.');
  if (onNotify !== undefined && typeof onNotify !== 'function') throw new TypeError('onNotify must be a function.');
  if (typeof options.verifier !== 'object' || options.verifier === null) {
    throw new TypeError('verifier must be a NotifyVerifier or VerifierOptions.');
  }
  const verifier: NotifyVerifier = isVerifier(options.verifier)
    ? options.verifier
    : createVerifierWith(runtime, options.verifier);
  const store = options.idempotency ?? memoryIdempotencyStore();
  if (!isStore(store)) throw new TypeError('idempotency must have begin, complete and abort methods.');
  const ttlMs = checkTtl(options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS);

  /** Tells onAnomaly, if any, about a data error (or COMPLETE_FAILED). */
  async function report(code: AnomalyCode, notify?: Notification, error?: unknown): Promise<void> {
    if (!onAnomaly) return;
    const a: NotifyAnomaly = { code, message: ANOMALY_MESSAGES[code] };
    if (notify !== undefined) a.notify = notify;
    if (error !== undefined) a.error = error;
    try {
      await onAnomaly.call(options, a);
    } catch {
      // An observer's failure must not change the reply or crash the server.
    }
  }

  async function anomalyReply(code: AnomalyCode, notify?: Notification, error?: unknown): Promise<NotifyReply> {
    await report(code, notify, error);
    return reply('success', 'anomaly', { code, notify, error });
  }

  /** Business checks and onTrade, run while holding the claim: the data error found, if any. */
  async function runTrade(n: TradeNotification): Promise<AnomalyCode | undefined> {
    let order: O | null | undefined;
    try {
      order = await findOrder.call(options, n);
    } catch (error) {
      throw new HookFailure('FIND_ORDER_FAILED', error);
    }
    if (order === null || order === undefined) return 'ORDER_NOT_FOUND';
    if (order.appId !== undefined && order.appId !== n.appId && order.appId !== n.authAppId) {
      return 'APP_ID_MISMATCH';
    }
    if (order.sellerId !== undefined && order.sellerId !== n.sellerId) return 'SELLER_ID_MISMATCH';
    const expected = toAmount(order.totalAmount);
    if (expected === undefined) {
      throw new HookFailure(
        'ORDER_AMOUNT_INVALID',
        new TypeError('findOrder returned an order whose totalAmount is not a finite amount in yuan.'),
      );
    }
    const actual = toAmount(n.totalAmount);
    if (actual === undefined) return 'AMOUNT_MISSING';
    if (!actual.equals(expected)) return 'AMOUNT_MISMATCH';
    try {
      await onTrade.call(options, n, order);
    } catch (error) {
      throw new HookFailure('ON_TRADE_FAILED', error);
    }
    return undefined;
  }

  async function runOther(n: GenericNotification): Promise<AnomalyCode | undefined> {
    try {
      await onNotify!.call(options, n);
    } catch (error) {
      throw new HookFailure('ON_NOTIFY_FAILED', error);
    }
    return undefined;
  }

  /** Claims the event, runs work, and records the result. */
  async function once(n: Notification, work: () => Promise<AnomalyCode | undefined>): Promise<NotifyReply> {
    const key = n.idempotencyKey;
    if (typeof key !== 'string' || key === '') {
      return reply('fail', 'error', {
        code: 'INTERNAL_ERROR',
        notify: n,
        error: new TypeError('The notification has no idempotencyKey.'),
      });
    }
    const token = newClaimToken();
    let begun: BeginResult;
    try {
      begun = await store.begin(key, { ttlMs, token });
    } catch (error) {
      return reply('fail', 'error', { code: 'STORE_FAILED', notify: n, error });
    }
    if (begun === 'done') return reply('success', 'duplicate', { notify: n });
    if (begun === 'busy') return reply('fail', 'in_progress', { notify: n });
    if (begun !== 'started') {
      return reply('fail', 'error', {
        code: 'STORE_FAILED',
        notify: n,
        error: new TypeError('IdempotencyStore.begin must resolve to "started", "done" or "busy".'),
      });
    }

    const release = async (): Promise<void> => {
      try {
        await store.abort(key, { token });
      } catch {
        // The claim then expires after ttlMs, and a later delivery takes it over.
      }
    };

    let found: AnomalyCode | undefined;
    try {
      found = await work();
    } catch (thrown) {
      await release();
      const failure = thrown instanceof HookFailure ? thrown : new HookFailure('INTERNAL_ERROR', thrown);
      return reply('fail', 'error', { code: failure.code, notify: n, error: failure.error });
    }
    if (found) {
      // Not recorded as done: a redelivery after you fix your data is evaluated again.
      await release();
      return anomalyReply(found, n);
    }
    try {
      await store.complete(key, { token });
    } catch (error) {
      await report('COMPLETE_FAILED', n, error);
      return reply('success', 'processed', { code: 'COMPLETE_FAILED', notify: n, error });
    }
    return reply('success', 'processed', { notify: n });
  }

  async function handle(body: NotifyBody): Promise<NotifyReply> {
    let result: VerifyResult;
    try {
      result = await verifier.verify(body);
    } catch (error) {
      return reply('fail', 'error', { code: 'VERIFY_THREW', error });
    }
    if (!result.ok) {
      const code = result.error?.code;
      // Genuine (the signature checked out) but for another app or seller: a data error.
      if (code === 'APP_ID_MISMATCH' || code === 'SELLER_ID_MISMATCH') {
        return anomalyReply(code, undefined, result.error);
      }
      return reply('fail', 'rejected', { code, error: result.error });
    }
    const n = result.notify;
    if (n.kind !== undefined) return once(n, () => runTrade(n));
    if (onNotify) return once(n, () => runOther(n));
    return anomalyReply('UNSUPPORTED_NOTIFY_TYPE', n);
  }

  return async (body: NotifyBody): Promise<NotifyReply> => {
    try {
      return await handle(body);
    } catch (error) {
      return reply('fail', 'error', { code: 'INTERNAL_ERROR', error });
    }
  };
}
