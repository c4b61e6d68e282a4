import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgIdempotencySchema, pgIdempotencyStore } from '../../src/handler/idempotency/postgres.js';
import { sleep } from '../support/notifications.js';
import { expectStoreDownFails, storeConformance } from '../support/store-conformance.js';
import { PG_URL, type Backend } from './env.js';
import { killedWorker, raceProcesses } from './multiprocess.js';

const run = randomUUID().slice(0, 8);
const TABLE = `idem_${run}`;
const EFFECTS = `effects_${run}`;
const pools: pg.Pool[] = [];
const pool = (): pg.Pool => {
  const p = new pg.Pool({ connectionString: PG_URL, max: 8 });
  pools.push(p);
  return p;
};
const admin = pool();
const backend: Backend = { kind: 'pg', url: PG_URL, table: TABLE, effects: EFFECTS };

async function effects(event: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${EFFECTS} WHERE event = $1`, [event]);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  await pgIdempotencyStore(admin, { table: TABLE }).createTable();
  await admin.query(`CREATE TABLE ${EFFECTS} (event text NOT NULL, pid int NOT NULL, at timestamptz DEFAULT now())`);
});

afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${TABLE}, ${EFFECTS}`);
  await Promise.all(pools.map((p) => p.end()));
});

storeConformance('pgIdempotencyStore (two pools)', () => ({
  store: pgIdempotencyStore(pool(), { table: TABLE }),
  other: pgIdempotencyStore(pool(), { table: TABLE }),
  ttlMs: 300,
  advance: (ms) => sleep(ms),
}));

describe('pgIdempotencyStore', () => {
  it('createTable is idempotent and the schema has a unique key', async () => {
    await pgIdempotencyStore(admin, { table: TABLE }).createTable();
    expect(pgIdempotencySchema(TABLE)).toContain('key text PRIMARY KEY');
    const { rows } = await admin.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE 'CREATE UNIQUE INDEX%'`,
      [TABLE],
    );
    expect(rows).toHaveLength(1);
  });

  it('a pg.Client works as well as a Pool', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const store = pgIdempotencyStore(client, { table: TABLE });
      const k = `client:${randomUUID()}`;
      expect(await store.begin(k, { ttlMs: 10_000 })).toBe('started');
      await store.complete(k);
      expect(await store.begin(k, { ttlMs: 10_000 })).toBe('done');
    } finally {
      await client.end();
    }
  });

  it('the database is down -> fail, never success', async () => {
    const down = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    await expectStoreDownFails(pgIdempotencyStore(down, { table: TABLE }));
    await down.end();
  });
});

describe('4 OS processes sharing PostgreSQL', () => {
  it('1,000 concurrent deliveries of one event: one effect, every reply success or fail, retries converge', async () => {
    const event = `ORDER-PG-${run}`;
    await raceProcesses(backend, event);
    expect(await effects(event)).toBe(1);
  });

  it('a worker killed mid-onTrade: its claim expires and another process applies the event once', async () => {
    const event = `ORDER-PG-KILL-${run}`;
    const r = await killedWorker(backend, event, 3000);
    expect(r.firstOutcomes).toEqual({ in_progress: 1 });
    expect(await effects(event)).toBe(1);
  });
});
