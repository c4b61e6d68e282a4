import { ClaimTokens, checkTtl } from './tokens.js';
import type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './types.js';

export interface MemoryIdempotencyStoreOptions {
  /** Clock in epoch milliseconds (tests inject a fake one). Default Date.now. */
  now?: () => number;
}

type Entry = { state: 'claimed'; token: string; expiresAt: number } | { state: 'done' };

/**
 * An in-process store: right for a single process, wrong behind a load balancer (each
 * process would have its own memory: use the PostgreSQL, Redis or SQLite store there).
 *
 * Claims are leases by timestamp: a claim older than its ttlMs is taken over by the next
 * `begin`. `done` is permanent for the life of the process, so memory grows by one small
 * entry per processed event; a long-running process with high volume should use a database
 * store, and a restart forgets everything (a redelivery after a restart runs again).
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore & {
  /** Number of keys held (claimed or done); for monitoring and tests. */
  readonly size: number;
} {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const tokens = new ClaimTokens();

  return {
    get size() {
      return entries.size;
    },
    async begin(key: string, opts: BeginOptions): Promise<BeginResult> {
      const ttlMs = checkTtl(opts?.ttlMs);
      const entry = entries.get(key);
      const t = now();
      if (entry?.state === 'done') return 'done';
      if (entry?.state === 'claimed' && entry.expiresAt > t) return 'busy';
      const token = tokens.forBegin(opts);
      entries.set(key, { state: 'claimed', token, expiresAt: t + ttlMs });
      tokens.started(key, opts, token);
      return 'started';
    },
    async complete(key: string, opts?: ClaimOptions): Promise<void> {
      tokens.release(key, opts);
      entries.set(key, { state: 'done' });
    },
    async abort(key: string, opts?: ClaimOptions): Promise<void> {
      const token = tokens.release(key, opts);
      const entry = entries.get(key);
      if (entry?.state === 'claimed' && token !== undefined && entry.token === token) entries.delete(key);
    },
  };
}
