// alipay-notify/koa over real HTTP on loopback, on Koa 3 and Koa 2 (the peer range).
import { createServer, type Server } from 'node:http';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import type Koa from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { alipayNotify } from '../../src/adapters/koa.js';
import type { NotifyReply } from '../../src/handler/types.js';
import type { VerifyResult } from '../../src/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, close, listen, NOTIFY_PATH, send, signed } from './support.js';

for (const [name, KoaApp] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2],
] as const) {
  adapterContract(name, {
    async start(handler, onReply) {
      const app = new KoaApp();
      const notify = alipayNotify({ handler, onReply });
      app.use(async (ctx, next) => (ctx.path === NOTIFY_PATH && ctx.method === 'POST' ? notify(ctx, next) : next()));
      return createServer(app.callback());
    },
  });

  async function serve(app: Koa): Promise<{ port: number; server: Server }> {
    const server = createServer(app.callback());
    return { port: await listen(server), server };
  }

  describe(`${name}: other modes`, () => {
    const verifier = { alipayPublicKey: alipayKeys().publicKey };
    const servers: Server[] = [];
    afterAll(() => Promise.all(servers.map(close)));

    it('verifier mode without onVerified: ctx.state.alipayNotify, then next()', async () => {
      const app = new KoaApp();
      const seen: VerifyResult[] = [];
      app.use(alipayNotify({ verifier }));
      app.use((ctx) => {
        seen.push(ctx.state.alipayNotify);
        ctx.set('Content-Type', 'text/plain');
        ctx.body = ctx.state.alipayNotify.ok ? 'success' : 'fail';
      });
      const { port, server } = await serve(app);
      servers.push(server);
      const r = await send(port, signed());
      expect([r.status, r.headers['content-type'], r.body.toString('latin1')]).toEqual([200, 'text/plain', 'success']);
      expect(seen[0]).toMatchObject({ ok: true });
    });

    it('an upstream parser that consumed the body (as koa-bodyparser does): fail, BODY_CONSUMED, one warning', async () => {
      const app = new KoaApp();
      const warnings: string[] = [];
      const replies: NotifyReply[] = [];
      app.use(async (ctx, next) => {
        // What koa-bodyparser does: read the stream, decode it as UTF-8, parse it.
        const chunks: Buffer[] = [];
        for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
        (ctx.request as { body?: unknown }).body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        await next();
      });
      app.use(alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: (m) => warnings.push(m) }));
      const { port, server } = await serve(app);
      servers.push(server);
      expect((await send(port, signed())).body.toString('latin1')).toBe('fail');
      expect((await send(port, signed())).body.toString('latin1')).toBe('fail');
      expect(replies[0]).toMatchObject({ outcome: 'error', code: 'BODY_CONSUMED' });
      expect((replies[0]!.error as { hint: string }).hint).toMatch(/mount alipayNotify before koa-bodyparser/);
      expect(warnings).toHaveLength(1);
    });

    it('onVerified that throws replies fail (ON_VERIFIED_FAILED), so that Alipay retries', async () => {
      const app = new KoaApp();
      const replies: NotifyReply[] = [];
      app.use(
        alipayNotify({
          verifier,
          onVerified: () => {
            throw new Error('database down');
          },
          onReply: (r) => replies.push(r),
        }),
      );
      const { port, server } = await serve(app);
      servers.push(server);
      expect((await send(port, signed())).body.toString('latin1')).toBe('fail');
      expect(replies[0]).toMatchObject({ outcome: 'error', code: 'ON_VERIFIED_FAILED' });
    });
  });
}
