// One OS process of the multi-process tests: it builds a handler over a shared store and
// delivers the same notification, like one server behind a load balancer. Run with
// `node --import tsx worker.ts '<WorkerConfig JSON>'` (test/services/multiprocess.ts does).
import Database from 'better-sqlite3';
import pg from 'pg';
import { createClient } from 'redis';
import { createNotifyHandler } from '../../src/index.js';
import { pgIdempotencyStore } from '../../src/handler/idempotency/postgres.js';
import { redisIdempotencyStore } from '../../src/handler/idempotency/redis.js';
import { sqliteIdempotencyStore } from '../../src/handler/idempotency/sqlite.js';
import type { IdempotencyStore } from '../../src/handler/idempotency/types.js';
import type { NotifyReply } from '../../src/handler/types.js';
import { ok, sleep, stubVerifier, trade } from '../support/notifications.js';
import type { WorkerConfig, WorkerMessage } from './env.js';

const send = (m: WorkerMessage): void => {
  process.send!(m);
};

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as WorkerConfig;
  const b = cfg.backend;
  let store: IdempotencyStore;
  let effect: () => Promise<void>;
  let close: () => Promise<void>;

  if (b.kind === 'pg') {
    const pool = new pg.Pool({ connectionString: b.url, max: 8 });
    store = pgIdempotencyStore(pool, { table: b.table });
    effect = async () => {
      await pool.query(`INSERT INTO ${b.effects} (event, pid) VALUES ($1, $2)`, [cfg.event, process.pid]);
    };
    close = () => pool.end();
  } else if (b.kind === 'redis') {
    const client = createClient({ url: b.url });
    await client.connect();
    store = redisIdempotencyStore(client, { keyPrefix: b.prefix });
    effect = async () => {
      await client.incr(`${b.prefix}effects:${cfg.event}`);
    };
    close = async () => {
      await client.close();
    };
  } else {
    const db = new Database(b.file, { timeout: 10_000 });
    db.pragma('journal_mode = WAL');
    store = sqliteIdempotencyStore(db);
    const insert = db.prepare('INSERT INTO effects (event, pid) VALUES (?, ?)');
    effect = async () => {
      insert.run(cfg.event, process.pid);
    };
    close = async () => {
      db.close();
    };
  }

  const handle = createNotifyHandler({
    verifier: stubVerifier({ pay: ok(trade({ outTradeNo: cfg.event })) }),
    idempotency: store,
    claimTtlMs: cfg.claimTtlMs,
    findOrder: async () => ({ totalAmount: '88.88' }),
    onTrade: async () => {
      if (cfg.mode === 'hang') {
        send({ type: 'in-onTrade' });
        await new Promise(() => {}); // killed here
      }
      await sleep(cfg.onTradeMs);
      await effect();
    },
  });

  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ type: 'ready' });
  });

  const first: NotifyReply[] = await Promise.all(Array.from({ length: cfg.deliveries }, () => handle('pay')));
  const firstOutcomes: Record<string, number> = {};
  const firstBodies: Record<string, number> = {};
  let otherBodies = 0;
  for (const r of first) {
    firstOutcomes[r.outcome] = (firstOutcomes[r.outcome] ?? 0) + 1;
    firstBodies[r.body] = (firstBodies[r.body] ?? 0) + 1;
    if (r.body !== 'success' && r.body !== 'fail') otherBodies++;
  }
  // Alipay redelivers every `fail`; here faster than its 4m, 10m, ... schedule.
  let pending = firstBodies['fail'] ?? 0;
  let rounds = 0;
  while (pending > 0 && rounds < 400) {
    rounds++;
    await sleep(cfg.retryDelayMs);
    const replies = await Promise.all(Array.from({ length: pending }, () => handle('pay')));
    pending = replies.filter((r) => r.body !== 'success').length;
  }
  send({ type: 'result', pid: process.pid, firstOutcomes, firstBodies, otherBodies, rounds, converged: pending === 0 });
  await close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
