// alipay-notify/hono over real HTTP on loopback: a Hono app served through the Node http bridge.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { alipayNotify } from '../../src/adapters/hono.js';
import type { NotifyReply } from '../../src/handler/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, ALIPAY_CONTENT_TYPE, NOTIFY_PATH, signed } from './support.js';
import { serveFetch } from './web-bridge.js';

adapterContract('Hono', {
  async start(handler, onReply) {
    const app = new Hono();
    app.post(NOTIFY_PATH, alipayNotify({ handler, onReply }));
    return serveFetch((request) => app.fetch(request));
  },
});

describe('Hono', () => {
  const headers = { 'content-type': ALIPAY_CONTENT_TYPE, 'user-agent': 'Mozilla/4.0' };

  it('onVerified receives the Hono context', async () => {
    const app = new Hono();
    const paths: string[] = [];
    app.post(NOTIFY_PATH, alipayNotify({ verifier: { alipayPublicKey: alipayKeys().publicKey }, onVerified: (_r, c) => void paths.push(c.req.raw.url) }));
    const r = await app.request(NOTIFY_PATH, { method: 'POST', headers, body: signed() });
    expect([r.status, r.headers.get('content-type'), await r.text()]).toEqual([200, 'text/plain', 'success']);
    expect(paths).toEqual(['http://localhost/alipay/notify']);
  });

  it('a body read before the handler (c.req.parseBody) is reported, not silently verified', async () => {
    const app = new Hono();
    const replies: NotifyReply[] = [];
    const notify = alipayNotify({ verifier: { alipayPublicKey: alipayKeys().publicKey }, onVerified: () => {}, onReply: (r) => replies.push(r), warn: () => {} });
    app.post(NOTIFY_PATH, async (c) => {
      await c.req.text();
      return notify(c);
    });
    const r = await app.request(NOTIFY_PATH, { method: 'POST', headers, body: signed() });
    expect(await r.text()).toBe('fail');
    expect(replies[0]).toMatchObject({ code: 'BODY_CONSUMED' });
  });
});
