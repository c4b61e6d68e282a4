import { ClaimTokens, DEFAULT_TABLE, checkTtl, quoteTable } from './tokens.js';
import type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './types.js';

/** The part of a better-sqlite3 (v12) statement this store uses. */
export interface SqliteStatementLike {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}

/** The part of a better-sqlite3 (v12) `Database` this store uses; no dependency on the driver. */
export interface SqliteDatabaseLike {
  prepare(source: string): SqliteStatementLike;
  exec(source: string): unknown;
}

export interface SqliteIdempotencyStoreOptions {
  /** Table name (`name` or `schema.name`). Default `alipay_notify_idempotency`. */
  table?: string;
  /** Clock in epoch milliseconds. Default Date.now. All processes sharing a file must agree on it. */
  now?: () => number;
}

/** The SQL that creates the table (run by the store itself; exported for migrations). */
export function sqliteIdempotencySchema(table: string = DEFAULT_TABLE): string {
  const t = quoteTable(table);
  return (
    `CREATE TABLE IF NOT EXISTS ${t} (\n` +
    `  key TEXT PRIMARY KEY,\n` +
    `  state TEXT NOT NULL CHECK (state IN ('claimed', 'done')),\n` +
    `  token TEXT,\n` +
    `  expires_at INTEGER,\n` +
    `  updated_at INTEGER NOT NULL\n` +
    `)`
  );
}

/**
 * An idempotency store in SQLite through better-sqlite3 (v12): the embedded choice for a
 * single host, including several processes sharing one database file (open it in WAL mode,
 * `db.pragma('journal_mode = WAL')`, and keep better-sqlite3's default busy timeout).
 *
 * Creates its table if missing. A claim is one atomic `INSERT … ON CONFLICT DO UPDATE …
 * WHERE <lease expired> RETURNING`, so two processes can never both start the same event.
 * `done` rows are kept forever; delete old ones yourself if the table grows too large
 * (Alipay stops retrying after about 25 hours).
 */
export function sqliteIdempotencyStore(
  db: SqliteDatabaseLike,
  options: SqliteIdempotencyStoreOptions = {},
): IdempotencyStore {
  const table = options.table ?? DEFAULT_TABLE;
  const t = quoteTable(table);
  const now = options.now ?? Date.now;
  const tokens = new ClaimTokens();
  db.exec(sqliteIdempotencySchema(table));

  const claim = db.prepare(
    `INSERT INTO ${t} AS i (key, state, token, expires_at, updated_at) VALUES (?, 'claimed', ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET state = 'claimed', token = excluded.token,
       expires_at = excluded.expires_at, updated_at = excluded.updated_at
     WHERE i.state = 'claimed' AND i.expires_at <= ?
     RETURNING key`,
  );
  const read = db.prepare(`SELECT state FROM ${t} WHERE key = ?`);
  const done = db.prepare(
    `INSERT INTO ${t} (key, state, token, expires_at, updated_at) VALUES (?, 'done', NULL, NULL, ?)
     ON CONFLICT (key) DO UPDATE SET state = 'done', token = NULL, expires_at = NULL, updated_at = excluded.updated_at`,
  );
  const release = db.prepare(`DELETE FROM ${t} WHERE key = ? AND state = 'claimed' AND token = ?`);

  return {
    async begin(key: string, opts: BeginOptions): Promise<BeginResult> {
      const ttlMs = checkTtl(opts?.ttlMs);
      const token = tokens.forBegin(opts);
      const t0 = now();
      if (claim.get(key, token, t0 + ttlMs, t0, t0) !== undefined) {
        tokens.started(key, opts, token);
        return 'started';
      }
      // Not ours: done, or a live claim (or a row that just went away: report busy, the retry runs).
      const row = read.get(key) as { state?: unknown } | undefined;
      return row?.state === 'done' ? 'done' : 'busy';
    },
    async complete(key: string, opts?: ClaimOptions): Promise<void> {
      tokens.release(key, opts);
      done.run(key, now());
    },
    async abort(key: string, opts?: ClaimOptions): Promise<void> {
      const token = tokens.release(key, opts);
      if (token !== undefined) release.run(key, token);
    },
  };
}
