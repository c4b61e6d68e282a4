// What both Workers share: the handler, built once per isolate from the key binding (a Worker
// only sees its bindings inside a request), and a report of the last reply for workerd.mjs.
import { createNotifyHandler, createVerifier, memoryIdempotencyStore } from 'alipay-notify';

const trades = [];
let handler;
let last;

/** `{ handler, onReply }` for alipay-notify/web or alipay-notify/hono. */
export function notifyOptions(env) {
  handler ??= createNotifyHandler({
    verifier: createVerifier({ alipayPublicKey: env.ALIPAY_PUBLIC_KEY }),
    idempotency: memoryIdempotencyStore(),
    findOrder: async () => ({ totalAmount: '88.88' }),
    onTrade: async (n) => {
      trades.push(n);
    },
  });
  return {
    handler,
    onReply: (r) => {
      last = r;
    },
  };
}

/** GET /last: the last reply and what onTrade saw. */
export function lastReport() {
  return { outcome: last?.outcome, code: last?.code ?? null, trades: trades.length, subject: trades.at(-1)?.subject ?? null };
}
