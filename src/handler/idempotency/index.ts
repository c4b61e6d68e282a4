// Subpath entry `alipay-notify/idempotency`: every idempotency store, including the ones for
// PostgreSQL, Redis and SQLite. They take a structurally typed client, so this library has no
// dependency on pg, redis or better-sqlite3; the root entry exports only the memory store.
export type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './types.js';
export { DEFAULT_CLAIM_TTL_MS } from './types.js';
export { memoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './memory.js';
export {
  sqliteIdempotencyStore,
  sqliteIdempotencySchema,
  type SqliteDatabaseLike,
  type SqliteStatementLike,
  type SqliteIdempotencyStoreOptions,
} from './sqlite.js';
export {
  pgIdempotencyStore,
  pgIdempotencySchema,
  type PgQueryableLike,
  type PgIdempotencyStoreOptions,
} from './postgres.js';
export {
  redisIdempotencyStore,
  type RedisCommanderLike,
  type RedisIdempotencyStoreOptions,
} from './redis.js';
