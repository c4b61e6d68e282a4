// alipay-notify/koa over real HTTP on loopback, on Koa 3 and Koa 2 (the peer range).
import { createServer, type Server } from 'node:http';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { afterAll, describe, expect, it } from 'vitest';
import { alipayNotify } from '../../src/adapters/koa.js';
import type { NotifyReply } from '../../src/handler/types.js';
import type { VerifyResult } from '../../src/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, close, listen, NOTIFY_PATH, send, signed, STANDARD_FORM_HEADERS } from './support.js';

/*
 * As with Express: Koa 3's request.is() (type-is 2) accepts Alipay's malformed Content-Type, so
 * koa-bodyparser consumes the body; Koa 2's (type-is 1) does not, and koa-bodyparser leaves the
 * body alone. The "consumed" case sends a standard form Content-Type on Koa 2.
 */
for (const [name, KoaApp, consumedBy] of [
  ['Koa 3', Koa3, {}],
  ['Koa 2', Koa2, STANDARD_FORM_HEADERS],
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

    it('koa-bodyparser mounted first consumes the body (Alipay\'s Content-Type included): fail, BODY_CONSUMED, one warning', async () => {
      const app = new KoaApp();
      const warnings: string[] = [];
      const replies: NotifyReply[] = [];
      app.use(bodyParser());
      app.use(alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: (m) => warnings.push(m) }));
      const { port, server } = await serve(app);
      servers.push(server);
      expect((await send(port, signed(), { headers: consumedBy })).body.toString('latin1')).toBe('fail');
      expect((await send(port, signed(), { headers: consumedBy })).body.toString('latin1')).toBe('fail');
      expect(replies[0]).toMatchObject({ outcome: 'error', code: 'BODY_CONSUMED' });
      expect((replies[0]!.error as { hint: string }).hint).toMatch(/mount alipayNotify before koa-bodyparser/);
      expect(warnings).toHaveLength(1);
    });

    it("with Alipay's own Content-Type: Koa 3's koa-bodyparser consumes the body, Koa 2's leaves it to the adapter", async () => {
      const app = new KoaApp();
      const replies: NotifyReply[] = [];
      app.use(bodyParser());
      app.use(alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: () => {} }));
      const { port, server } = await serve(app);
      servers.push(server);
      const r = await send(port, signed({ subject: '中文', charset: 'gbk' }, 'gbk'));
      if (KoaApp === Koa2) {
        expect([r.body.toString('latin1'), replies[0]?.outcome]).toEqual(['success', 'processed']);
      } else {
        expect([r.body.toString('latin1'), replies[0]?.code]).toEqual(['fail', 'BODY_CONSUMED']);
      }
    });

    it("parsedBody: 'verify' verifies what koa-bodyparser parsed: UTF-8 verifies, GBK cannot, one warning", async () => {
      const app = new KoaApp();
      const warnings: string[] = [];
      app.use(bodyParser());
      app.use(alipayNotify({ verifier, onVerified: () => {}, parsedBody: 'verify', warn: (m) => warnings.push(m) }));
      const { port, server } = await serve(app);
      servers.push(server);
      expect((await send(port, signed(), { headers: consumedBy })).body.toString('latin1')).toBe('success');
      expect((await send(port, signed(), { headers: consumedBy })).body.toString('latin1')).toBe('success');
      const gbk = signed({ subject: '中文', charset: 'gbk' }, 'gbk');
      expect((await send(port, gbk, { headers: consumedBy })).body.toString('latin1')).toBe('fail');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^alipay-notify\/koa: .*UTF-8 notifications only/);
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
