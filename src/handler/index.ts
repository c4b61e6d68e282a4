// What the root entries re-export for the handler (src/exports.ts: `export * from './handler/index.js'`).
// createNotifyHandler itself is defined by each entry (src/index.ts, src/index.web.ts) on its runtime.
// The PostgreSQL, Redis and SQLite stores are deliberately not here: they live behind the
// `alipay-notify/idempotency` subpath (src/handler/idempotency/index.ts).
export { amountEquals, isPaid } from './checks.js';
export { memoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './idempotency/memory.js';
export { DEFAULT_CLAIM_TTL_MS } from './idempotency/types.js';
export type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './idempotency/types.js';
export type {
  AnomalyCode,
  HandlerErrorCode,
  NotifyAnomaly,
  NotifyHandler,
  NotifyHandlerOptions,
  NotifyOrder,
  NotifyOutcome,
  NotifyReply,
} from './types.js';
