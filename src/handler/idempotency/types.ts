/** What `begin` found: the caller now holds the claim, the event is already done, or someone else holds it. */
export type BeginResult = 'started' | 'done' | 'busy';

export interface BeginOptions {
  /**
   * How long the claim lasts. A claim that is neither completed nor aborted within ttlMs
   * (its worker died or hangs) expires, and the next `begin` for the key takes it over.
   */
  ttlMs: number;
  /**
   * Identifies this claim. The handler passes a fresh random token to `begin`, `complete`
   * and `abort`, so that a worker whose lease expired cannot release the claim of the
   * worker that took over. Stores that ignore it still satisfy the interface.
   */
  token?: string;
}

export interface ClaimOptions {
  /** The token given to `begin` for this claim. */
  token?: string;
}

/**
 * Records which events have been processed, and leases events being processed, so that an
 * event is handled once even when Alipay delivers it many times, concurrently, to several
 * processes. Keys are `Notification.idempotencyKey` values.
 */
export interface IdempotencyStore {
  /**
   * Atomically: if the key is done, 'done'; if it is claimed and the claim has not expired,
   * 'busy'; otherwise claim it for `opts.ttlMs` and return 'started'.
   */
  begin(key: string, opts: BeginOptions): Promise<BeginResult>;
  /** Marks the key done, permanently (or for a long retention time, per store). */
  complete(key: string, opts?: ClaimOptions): Promise<void>;
  /** Releases the claim, if it is still this caller's, so that the next delivery can run. */
  abort(key: string, opts?: ClaimOptions): Promise<void>;
}

/** Claims last 5 minutes unless the handler's `claimTtlMs` says otherwise. */
export const DEFAULT_CLAIM_TTL_MS = 5 * 60 * 1000;
