// Bun and Deno: the web adapter behind the runtime's own HTTP server (Bun.serve / Deno.serve),
// called with the runtime's own fetch, Alipay's headers, a GBK body, a retry, a forgery and an
// oversized body. Run with `bun serve.js` or `deno run -A serve.js` (EXPECT_BUILD: node | web).
import assert from 'node:assert/strict';
import { createNotifyHandler, createVerifier, memoryIdempotencyStore } from 'alipay-notify';
import { generateTestKeys, signNotify, tradeNotifyParams } from 'alipay-notify/testing';
import { alipayNotify } from 'alipay-notify/web';

const runtime = globalThis.Bun ? `bun ${globalThis.Bun.version}` : globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : undefined;
if (!runtime) throw new Error('run this with bun or deno');

const keys = generateTestKeys();
const trades = [];
const replies = [];
const handler = createNotifyHandler({
  verifier: createVerifier({ alipayPublicKey: keys.publicKey }),
  idempotency: memoryIdempotencyStore(),
  findOrder: async () => ({ totalAmount: '88.88' }),
  onTrade: async (notification) => {
    trades.push(notification);
  },
});
const fetchHandler = alipayNotify({ handler, onReply: (reply) => replies.push(reply) });

let port;
let stop;
if (globalThis.Bun) {
  const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: fetchHandler });
  port = server.port;
  stop = () => server.stop(true);
} else {
  const server = globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, fetchHandler);
  port = server.addr.port;
  stop = () => server.shutdown();
}

async function post(body) {
  const response = await fetch(`http://127.0.0.1:${port}/alipay/notify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8', 'User-Agent': 'Mozilla/4.0' },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), reply: replies.at(-1) };
}

try {
  const { body } = signNotify(tradeNotifyParams({ total_amount: '88.88', subject: '中文商品' }), { privateKey: keys.privateKey, charset: 'gbk' });
  const first = await post(body);
  assert.deepEqual([first.status, first.type?.split(';')[0], first.text, first.reply.outcome], [200, 'text/plain', 'success', 'processed']);
  assert.equal(trades[0].subject, '中文商品', 'the GBK subject is decoded from the received bytes');
  const retry = await post(body);
  assert.deepEqual([retry.text, retry.reply.outcome], ['success', 'duplicate']);
  const forged = await post(body.replace('total_amount=88.88', 'total_amount=0.01'));
  assert.deepEqual([forged.status, forged.text, forged.reply.code], [200, 'fail', 'SIGNATURE_INVALID']);
  const large = await post(new Uint8Array(1024 * 1024).fill(0x78));
  assert.deepEqual([large.status, large.text, large.reply.code], [200, 'fail', 'BODY_TOO_LARGE']);
  assert.equal(trades.length, 1, 'processed once');
} finally {
  await stop();
}

let selected = 'node';
try {
  createVerifier({ alipayPublicCert: 'not a certificate' });
} catch (error) {
  if (/needs node:crypto/.test(error.message)) selected = 'web';
}
assert.equal(selected, process.env.EXPECT_BUILD, `the ${process.env.EXPECT_BUILD} build is selected`);
console.log(`${runtime}: ${selected} build behind the runtime's own server: success, duplicate, fail on forgery and on 1 MiB`);
