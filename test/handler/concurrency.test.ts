import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createNotifyHandler } from '../../src/index.js';
import { memoryIdempotencyStore } from '../../src/handler/idempotency/memory.js';
import { sqliteIdempotencyStore } from '../../src/handler/idempotency/sqlite.js';
import type { IdempotencyStore } from '../../src/handler/idempotency/types.js';
import type { NotifyHandler, NotifyReply } from '../../src/handler/types.js';
import { fakeClock, ok, sleep, stubVerifier, trade } from '../support/notifications.js';

const ORDER = { totalAmount: '88.88' };

/** Alipay-style redelivery: re-send every delivery that got `fail` until all got `success`. */
async function retryUntilSuccess(handle: NotifyHandler, body: string, failed: number, maxRounds = 50): Promise<number> {
  let pending = failed;
  let rounds = 0;
  while (pending > 0 && rounds < maxRounds) {
    rounds++;
    const replies = await Promise.all(Array.from({ length: pending }, () => handle(body)));
    pending = replies.filter((r) => r.body === 'fail').length;
    if (pending > 0) await sleep(5);
  }
  expect(pending).toBe(0);
  return rounds;
}

const stores: Array<[string, () => IdempotencyStore]> = [
  ['memory', () => memoryIdempotencyStore()],
  ['sqlite', () => sqliteIdempotencyStore(new Database(':memory:'))],
];

describe.each(stores)('1,000 concurrent deliveries of one event (%s store)', (_name, makeStore) => {
  it('runs onTrade exactly once; every reply is success or fail; retries of the fails all succeed', async () => {
    let effects = 0;
    const handle = createNotifyHandler({
      verifier: stubVerifier({ pay: ok(trade()) }),
      idempotency: makeStore(),
      findOrder: async () => {
        await sleep(1);
        return ORDER;
      },
      onTrade: async () => {
        await sleep(20);
        effects++;
      },
    });
    const replies: NotifyReply[] = await Promise.all(Array.from({ length: 1000 }, () => handle('pay')));
    expect(effects).toBe(1);
    for (const r of replies) expect(['success', 'fail']).toContain(r.body);
    const outcomes = new Map<string, number>();
    for (const r of replies) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    expect(outcomes.get('processed')).toBe(1);
    expect((outcomes.get('processed') ?? 0) + (outcomes.get('in_progress') ?? 0) + (outcomes.get('duplicate') ?? 0)).toBe(1000);
    const fails = replies.filter((r) => r.body === 'fail').length;
    expect(fails).toBeGreaterThan(0); // the race really happened
    await retryUntilSuccess(handle, 'pay', fails);
    expect(effects).toBe(1);
  });

  it('with onTrade failing on its first two attempts: still exactly one effect once the retries settle', async () => {
    let attempts = 0;
    let effects = 0;
    const handle = createNotifyHandler({
      verifier: stubVerifier({ pay: ok(trade()) }),
      idempotency: makeStore(),
      findOrder: async () => ORDER,
      onTrade: async () => {
        await sleep(2);
        if (attempts++ < 2) throw new Error('transient');
        effects++;
      },
    });
    const replies = await Promise.all(Array.from({ length: 1000 }, () => handle('pay')));
    expect(replies.every((r) => r.body === 'success' || r.body === 'fail')).toBe(true);
    await retryUntilSuccess(handle, 'pay', replies.filter((r) => r.body === 'fail').length);
    expect(effects).toBe(1);
    expect(attempts).toBe(3);
  });
});

describe('a worker that died mid-onTrade', () => {
  it('holds the claim until ttlMs, then the retry takes it over and processes it once', async () => {
    const clock = fakeClock();
    const store = memoryIdempotencyStore({ now: clock.now });
    const n = trade();
    let effects = 0;
    const handle = createNotifyHandler({
      verifier: stubVerifier({ pay: ok(n) }),
      idempotency: store,
      claimTtlMs: 60_000,
      findOrder: async () => ORDER,
      onTrade: async () => {
        effects++;
      },
    });
    // The dead worker: it claimed the event and never completed or aborted.
    expect(await store.begin(n.idempotencyKey, { ttlMs: 60_000, token: 'killed-worker' })).toBe('started');
    expect((await handle('pay')).outcome).toBe('in_progress');
    clock.advance(59_999);
    expect((await handle('pay')).outcome).toBe('in_progress');
    clock.advance(2);
    const r = await handle('pay');
    expect(r.body).toBe('success');
    expect(r.outcome).toBe('processed');
    expect((await handle('pay')).outcome).toBe('duplicate');
    expect(effects).toBe(1);
  });

  it('a hung worker that wakes up and fails after the takeover does not release its successor', async () => {
    const clock = fakeClock();
    const store = memoryIdempotencyStore({ now: clock.now });
    let releaseFirst!: (e: Error) => void;
    let releaseSecond!: () => void;
    let calls = 0;
    let effects = 0;
    const handle = createNotifyHandler({
      verifier: stubVerifier({ pay: ok(trade()) }),
      idempotency: store,
      claimTtlMs: 1000,
      findOrder: async () => ORDER,
      onTrade: () => {
        calls++;
        if (calls === 1) return new Promise<void>((_, reject) => (releaseFirst = reject));
        return new Promise<void>((resolve) => {
          releaseSecond = () => {
            effects++;
            resolve();
          };
        });
      },
    });
    const first = handle('pay');
    await sleep(1);
    clock.advance(1001); // the first worker's lease expired
    const second = handle('pay');
    await sleep(1);
    expect(calls).toBe(2);
    releaseFirst(new Error('woke up and failed'));
    expect((await first).outcome).toBe('error');
    // The first worker's abort used its own token: the second still holds the claim.
    expect((await handle('pay')).outcome).toBe('in_progress');
    releaseSecond();
    expect((await second).outcome).toBe('processed');
    expect((await handle('pay')).outcome).toBe('duplicate');
    expect(effects).toBe(1);
  });
});
