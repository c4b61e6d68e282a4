// The Express wiring of the docs, run for real on loopback: raw body whatever Alipay's
// malformed Content-Type says, and a reply of exactly `success`/`fail` as text/plain.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyHandler } from '../../src/index.js';
import type { NotifyBody, VerifyResult } from '../../src/types.js';
import { failed, ok, trade } from '../support/notifications.js';

const ALIPAY_CONTENT_TYPE = 'application/x-www-form-urlencoded; text/html; charset=UTF-8';
const seen: NotifyBody[] = [];
let effects = 0;

const handleNotify = createNotifyHandler({
  verifier: {
    async verify(body: NotifyBody): Promise<VerifyResult> {
      seen.push(body);
      const text = Buffer.from(body as Uint8Array).toString('utf8');
      return text.startsWith('app_id=') ? ok(trade()) : failed('BODY_MALFORMED');
    },
  },
  findOrder: async () => ({ totalAmount: '88.88' }),
  onTrade: async () => {
    effects++;
  },
});

const app = express();
app.post('/alipay/notify', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
  const reply = await handleNotify(req.body ?? '');
  res.status(reply.status).type(reply.contentType).send(reply.body);
});

let server: ReturnType<typeof app.listen>;
let url = '';
beforeAll(async () => {
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alipay/notify`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': ALIPAY_CONTENT_TYPE, 'user-agent': 'Mozilla/4.0' }, body });

describe('Express route from the docs', () => {
  it('hands the raw bytes to the verifier and replies exactly "success" as text/plain, once per event', async () => {
    const body = 'app_id=2021000000000001&subject=%E8%AF%AD%E9%9B%80+500&sign=a%2Bb%3D';
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await first.text()).toBe('success');
    const again = await post(body);
    expect(await again.text()).toBe('success');
    expect(effects).toBe(1);
    expect(seen[0]).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(seen[0] as Uint8Array).toString('latin1')).toBe(body); // untouched: %2B, + and all
  });

  it('replies "fail" with status 200 to a body that does not verify', async () => {
    const r = await post('forged=1');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('fail');
  });
});
