import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteIdempotencyStore } from '../../src/handler/idempotency/sqlite.js';
import type { Backend } from './env.js';
import { killedWorker, raceProcesses } from './multiprocess.js';

const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-sqlite-mp-'));
const file = join(dir, 'shared.db');
const backend: Backend = { kind: 'sqlite', file };
let db: Database.Database;

beforeAll(() => {
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  sqliteIdempotencyStore(db); // creates the table before the workers race
  db.exec('CREATE TABLE effects (event TEXT NOT NULL, pid INTEGER NOT NULL)');
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const effects = (event: string): number =>
  (db.prepare('SELECT count(*) AS n FROM effects WHERE event = ?').get(event) as { n: number }).n;

describe('4 OS processes sharing one SQLite file', () => {
  it('1,000 concurrent deliveries of one event: one effect, every reply success or fail, retries converge', async () => {
    await raceProcesses(backend, 'ORDER-SQLITE');
    expect(effects('ORDER-SQLITE')).toBe(1);
  });

  it('a worker killed mid-onTrade: its claim expires and another process applies the event once', async () => {
    const r = await killedWorker(backend, 'ORDER-SQLITE-KILL', 3000);
    expect(r.firstOutcomes).toEqual({ in_progress: 1 });
    expect(effects('ORDER-SQLITE-KILL')).toBe(1);
  });
});
