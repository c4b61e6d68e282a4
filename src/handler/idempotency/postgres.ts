import { ClaimTokens, DEFAULT_TABLE, checkTtl, quoteTable } from './tokens.js';
import type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './types.js';

/** The part of a `pg` Pool or Client this store uses; no dependency on the driver. */
export interface PgQueryableLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export interface PgIdempotencyStoreOptions {
  /** Table name (`name` or `schema.name`). Default `alipay_notify_idempotency`. */
  table?: string;
}

/** The SQL that creates the table: run it in a migration, or call `store.createTable()` once at start-up. */
export function pgIdempotencySchema(table: string = DEFAULT_TABLE): string {
  const t = quoteTable(table);
  return (
    `CREATE TABLE IF NOT EXISTS ${t} (\n` +
    `  key text PRIMARY KEY,\n` +
    `  state text NOT NULL CHECK (state IN ('claimed', 'done')),\n` +
    `  token text,\n` +
    `  expires_at timestamptz,\n` +
    `  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()\n` +
    `)`
  );
}

/**
 * An idempotency store in PostgreSQL through `pg` (a Pool is best; a Client works). Safe for
 * any number of processes and hosts sharing the database.
 *
 * A claim is one statement, `INSERT … ON CONFLICT (key) DO UPDATE … WHERE <lease expired>
 * RETURNING`, so exactly one concurrent caller gets 'started'. Lease times use the database
 * clock, so hosts with skewed clocks still agree. `done` rows are kept forever; delete old ones
 * yourself if needed (Alipay stops retrying after about 25 hours).
 *
 * The table is not created implicitly (concurrent `CREATE TABLE IF NOT EXISTS` can fail in
 * PostgreSQL): run `pgIdempotencySchema()` in a migration, or `await store.createTable()` once.
 */
export function pgIdempotencyStore(
  client: PgQueryableLike,
  options: PgIdempotencyStoreOptions = {},
): IdempotencyStore & { createTable(): Promise<void> } {
  const table = options.table ?? DEFAULT_TABLE;
  const t = quoteTable(table);
  const tokens = new ClaimTokens();

  const claimSql =
    `INSERT INTO ${t} AS i (key, state, token, expires_at, updated_at)
     VALUES ($1, 'claimed', $2, clock_timestamp() + $3::bigint * interval '1 millisecond', clock_timestamp())
     ON CONFLICT (key) DO UPDATE SET state = 'claimed', token = EXCLUDED.token,
       expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
     WHERE i.state = 'claimed' AND i.expires_at <= clock_timestamp()
     RETURNING 1`;
  const readSql = `SELECT state FROM ${t} WHERE key = $1`;
  const doneSql =
    `INSERT INTO ${t} AS i (key, state, token, expires_at, updated_at)
     VALUES ($1, 'done', NULL, NULL, clock_timestamp())
     ON CONFLICT (key) DO UPDATE SET state = 'done', token = NULL, expires_at = NULL, updated_at = EXCLUDED.updated_at`;
  const releaseSql = `DELETE FROM ${t} WHERE key = $1 AND state = 'claimed' AND token = $2`;

  return {
    async createTable(): Promise<void> {
      await client.query(pgIdempotencySchema(table));
    },
    async begin(key: string, opts: BeginOptions): Promise<BeginResult> {
      const ttlMs = checkTtl(opts?.ttlMs);
      const token = tokens.forBegin(opts);
      const claimed = await client.query(claimSql, [key, token, ttlMs]);
      if (claimed.rowCount === 1) {
        tokens.started(key, opts, token);
        return 'started';
      }
      const found = await client.query(readSql, [key]);
      return (found.rows[0] as { state?: unknown } | undefined)?.state === 'done' ? 'done' : 'busy';
    },
    async complete(key: string, opts?: ClaimOptions): Promise<void> {
      tokens.release(key, opts);
      await client.query(doneSql, [key]);
    },
    async abort(key: string, opts?: ClaimOptions): Promise<void> {
      const token = tokens.release(key, opts);
      if (token !== undefined) await client.query(releaseSql, [key, token]);
    },
  };
}
