// The behaviour every IdempotencyStore must have, run against memory and SQLite (npm test)
// and against PostgreSQL and Redis (npm run test:services).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNotifyHandler } from '../../src/index.js';
import type { IdempotencyStore } from '../../src/handler/idempotency/types.js';
import { ok, stubVerifier, trade } from './notifications.js';

export interface StoreFixture {
  /** The store under test. */
  store: IdempotencyStore;
  /** A second store instance on the same backend (another connection), or the same one. */
  other: IdempotencyStore;
  /** Lease length for the expiry tests. */
  ttlMs: number;
  /** Moves time past `ms` (a fake clock, or a real sleep for server-side clocks). */
  advance(ms: number): Promise<void>;
}

const key = (label: string): string => `${label}:${randomUUID()}:订单`;

export function storeConformance(name: string, setup: () => StoreFixture | Promise<StoreFixture>): void {
  describe(`${name}: IdempotencyStore conformance`, () => {
    it('claims once: started, then busy for everyone else, then done for good after complete', async () => {
      const { store, other, ttlMs, advance } = await setup();
      const k = key('claim');
      expect(await store.begin(k, { ttlMs, token: 'a' })).toBe('started');
      expect(await store.begin(k, { ttlMs, token: 'b' })).toBe('busy');
      expect(await other.begin(k, { ttlMs, token: 'c' })).toBe('busy');
      await store.complete(k, { token: 'a' });
      expect(await store.begin(k, { ttlMs, token: 'd' })).toBe('done');
      expect(await other.begin(k, { ttlMs, token: 'e' })).toBe('done');
      await advance(ttlMs * 2);
      expect(await other.begin(k, { ttlMs, token: 'f' })).toBe('done');
    });

    it('abort releases the claim so the next delivery starts', async () => {
      const { store, other, ttlMs } = await setup();
      const k = key('abort');
      expect(await store.begin(k, { ttlMs, token: 'a' })).toBe('started');
      await store.abort(k, { token: 'a' });
      expect(await other.begin(k, { ttlMs, token: 'b' })).toBe('started');
    });

    it('abort with another token is a no-op', async () => {
      const { store, other, ttlMs } = await setup();
      const k = key('foreign-abort');
      expect(await store.begin(k, { ttlMs, token: 'a' })).toBe('started');
      await other.abort(k, { token: 'not-a' });
      expect(await other.begin(k, { ttlMs, token: 'b' })).toBe('busy');
    });

    it('an expired claim (its worker died) is taken over, and the dead worker cannot free its successor', async () => {
      const { store, other, ttlMs, advance } = await setup();
      const k = key('expired');
      expect(await store.begin(k, { ttlMs, token: 'dead' })).toBe('started');
      expect(await other.begin(k, { ttlMs, token: 'early' })).toBe('busy');
      await advance(ttlMs + Math.max(50, ttlMs / 2));
      expect(await other.begin(k, { ttlMs, token: 'next' })).toBe('started');
      await store.abort(k, { token: 'dead' }); // the stale worker wakes up and fails
      expect(await store.begin(k, { ttlMs, token: 'third' })).toBe('busy');
      await other.complete(k, { token: 'next' });
      expect(await store.begin(k, { ttlMs, token: 'fourth' })).toBe('done');
    });

    it('complete by a worker whose lease expired still records done', async () => {
      const { store, other, ttlMs, advance } = await setup();
      const k = key('late-complete');
      expect(await store.begin(k, { ttlMs, token: 'slow' })).toBe('started');
      await advance(ttlMs + Math.max(50, ttlMs / 2));
      expect(await other.begin(k, { ttlMs, token: 'next' })).toBe('started');
      await store.complete(k, { token: 'slow' });
      await other.abort(k, { token: 'next' }); // must not undo done
      expect(await other.begin(k, { ttlMs, token: 'x' })).toBe('done');
    });

    it('without tokens, complete/abort act on the claim this instance began', async () => {
      const { store, other, ttlMs } = await setup();
      const k = key('no-token');
      expect(await store.begin(k, { ttlMs })).toBe('started');
      if (other !== store) {
        await other.abort(k); // never claimed through `other`: no-op
        expect(await other.begin(k, { ttlMs })).toBe('busy');
      }
      await store.abort(k);
      expect(await other.begin(k, { ttlMs })).toBe('started');
      await other.complete(k);
      expect(await store.begin(k, { ttlMs })).toBe('done');
    });

    it('keeps keys independent', async () => {
      const { store, ttlMs } = await setup();
      const a = key('a');
      const b = key('b');
      expect(await store.begin(a, { ttlMs, token: '1' })).toBe('started');
      expect(await store.begin(b, { ttlMs, token: '2' })).toBe('started');
      await store.complete(a, { token: '1' });
      expect(await store.begin(b, { ttlMs, token: '3' })).toBe('busy');
      expect(await store.begin(a, { ttlMs, token: '4' })).toBe('done');
    });

    it('rejects an invalid ttlMs', async () => {
      const { store } = await setup();
      for (const ttlMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.begin(key('ttl'), { ttlMs })).rejects.toThrow(TypeError);
      }
    });

    it('gives exactly one of 200 concurrent begins the claim', async () => {
      const { store, other, ttlMs } = await setup();
      const k = key('race');
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 ? other : store).begin(k, { ttlMs, token: `t${i}` })),
      );
      expect(results.filter((r) => r === 'started')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(199);
    });
  });
}

/** A store whose backend is down: every delivery replies fail (STORE_FAILED), nothing runs. */
export async function expectStoreDownFails(store: IdempotencyStore): Promise<void> {
  let effects = 0;
  const handle = createNotifyHandler({
    verifier: stubVerifier({ pay: ok(trade()) }),
    idempotency: store,
    findOrder: async () => ({ totalAmount: '88.88' }),
    onTrade: async () => {
      effects++;
    },
  });
  for (let i = 0; i < 5; i++) {
    const r = await handle('pay');
    expect(r.body).toBe('fail');
    expect(r.code).toBe('STORE_FAILED');
  }
  expect(effects).toBe(0);
}
