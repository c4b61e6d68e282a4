import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisIdempotencyStore } from '../../src/handler/idempotency/redis.js';
import { sleep } from '../support/notifications.js';
import { expectStoreDownFails, storeConformance } from '../support/store-conformance.js';
import { REDIS_URL, type Backend } from './env.js';
import { killedWorker, raceProcesses } from './multiprocess.js';

const run = randomUUID().slice(0, 8);
const PREFIX = `alipay-notify-test:${run}:`;
const a = createClient({ url: REDIS_URL });
const b = createClient({ url: REDIS_URL });
const backend: Backend = { kind: 'redis', url: REDIS_URL, prefix: PREFIX };

beforeAll(async () => {
  await a.connect();
  await b.connect();
});

afterAll(async () => {
  const keys = await a.keys(`${PREFIX}*`);
  if (keys.length > 0) await a.del(keys);
  await a.close();
  await b.close();
});

storeConformance('redisIdempotencyStore (two connections)', () => ({
  store: redisIdempotencyStore(a, { keyPrefix: PREFIX }),
  other: redisIdempotencyStore(b, { keyPrefix: PREFIX }),
  ttlMs: 300,
  advance: (ms) => sleep(ms),
}));

describe('redisIdempotencyStore', () => {
  it('claims with a PX lease, and keeps done with the long retention TTL', async () => {
    const store = redisIdempotencyStore(a, { keyPrefix: PREFIX, doneTtlMs: 86_400_000 });
    const k = `ttl:${randomUUID()}`;
    expect(await store.begin(k, { ttlMs: 5000, token: 't' })).toBe('started');
    const claimTtl = await a.pTTL(PREFIX + k);
    expect(claimTtl).toBeGreaterThan(4000);
    expect(claimTtl).toBeLessThanOrEqual(5000);
    expect(await a.get(PREFIX + k)).toBe('claimed:t');
    await store.complete(k, { token: 't' });
    expect(await a.get(PREFIX + k)).toBe('done');
    expect(await a.pTTL(PREFIX + k)).toBeGreaterThan(86_000_000);
  });

  it('works through an ioredis-style adapter (call(command, ...args))', async () => {
    const calls: string[] = [];
    const ioredisLike = {
      call: async (command: string, ...args: string[]) => {
        calls.push(command);
        return a.sendCommand([command, ...args]);
      },
    };
    const store = redisIdempotencyStore(
      { sendCommand: (args) => ioredisLike.call(args[0]!, ...args.slice(1)) },
      { keyPrefix: PREFIX },
    );
    const k = `io:${randomUUID()}`;
    expect(await store.begin(k, { ttlMs: 5000 })).toBe('started');
    await store.abort(k);
    expect(await store.begin(k, { ttlMs: 5000 })).toBe('started');
    expect(calls).toEqual(['SET', 'EVAL', 'SET']);
  });

  it('Redis is down -> fail, never success', async () => {
    const down = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
    down.on('error', () => {});
    await expectStoreDownFails(redisIdempotencyStore(down, { keyPrefix: PREFIX }));
  });
});

describe('4 OS processes sharing Redis', () => {
  it('1,000 concurrent deliveries of one event: one effect, every reply success or fail, retries converge', async () => {
    const event = `ORDER-REDIS-${run}`;
    await raceProcesses(backend, event);
    expect(await a.get(`${PREFIX}effects:${event}`)).toBe('1');
  });

  it('a worker killed mid-onTrade: its claim expires and another process applies the event once', async () => {
    const event = `ORDER-REDIS-KILL-${run}`;
    const r = await killedWorker(backend, event, 3000);
    expect(r.firstOutcomes).toEqual({ in_progress: 1 });
    expect(await a.get(`${PREFIX}effects:${event}`)).toBe('1');
  });
});
