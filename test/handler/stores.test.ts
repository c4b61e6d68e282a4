import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIdempotencyStore } from '../../src/handler/idempotency/memory.js';
import { sqliteIdempotencySchema, sqliteIdempotencyStore } from '../../src/handler/idempotency/sqlite.js';
import { quoteTable } from '../../src/handler/idempotency/tokens.js';
import { fakeClock } from '../support/notifications.js';
import { storeConformance } from '../support/store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-sqlite-'));
const open: Database.Database[] = [];
afterAll(() => {
  for (const db of open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  open.push(db);
  return db;
}

storeConformance('memoryIdempotencyStore', () => {
  const clock = fakeClock();
  const store = memoryIdempotencyStore({ now: clock.now });
  return { store, other: store, ttlMs: 1000, advance: async (ms) => clock.advance(ms) };
});

storeConformance('sqliteIdempotencyStore (two connections to one file)', () => {
  const clock = fakeClock();
  const file = join(dir, 'shared.db');
  return {
    store: sqliteIdempotencyStore(connect(file), { now: clock.now }),
    other: sqliteIdempotencyStore(connect(file), { now: clock.now }),
    ttlMs: 1000,
    advance: async (ms) => clock.advance(ms),
  };
});

storeConformance('sqliteIdempotencyStore (:memory:, custom table)', () => {
  const clock = fakeClock();
  const db = new Database(':memory:');
  open.push(db);
  const store = sqliteIdempotencyStore(db, { table: 'main.paid_events', now: clock.now });
  return { store, other: store, ttlMs: 1000, advance: async (ms) => clock.advance(ms) };
});

describe('memoryIdempotencyStore', () => {
  it('works with the real clock by default, and reports its size', async () => {
    const store = memoryIdempotencyStore();
    expect(await store.begin('k', { ttlMs: 60_000 })).toBe('started');
    expect(store.size).toBe(1);
    await store.complete('k');
    expect(await store.begin('k', { ttlMs: 60_000 })).toBe('done');
    expect(store.size).toBe(1);
  });
});

describe('sqliteIdempotencyStore', () => {
  it('creates its table, and the schema is exported for migrations', () => {
    const db = new Database(':memory:');
    open.push(db);
    sqliteIdempotencyStore(db);
    const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").get() as { name: string };
    expect(row.name).toBe('alipay_notify_idempotency');
    expect(sqliteIdempotencySchema('x')).toContain('CREATE TABLE IF NOT EXISTS "x"');
  });

  it('records done as a row that survives reopening the file', async () => {
    const file = join(dir, 'reopen.db');
    const first = new Database(file);
    const store = sqliteIdempotencyStore(first);
    expect(await store.begin('evt', { ttlMs: 60_000 })).toBe('started');
    await store.complete('evt');
    first.close();
    const again = connect(file);
    expect(await sqliteIdempotencyStore(again).begin('evt', { ttlMs: 60_000 })).toBe('done');
  });

  it('rejects table names that are not plain identifiers', () => {
    const db = new Database(':memory:');
    open.push(db);
    for (const table of ['x; DROP TABLE y', 'a b', '"q"', '', '1abc', 'a.b.c']) {
      expect(() => sqliteIdempotencyStore(db, { table })).toThrow(TypeError);
    }
    expect(quoteTable('public.events')).toBe('"public"."events"');
  });

  it('turns a closed database into a rejected promise, not a throw', async () => {
    const db = new Database(':memory:');
    const store = sqliteIdempotencyStore(db);
    db.close();
    await expect(store.begin('k', { ttlMs: 1000 })).rejects.toThrow();
  });
});
