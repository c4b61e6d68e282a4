// Runs worker.bundle.js (worker.js bundled for workerd) in workerd, Cloudflare's Workers runtime:
// writes a config with the public key as a text binding, starts `workerd serve`, and posts
// notifications signed with alipay-notify/testing over real HTTP: UTF-8 (success, then
// duplicate), GBK, a forgery, 1 MiB. Usage: node workerd.mjs <workerd binary> [bundle, default
// worker.bundle.js]
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTestKeys, signNotify, tradeNotifyParams } from 'alipay-notify/testing';

const here = dirname(fileURLToPath(import.meta.url));
const workerd = process.argv[2];
const bundle = process.argv[3] ?? 'worker.bundle.js';
const keys = generateTestKeys();
const spki = keys.publicKey.replace(/-----[A-Z ]+-----|\s/g, '');

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
writeFileSync(join(here, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .notifyWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const notifyWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${bundle}") ],
  compatibilityDate = "2026-11-01",
  bindings = [ (name = "ALIPAY_PUBLIC_KEY", text = "${spki}") ],
);
`);

const server = spawn(workerd, ['serve', join(here, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/last`);
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const post = async (body) => {
    const r = await fetch(`${base}/alipay/notify`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8' }, body });
    const text = await r.text();
    const last = await (await fetch(`${base}/last`)).json();
    return { status: r.status, type: r.headers.get('content-type'), text, ...last };
  };
  const utf8 = signNotify(tradeNotifyParams({ total_amount: '88.88', subject: '中文商品' }), { privateKey: keys.privateKey }).body;
  const gbk = signNotify(tradeNotifyParams({ total_amount: '88.88', subject: '中文商品' }), { privateKey: keys.privateKey, charset: 'gbk' }).body;
  const first = await post(utf8);
  assert.deepEqual([first.status, first.type, first.text, first.outcome, first.subject], [200, 'text/plain', 'success', 'processed', '中文商品']);
  const again = await post(utf8);
  assert.deepEqual([again.text, again.outcome], ['success', 'duplicate']);
  const g = await post(gbk);
  assert.deepEqual([g.text, g.outcome, g.subject], ['success', 'processed', '中文商品'], 'GBK verifies on the received bytes and decodes');
  const forged = await post(utf8.replace('total_amount=88.88', 'total_amount=0.01'));
  assert.deepEqual([forged.text, forged.code], ['fail', 'SIGNATURE_INVALID']);
  const large = await post(new Uint8Array(1024 * 1024).fill(0x78));
  assert.deepEqual([large.text, large.code], ['fail', 'BODY_TOO_LARGE']);
  console.log(`workerd, ${bundle}: WebCrypto build in a Worker: success, duplicate, GBK (subject ${JSON.stringify(g.subject)}), fail on forgery and on 1 MiB`);
} finally {
  server.kill();
}
