// A Cloudflare Worker module on the notify path: bundled by esbuild with the workerd/worker
// conditions (the WebCrypto build), served by workerd itself (see workerd.mjs). The key comes
// from a text binding, as a Worker's secrets do. GET /last reports the last reply for the driver.
import { createNotifyHandler, createVerifier, memoryIdempotencyStore } from 'alipay-notify';
import { alipayNotify } from 'alipay-notify/web';

let notify;
const trades = [];
let last;
export default {
  async fetch(request, env) {
    notify ??= alipayNotify({
      handler: createNotifyHandler({
        verifier: createVerifier({ alipayPublicKey: env.ALIPAY_PUBLIC_KEY }),
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
    if (new URL(request.url).pathname === '/last') {
      return Response.json({ outcome: last?.outcome, code: last?.code ?? null, trades: trades.length, subject: trades.at(-1)?.subject ?? null });
    }
    return notify(request);
  },
};
