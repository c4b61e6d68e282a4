import Decimal from 'decimal.js';
import { describe, expect, it, vi } from 'vitest';
import { NOTIFY_ERROR_CODES, type NotifyErrorCode } from '../../src/errors.js';
import { createNotifyHandler } from '../../src/index.js';
import { memoryIdempotencyStore } from '../../src/handler/idempotency/memory.js';
import type { IdempotencyStore } from '../../src/handler/idempotency/types.js';
import type { NotifyAnomaly, NotifyHandlerOptions, NotifyOrder, NotifyReply } from '../../src/handler/types.js';
import type { TradeNotification } from '../../src/model/types.js';
import type { VerifyResult } from '../../src/types.js';
import { APP_ID, SELLER_ID, failed, generic, ok, stubVerifier, trade } from '../support/notifications.js';

const ORDER: NotifyOrder = { totalAmount: '88.88', appId: APP_ID, sellerId: SELLER_ID };

/** A handler over prepared verify results, with spies on every hook. */
function setup(
  results: Record<string, VerifyResult>,
  overrides: Partial<NotifyHandlerOptions> = {},
  order: NotifyOrder | null = ORDER,
) {
  const anomalies: NotifyAnomaly[] = [];
  const findOrder = vi.fn(async (_n: TradeNotification) => order);
  const onTrade = vi.fn(async (_n: TradeNotification, _o: NotifyOrder) => {});
  const store = memoryIdempotencyStore();
  const handle = createNotifyHandler({
    verifier: stubVerifier(results),
    findOrder,
    onTrade,
    idempotency: store,
    onAnomaly: (a) => {
      anomalies.push(a);
    },
    ...overrides,
  });
  return { handle, findOrder, onTrade, anomalies, store };
}

function expectReply(r: NotifyReply, body: 'success' | 'fail', outcome: NotifyReply['outcome'], code?: string): void {
  expect(r.status).toBe(200);
  expect(r.contentType).toBe('text/plain');
  expect(r.body).toBe(body);
  expect(r.outcome).toBe(outcome);
  if (code !== undefined) expect(r.code).toBe(code);
}

describe('decision table', () => {
  it('processed: a valid payment runs onTrade once with the notification and the order -> success', async () => {
    const n = trade();
    const { handle, onTrade, findOrder, anomalies } = setup({ pay: ok(n) });
    const r = await handle('pay');
    expectReply(r, 'success', 'processed');
    expect(r.code).toBeUndefined();
    expect(r.notify).toBe(n);
    expect(findOrder).toHaveBeenCalledWith(n);
    expect(onTrade).toHaveBeenCalledTimes(1);
    expect(onTrade).toHaveBeenCalledWith(n, ORDER);
    expect(anomalies).toEqual([]);
  });

  it('duplicate: a redelivery of a processed event -> success without running anything', async () => {
    const { handle, onTrade, findOrder } = setup({ pay: ok(trade()) });
    await handle('pay');
    const r = await handle('pay');
    expectReply(r, 'success', 'duplicate');
    expect(onTrade).toHaveBeenCalledTimes(1);
    expect(findOrder).toHaveBeenCalledTimes(1);
  });

  it('in_progress: another worker holds the event -> fail, so Alipay retries later', async () => {
    const n = trade();
    const { handle, onTrade, store } = setup({ pay: ok(n) });
    expect(await store.begin(n.idempotencyKey, { ttlMs: 60_000, token: 'other-worker' })).toBe('started');
    expectReply(await handle('pay'), 'fail', 'in_progress');
    expect(onTrade).not.toHaveBeenCalled();
    await store.complete(n.idempotencyKey, { token: 'other-worker' });
    expectReply(await handle('pay'), 'success', 'duplicate');
  });

  // Every verification failure except the app/seller checks, which the handler turns into anomalies.
  const rejectedCodes: NotifyErrorCode[] = NOTIFY_ERROR_CODES.filter((c) => c !== 'APP_ID_MISMATCH' && c !== 'SELLER_ID_MISMATCH');
  it.each(rejectedCodes)('rejected: verification fails with %s -> fail, no hook runs', async (code) => {
    const { handle, onTrade, findOrder, anomalies } = setup({ bad: failed(code) });
    const r = await handle('bad');
    expectReply(r, 'fail', 'rejected', code);
    expect((r.error as { code?: string }).code).toBe(code);
    expect(r.notify).toBeUndefined();
    expect(findOrder).not.toHaveBeenCalled();
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies).toEqual([]);
  });

  it.each(['APP_ID_MISMATCH', 'SELLER_ID_MISMATCH'] as const)(
    'anomaly: the verifier reports %s (genuine, not ours) -> success and onAnomaly',
    async (code) => {
      const { handle, onTrade, anomalies } = setup({ other: failed(code) });
      const r = await handle('other');
      expectReply(r, 'success', 'anomaly', code);
      expect(onTrade).not.toHaveBeenCalled();
      expect(anomalies).toHaveLength(1);
      expect(anomalies[0]!.code).toBe(code);
      expect((anomalies[0]!.error as { code?: string }).code).toBe(code);
    },
  );

  it.each([null, undefined])('anomaly: findOrder returns %s -> success, ORDER_NOT_FOUND', async (missing) => {
    const n = trade();
    const { handle, onTrade, anomalies } = setup({ pay: ok(n) }, { findOrder: async () => missing });
    const r = await handle('pay');
    expectReply(r, 'success', 'anomaly', 'ORDER_NOT_FOUND');
    expect(r.notify).toBe(n);
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies.map((a) => a.code)).toEqual(['ORDER_NOT_FOUND']);
    expect(anomalies[0]!.notify).toBe(n);
    expect(anomalies[0]!.message).toMatch(/order/);
  });

  it.each([
    ['88.88', '88.89'],
    ['88.88', 88.89],
    ['88.88', new Decimal('88.87')],
    ['0.10', 0.01],
    ['88.88', 8888], // cents are not yuan
  ])('anomaly: total_amount %s vs order %o -> AMOUNT_MISMATCH', async (paid, expected) => {
    const { handle, onTrade, anomalies } = setup({ pay: ok(trade({ totalAmount: paid })) }, {}, { totalAmount: expected });
    expectReply(await handle('pay'), 'success', 'anomaly', 'AMOUNT_MISMATCH');
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies.map((a) => a.code)).toEqual(['AMOUNT_MISMATCH']);
  });

  it.each([
    ['0.1', '0.10'],
    ['0.10', 0.1],
    ['88.88', 88.88],
    ['88.88', '88.88'],
    ['88.88', new Decimal('88.880')],
    ['20', '20.00'],
  ])('processed: total_amount %s equals order %o exactly', async (paid, expected) => {
    const { handle, onTrade } = setup({ pay: ok(trade({ totalAmount: paid })) }, {}, { totalAmount: expected });
    expectReply(await handle('pay'), 'success', 'processed');
    expect(onTrade).toHaveBeenCalledTimes(1);
  });

  it('anomaly: a trade notification without total_amount -> AMOUNT_MISSING', async () => {
    const { handle, onTrade, anomalies } = setup({ pay: ok(trade({ totalAmount: null })) });
    expectReply(await handle('pay'), 'success', 'anomaly', 'AMOUNT_MISSING');
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies.map((a) => a.code)).toEqual(['AMOUNT_MISSING']);
  });

  it("anomaly: app_id is not the order's -> APP_ID_MISMATCH; auth_app_id counts for ISV setups", async () => {
    const foreign = setup({ pay: ok(trade({ appId: '2021999999999999' })) });
    expectReply(await foreign.handle('pay'), 'success', 'anomaly', 'APP_ID_MISMATCH');
    expect(foreign.onTrade).not.toHaveBeenCalled();
    expect(foreign.anomalies.map((a) => a.code)).toEqual(['APP_ID_MISMATCH']);

    const isv = setup({ pay: ok(trade({ appId: '2021999999999999', authAppId: APP_ID })) });
    expectReply(await isv.handle('pay'), 'success', 'processed');

    const unchecked = setup({ pay: ok(trade({ appId: 'any' })) }, {}, { totalAmount: '88.88' });
    expectReply(await unchecked.handle('pay'), 'success', 'processed');
  });

  it("anomaly: seller_id differs from the order's, or is missing -> SELLER_ID_MISMATCH", async () => {
    const other = setup({ pay: ok(trade({ sellerId: '2088999999999999' })) });
    expectReply(await other.handle('pay'), 'success', 'anomaly', 'SELLER_ID_MISMATCH');
    expect(other.onTrade).not.toHaveBeenCalled();
    const missing = setup({ pay: ok(trade({ sellerId: null })) });
    expectReply(await missing.handle('pay'), 'success', 'anomaly', 'SELLER_ID_MISMATCH');
    const unchecked = setup({ pay: ok(trade({ sellerId: null })) }, {}, { totalAmount: '88.88' });
    expectReply(await unchecked.handle('pay'), 'success', 'processed');
  });

  it('gives each anomaly a distinct code', async () => {
    const codes = new Set<string>();
    const cases: Array<[VerifyResult, NotifyOrder | null]> = [
      [ok(trade()), null],
      [ok(trade({ totalAmount: '88.89' })), ORDER],
      [ok(trade({ appId: 'x' })), ORDER],
      [ok(trade({ sellerId: 'y' })), ORDER],
    ];
    for (const [result, order] of cases) {
      const { handle, anomalies } = setup({ b: result }, {}, order);
      const r = await handle('b');
      expect(r.body).toBe('success');
      expect(anomalies).toHaveLength(1);
      codes.add(anomalies[0]!.code);
    }
    expect([...codes].sort()).toEqual(['AMOUNT_MISMATCH', 'APP_ID_MISMATCH', 'ORDER_NOT_FOUND', 'SELLER_ID_MISMATCH']);
  });

  it('an anomaly does not mark the event done: a redelivery after the data is fixed is processed', async () => {
    let order: NotifyOrder | null = null;
    const { handle, onTrade } = setup({ pay: ok(trade()) }, { findOrder: async () => order });
    expectReply(await handle('pay'), 'success', 'anomaly', 'ORDER_NOT_FOUND');
    order = ORDER;
    expectReply(await handle('pay'), 'success', 'processed');
    expect(onTrade).toHaveBeenCalledTimes(1);
  });

  it('error: findOrder throws -> fail, claim released, the retry runs', async () => {
    let calls = 0;
    const { handle, onTrade } = setup(
      { pay: ok(trade()) },
      {
        findOrder: async () => {
          if (calls++ === 0) throw new Error('db timeout');
          return ORDER;
        },
      },
    );
    const r = await handle('pay');
    expectReply(r, 'fail', 'error', 'FIND_ORDER_FAILED');
    expect((r.error as Error).message).toBe('db timeout');
    expect(onTrade).not.toHaveBeenCalled();
    expectReply(await handle('pay'), 'success', 'processed');
    expect(onTrade).toHaveBeenCalledTimes(1);
  });

  it('error: a synchronous throw from findOrder is caught the same way', async () => {
    const { handle } = setup(
      { pay: ok(trade()) },
      {
        findOrder: (() => {
          throw new Error('sync');
        }) as NotifyHandlerOptions['findOrder'],
      },
    );
    expectReply(await handle('pay'), 'fail', 'error', 'FIND_ORDER_FAILED');
  });

  it('error: onTrade throws once -> fail; the redelivery -> success; the effect is applied once', async () => {
    let effects = 0;
    let attempts = 0;
    const { handle } = setup(
      { pay: ok(trade()) },
      {
        onTrade: async () => {
          if (attempts++ === 0) throw new Error('ledger unavailable');
          effects++;
        },
      },
    );
    const first = await handle('pay');
    expectReply(first, 'fail', 'error', 'ON_TRADE_FAILED');
    expect((first.error as Error).message).toBe('ledger unavailable');
    expectReply(await handle('pay'), 'success', 'processed');
    expectReply(await handle('pay'), 'success', 'duplicate');
    expect(effects).toBe(1);
    expect(attempts).toBe(2);
  });

  it('error: findOrder returns an order with an invalid amount -> fail (your data, fixable), never success', async () => {
    for (const totalAmount of [Number.NaN, Number.POSITIVE_INFINITY, 'abc', '', '1e2', new Decimal('NaN')]) {
      const { handle, onTrade } = setup({ pay: ok(trade()) }, {}, { totalAmount });
      expectReply(await handle('pay'), 'fail', 'error', 'ORDER_AMOUNT_INVALID');
      expect(onTrade).not.toHaveBeenCalled();
    }
  });

  it('error: the verifier throws (it must not) -> fail', async () => {
    const handle = createNotifyHandler({
      verifier: {
        verify: async () => {
          throw new Error('boom');
        },
      },
      findOrder: async () => ORDER,
      onTrade: async () => {},
    });
    expectReply(await handle('x'), 'fail', 'error', 'VERIFY_THREW');
  });
});

describe('idempotency store failures', () => {
  const failing = (parts: Partial<Record<keyof IdempotencyStore, boolean>>, inner = memoryIdempotencyStore()) => {
    const calls = { begin: 0, complete: 0, abort: 0 };
    const store: IdempotencyStore = {
      async begin(key, opts) {
        calls.begin++;
        if (parts.begin) throw new Error('ECONNREFUSED');
        return inner.begin(key, opts);
      },
      async complete(key, opts) {
        calls.complete++;
        if (parts.complete) throw new Error('ECONNRESET');
        return inner.complete(key, opts);
      },
      async abort(key, opts) {
        calls.abort++;
        if (parts.abort) throw new Error('ECONNRESET');
        return inner.abort(key, opts);
      },
    };
    return { store, calls };
  };

  it('the store is down -> fail, never success, and onTrade does not run', async () => {
    const { store } = failing({ begin: true, complete: true, abort: true });
    const { handle, onTrade } = setup({ pay: ok(trade()), bad: failed('SIGNATURE_INVALID') }, { idempotency: store });
    for (let i = 0; i < 20; i++) {
      const r = await handle('pay');
      expectReply(r, 'fail', 'error', 'STORE_FAILED');
      expect((r.error as Error).message).toBe('ECONNREFUSED');
    }
    expect(onTrade).not.toHaveBeenCalled();
  });

  it('a store answering something unknown -> fail', async () => {
    const store = {
      begin: async () => 'maybe',
      complete: async () => {},
      abort: async () => {},
    } as unknown as IdempotencyStore;
    const { handle, onTrade } = setup({ pay: ok(trade()) }, { idempotency: store });
    expectReply(await handle('pay'), 'fail', 'error', 'STORE_FAILED');
    expect(onTrade).not.toHaveBeenCalled();
  });

  it('complete fails after onTrade succeeded -> success (a fail would apply the effect twice) and onAnomaly COMPLETE_FAILED', async () => {
    const { store } = failing({ complete: true });
    const { handle, onTrade, anomalies } = setup({ pay: ok(trade()) }, { idempotency: store });
    const r = await handle('pay');
    expectReply(r, 'success', 'processed', 'COMPLETE_FAILED');
    expect(onTrade).toHaveBeenCalledTimes(1);
    expect(anomalies.map((a) => a.code)).toEqual(['COMPLETE_FAILED']);
    expect((anomalies[0]!.error as Error).message).toBe('ECONNRESET');
  });

  it('abort fails after onTrade threw -> still fail; the claim expires and a later delivery runs it', async () => {
    let now = 1_000_000;
    const inner = memoryIdempotencyStore({ now: () => now });
    const { store, calls } = failing({ abort: true }, inner);
    let attempts = 0;
    const { handle } = setup(
      { pay: ok(trade()) },
      {
        idempotency: store,
        claimTtlMs: 1000,
        onTrade: async () => {
          if (attempts++ === 0) throw new Error('first attempt fails');
        },
      },
    );
    expectReply(await handle('pay'), 'fail', 'error', 'ON_TRADE_FAILED');
    expect(calls.abort).toBe(1);
    expectReply(await handle('pay'), 'fail', 'in_progress');
    now += 1001;
    expectReply(await handle('pay'), 'success', 'processed');
    expect(attempts).toBe(2);
  });
});

describe('onAnomaly', () => {
  it('a throwing or rejecting onAnomaly does not change the reply or crash', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      for (const onAnomaly of [
        () => {
          throw new Error('sync observer bug');
        },
        async () => {
          throw new Error('async observer bug');
        },
      ]) {
        const { handle } = setup({ pay: ok(trade()), foreign: failed('APP_ID_MISMATCH') }, { onAnomaly }, null);
        expectReply(await handle('pay'), 'success', 'anomaly', 'ORDER_NOT_FOUND');
        expectReply(await handle('foreign'), 'success', 'anomaly', 'APP_ID_MISMATCH');
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('is optional', async () => {
    const handle = createNotifyHandler({
      verifier: stubVerifier({ pay: ok(trade()) }),
      findOrder: async () => null,
      onTrade: async () => {},
    });
    expectReply(await handle('pay'), 'success', 'anomaly', 'ORDER_NOT_FOUND');
  });
});

describe('notifications that are not trade_status_sync', () => {
  it('without onNotify -> success, anomaly UNSUPPORTED_NOTIFY_TYPE; no trade hook runs', async () => {
    const n = generic();
    const { handle, findOrder, onTrade, anomalies } = setup({ sm: ok(n) });
    const r = await handle('sm');
    expectReply(r, 'success', 'anomaly', 'UNSUPPORTED_NOTIFY_TYPE');
    expect(r.notify).toBe(n);
    expect(findOrder).not.toHaveBeenCalled();
    expect(onTrade).not.toHaveBeenCalled();
    expect(anomalies.map((a) => a.code)).toEqual(['UNSUPPORTED_NOTIFY_TYPE']);
  });

  it('with onNotify -> run once per event, with the same idempotency and error handling', async () => {
    let attempts = 0;
    const onNotify = vi.fn(async () => {
      if (attempts++ === 0) throw new Error('not yet');
    });
    const { handle, onTrade } = setup({ sm: ok(generic()) }, { onNotify });
    expectReply(await handle('sm'), 'fail', 'error', 'ON_NOTIFY_FAILED');
    expectReply(await handle('sm'), 'success', 'processed');
    expectReply(await handle('sm'), 'success', 'duplicate');
    expect(onNotify).toHaveBeenCalledTimes(2);
    expect(onTrade).not.toHaveBeenCalled();
  });
});

describe('one order, several events', () => {
  it('a payment, two partial refunds and a close are four processed events; their redeliveries are duplicates', async () => {
    const events = {
      pay: ok(trade({ tradeStatus: 'TRADE_SUCCESS' })),
      refund1: ok(trade({ tradeStatus: 'TRADE_SUCCESS', outBizNo: 'R-1', refundFee: '10.00' })),
      refund2: ok(trade({ tradeStatus: 'TRADE_SUCCESS', outBizNo: 'R-2', refundFee: '30.00' })),
      close: ok(trade({ tradeStatus: 'TRADE_CLOSED', outBizNo: 'R-3', refundFee: '88.88', kind: 'close' })),
    };
    const seen: string[] = [];
    const { handle } = setup(events, {
      onTrade: async (n) => {
        seen.push(`${n.kind}:${n.tradeStatus}:${n.outBizNo ?? ''}`);
      },
    });
    const names = Object.keys(events);
    for (const name of names) expectReply(await handle(name), 'success', 'processed');
    for (const name of names) expectReply(await handle(name), 'success', 'duplicate');
    expect(seen).toEqual([
      'payment:TRADE_SUCCESS:',
      'refund:TRADE_SUCCESS:R-1',
      'refund:TRADE_SUCCESS:R-2',
      'close:TRADE_CLOSED:R-3',
    ]);
    expect(new Set(Object.values(events).map((e) => (e.ok ? e.notify.idempotencyKey : ''))).size).toBe(4);
  });
});

describe('options', () => {
  const base = { verifier: stubVerifier({}), findOrder: async () => ORDER, onTrade: async () => {} };

  it('rejects invalid options at creation, with a TypeError', () => {
    const bad: unknown[] = [
      undefined,
      null,
      { ...base, findOrder: undefined },
      { ...base, onTrade: 'x' },
      { ...base, onAnomaly: 1 },
      { ...base, onNotify: {} },
      { ...base, verifier: null },
      { ...base, idempotency: { begin: async () => 'started' } },
      { ...base, claimTtlMs: 0 },
      { ...base, claimTtlMs: Number.NaN },
      { ...base, claimTtlMs: -5 },
    ];
    for (const options of bad) {
      expect(() => createNotifyHandler(options as NotifyHandlerOptions)).toThrow(TypeError);
    }
  });

  it('passes claimTtlMs and a fresh token to the store for each delivery', async () => {
    const begin = vi.fn(async () => 'started' as const);
    const complete = vi.fn(async () => {});
    const handle = createNotifyHandler({
      ...base,
      verifier: stubVerifier({ pay: ok(trade()) }),
      idempotency: { begin, complete, abort: async () => {} },
      claimTtlMs: 1234,
    });
    await handle('pay');
    await handle('pay');
    const [k1, o1] = begin.mock.calls[0] as unknown as [string, { ttlMs: number; token: string }];
    const [, o2] = begin.mock.calls[1] as unknown as [string, { ttlMs: number; token: string }];
    expect(k1).toBe(trade().idempotencyKey);
    expect(o1.ttlMs).toBe(1234);
    expect(o1.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(o2.token).not.toBe(o1.token);
    expect(complete).toHaveBeenCalledWith(k1, { token: o1.token });
  });

  it('defaults to a memory store and a 5 minute claim', async () => {
    const handle = createNotifyHandler({ ...base, verifier: stubVerifier({ pay: ok(trade()) }) });
    expectReply(await handle('pay'), 'success', 'processed');
    expectReply(await handle('pay'), 'success', 'duplicate');
    const begin = vi.fn(async () => 'started' as const);
    const withStore = createNotifyHandler({
      ...base,
      verifier: stubVerifier({ pay: ok(trade()) }),
      idempotency: { begin, complete: async () => {}, abort: async () => {} },
    });
    await withStore('pay');
    const [, options] = begin.mock.calls[0] as unknown as [string, { ttlMs: number }];
    expect(options.ttlMs).toBe(5 * 60 * 1000);
  });
});
