// alipay-notify/fastify over real HTTP on loopback (Fastify 5).
import type { Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { alipayBodyParser, alipayNotify, alipayNotifyRoute } from '../../src/adapters/fastify.js';
import type { NotifyReply } from '../../src/handler/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, close, listen, NOTIFY_PATH, send, signed } from './support.js';

/** A Fastify app served by its own http.Server, listening through the shared helper. */
async function ready(app: FastifyInstance): Promise<Server> {
  await app.ready();
  return app.server;
}

adapterContract('Fastify 5', {
  async start(handler, onReply) {
    const app = Fastify();
    // A JSON API next to the notify route: the plugin's parser stays in its own context.
    app.post('/api/echo', async (request) => request.body);
    await app.register(alipayNotify, { path: NOTIFY_PATH, handler, onReply });
    return ready(app);
  },
});

describe('Fastify: the parser and the route helper', () => {
  const verifier = { alipayPublicKey: alipayKeys().publicKey };
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map(close)));

  async function serve(app: FastifyInstance): Promise<number> {
    const server = await ready(app);
    servers.push(server);
    return listen(server);
  }

  it('without the plugin, Fastify refuses Alipay\'s form body with 415: why the plugin exists', async () => {
    const app = Fastify();
    app.post(NOTIFY_PATH, async () => 'unreachable');
    const r = await send(await serve(app), signed());
    expect(r.status).toBe(415);
  });

  it('the plugin leaves the JSON parser of the rest of the app alone', async () => {
    const app = Fastify();
    app.post('/api/echo', async (request) => request.body);
    await app.register(alipayNotify, { path: NOTIFY_PATH, verifier, onVerified: () => {} });
    const res = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ a: 1 });
  });

  it('alipayBodyParser + alipayNotifyRoute in one context: the malformed Content-Type reaches the route as a Buffer', async () => {
    const app = Fastify();
    const replies: NotifyReply[] = [];
    await app.register(async (scope) => {
      await scope.register(alipayBodyParser, { maxBodyBytes: 8 * 1024 });
      scope.post(NOTIFY_PATH, alipayNotifyRoute({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r) }));
    });
    const port = await serve(app);
    const ok = await send(port, signed({ subject: '中文', charset: 'gbk' }, 'gbk'));
    expect([ok.status, ok.headers['content-type'], ok.body.toString('latin1')]).toEqual([200, 'text/plain', 'success']);
    const plain = await send(port, signed(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(plain.body.toString('latin1')).toBe('success');
    // Over its bodyLimit, Fastify's own 413 (Alipay treats anything but "success" as fail).
    const big = await send(port, `a=${'x'.repeat(9000)}`);
    expect(big.status).toBe(413);
  });

  it('alipayBodyParser refuses a maxBodyBytes that is not a positive integer', async () => {
    for (const maxBodyBytes of [0, -1, 1.5, Number.NaN, '1024' as unknown as number]) {
      const app = Fastify();
      await expect(app.register(alipayBodyParser, { maxBodyBytes })).rejects.toThrow(
        new TypeError('maxBodyBytes must be a positive integer.'),
      );
    }
  });

  it("parsedBody: 'verify' verifies the string or object another parser produced (UTF-8 only), warning once", async () => {
    for (const parse of [(body: string) => body, (body: string) => Object.fromEntries(new URLSearchParams(body))]) {
      const app = Fastify();
      const warnings: string[] = [];
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parse(body as string)));
      app.post(NOTIFY_PATH, alipayNotifyRoute({ verifier, onVerified: () => {}, parsedBody: 'verify', warn: (m) => warnings.push(m) }));
      const port = await serve(app);
      expect((await send(port, signed())).body.toString('latin1')).toBe('success');
      expect((await send(port, signed())).body.toString('latin1')).toBe('success');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^alipay-notify\/fastify: .*UTF-8 notifications only/);
    }
  });

  it('a body another parser already parsed is refused with a hint (parsedBody: reject)', async () => {
    const app = Fastify();
    const replies: NotifyReply[] = [];
    const warnings: string[] = [];
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    app.post(NOTIFY_PATH, alipayNotifyRoute({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: (m) => warnings.push(m) }));
    const r = await send(await serve(app), signed());
    expect(r.body.toString('latin1')).toBe('fail');
    expect(replies[0]).toMatchObject({ outcome: 'error', code: 'BODY_CONSUMED', error: { code: 'BODY_EMPTY' } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/alipay-notify\/fastify/);
  });
});
