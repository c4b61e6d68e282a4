// The same Worker written with Hono (its most common home): alipay-notify/hono on the notify
// route, bundled for the workerd condition and served by workerd (see workerd.mjs).
import { Hono } from 'hono';
import { createNotifyHandler, createVerifier, memoryIdempotencyStore } from 'alipay-notify';
import { alipayNotify } from 'alipay-notify/hono';

let notify;
const trades = [];
let last;
const app = new Hono();
app.get('/last', (c) => c.json({ outcome: last?.outcome, code: last?.code ?? null, trades: trades.length, subject: trades.at(-1)?.subject ?? null }));
app.post('/alipay/notify', (c) => {
  notify ??= alipayNotify({
    handler: createNotifyHandler({
      verifier: createVerifier({ alipayPublicKey: c.env.ALIPAY_PUBLIC_KEY }),
      idempotency: memoryIdempotencyStore(),
      findOrder: async () => ({ totalAmount: '88.88' }),
      onTrade: async (n) => {
        trades.push(n);
      },
    }),
    onReply: (r) => {
      last = r;
    },
  });
  return notify(c);
});
export default app;
