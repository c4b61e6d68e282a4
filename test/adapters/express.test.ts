// alipay-notify/express over real HTTP on loopback, on Express 5 and Express 4 (the peer range).
import { createServer, type Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayNotify, sendNotifyReply } from '../../src/adapters/express.js';
import type { NotifyReply } from '../../src/handler/types.js';
import type { VerifyResult } from '../../src/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, close, listen, NOTIFY_PATH, send, signed, STANDARD_FORM_HEADERS } from './support.js';

/*
 * Which bodies an upstream express.urlencoded() consumes differs by major version: body-parser 2
 * (Express 5) parses Alipay's malformed Content-Type, body-parser 1 (Express 4) cannot parse it
 * and leaves the body alone. The "consumed" cases send a standard form Content-Type on Express 4.
 */
for (const [name, express, consumedBy] of [
  ['Express 5', express5, {}],
  ['Express 4', express4, STANDARD_FORM_HEADERS],
] as const) {
  const sendConsumed = (port: number, body: string) => send(port, body, { headers: consumedBy });

  adapterContract(name, {
    async start(handler, onReply) {
      const app = express();
      app.post(NOTIFY_PATH, alipayNotify({ handler, onReply }));
      return createServer(app);
    },
  });

  /** An app with its own middleware stack; `build` mounts the route. */
  async function serve(build: (app: Express) => void): Promise<{ port: number; server: Server }> {
    const app = express();
    build(app);
    const server = createServer(app);
    return { port: await listen(server), server };
  }

  describe(`${name}: body parsers before the middleware`, () => {
    const verifier = { alipayPublicKey: alipayKeys().publicKey };
    const servers: Server[] = [];
    afterAll(() => Promise.all(servers.map(close)));

    it('express.urlencoded() mounted first: a clear outcome and hint, and a warning logged once', async () => {
      const warnings: string[] = [];
      const replies: NotifyReply[] = [];
      const { port, server } = await serve((app) => {
        app.use(express.urlencoded());
        app.post(NOTIFY_PATH, alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: (m) => warnings.push(m) }));
      });
      servers.push(server);
      const first = await sendConsumed(port, signed());
      const second = await sendConsumed(port, signed());
      expect([first.status, first.headers['content-type'], first.body.toString('latin1')]).toEqual([200, 'text/plain', 'fail']);
      expect(second.body.toString('latin1')).toBe('fail');
      expect(replies[0]).toMatchObject({ outcome: 'error', code: 'BODY_CONSUMED' });
      const error = replies[0]!.error as { code: string; hint: string };
      expect(error.code).toBe('BODY_EMPTY');
      expect(error.hint).toMatch(/upstream body parser consumed the body; mount alipayNotify before express\.urlencoded\(\).*express\.raw\(\)/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('alipay-notify/express');
    });

    it("with Alipay's own Content-Type: Express 5's urlencoded() consumes the body, Express 4's leaves it to the middleware", async () => {
      const replies: NotifyReply[] = [];
      const { port, server } = await serve((app) => {
        app.use(express.urlencoded({ extended: false }));
        app.post(NOTIFY_PATH, alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: () => {} }));
      });
      servers.push(server);
      const r = await send(port, signed({ subject: '中文', charset: 'gbk' }, 'gbk'));
      if (express === express4) {
        expect([r.body.toString('latin1'), replies[0]?.outcome]).toEqual(['success', 'processed']);
      } else {
        expect([r.body.toString('latin1'), replies[0]?.code]).toEqual(['fail', 'BODY_CONSUMED']);
      }
    });

    it("parsedBody: 'verify' falls back to the parsed object: UTF-8 verifies, GBK cannot", async () => {
      const warnings: string[] = [];
      const { port, server } = await serve((app) => {
        app.use(express.urlencoded({ extended: false }));
        app.post(NOTIFY_PATH, alipayNotify({ verifier, onVerified: () => {}, parsedBody: 'verify', warn: (m) => warnings.push(m) }));
      });
      servers.push(server);
      expect((await sendConsumed(port, signed())).body.toString('latin1')).toBe('success');
      const gbk = signed({ subject: '中文', charset: 'gbk' }, 'gbk');
      expect((await sendConsumed(port, gbk)).body.toString('latin1')).toBe('fail');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/UTF-8 notifications only/);
    });

    it('express.raw() mounted first: the Buffer it produced is used as is (GBK verifies)', async () => {
      const { port, server } = await serve((app) => {
        app.post(NOTIFY_PATH, express.raw({ type: () => true }), alipayNotify({ verifier, onVerified: () => {} }));
      });
      servers.push(server);
      expect((await send(port, signed({ subject: '中文', charset: 'gbk' }, 'gbk'))).body.toString('latin1')).toBe('success');
    });

    it('a parser that kept the raw bytes in req.rawBody (NestJS rawBody: true): they are verified (GBK too)', async () => {
      const { port, server } = await serve((app) => {
        // What NestJS does with { rawBody: true }: body-parser's verify callback keeps the Buffer.
        app.use(express.urlencoded({ extended: false, verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));
        app.post(NOTIFY_PATH, alipayNotify({ verifier, onVerified: () => {} }));
      });
      servers.push(server);
      expect((await send(port, signed({ subject: '中文', charset: 'gbk' }, 'gbk'))).body.toString('latin1')).toBe('success');
    });

    it('express.json() mounted first does not touch a form body: the middleware still reads it', async () => {
      const { port, server } = await serve((app) => {
        app.use(express.json());
        app.post(NOTIFY_PATH, alipayNotify({ verifier, onVerified: () => {} }));
      });
      servers.push(server);
      expect((await send(port, signed())).body.toString('latin1')).toBe('success');
    });
  });

  describe(`${name}: verifier mode without onVerified`, () => {
    let port = 0;
    let server: Server;
    const seen: Array<VerifyResult | undefined> = [];
    beforeAll(async () => {
      ({ port, server } = await serve((app) => {
        app.post(NOTIFY_PATH, alipayNotify({ verifier: { alipayPublicKey: alipayKeys().publicKey, maxBodyBytes: 4096 } }), (req, res) => {
          seen.push(req.alipayNotify);
          sendNotifyReply(res, req.alipayNotify?.ok ? 'success' : 'fail');
        });
      }));
    });
    afterAll(() => close(server));

    it('stores the VerifyResult on req.alipayNotify and calls next()', async () => {
      const r = await send(port, signed());
      expect([r.status, r.headers['content-type'], r.body.toString('latin1')]).toEqual([200, 'text/plain', 'success']);
      expect(seen.at(-1)).toMatchObject({ ok: true, notify: { totalAmount: expect.anything() } });
      const bad = await send(port, 'sign=AAAA');
      expect(bad.body.toString('latin1')).toBe('fail');
      expect(seen.at(-1)).toMatchObject({ ok: false });
    });

    it("the verifier options' maxBodyBytes is the limit; over it the middleware answers itself", async () => {
      const count = seen.length;
      const r = await send(port, `a=${'x'.repeat(5000)}`, { awaitServerClose: true });
      expect([r.status, r.body.toString('latin1'), r.closedByServer]).toEqual([200, 'fail', true]);
      expect(seen.length).toBe(count); // next() was not called
    });
  });

  describe(`${name}: verifier mode without onVerified, after a body parser`, () => {
    it('hands next() a failed VerifyResult (BODY_EMPTY with the hint), warning once', async () => {
      const warnings: string[] = [];
      const seen: Array<VerifyResult | undefined> = [];
      const { port, server } = await serve((app) => {
        app.use(express.urlencoded());
        app.post(NOTIFY_PATH, alipayNotify({ verifier: { alipayPublicKey: alipayKeys().publicKey }, warn: (m) => warnings.push(m) }), (req, res) => {
          seen.push(req.alipayNotify);
          sendNotifyReply(res, req.alipayNotify?.ok ? 'success' : 'fail');
        });
      });
      try {
        expect((await sendConsumed(port, signed())).body.toString('latin1')).toBe('fail');
        expect((await sendConsumed(port, signed())).body.toString('latin1')).toBe('fail');
        expect(seen).toHaveLength(2);
        expect(seen[0]).toMatchObject({ ok: false, error: { code: 'BODY_EMPTY', hint: expect.stringMatching(/express\.urlencoded\(\)/) } });
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('alipay-notify/express');
      } finally {
        await close(server);
      }
    });
  });

  describe(`${name}: options`, () => {
    it('refuses both handler and verifier, or neither', () => {
      const handler = async (): Promise<NotifyReply> => ({ status: 200, contentType: 'text/plain', body: 'fail', outcome: 'rejected' });
      expect(() => alipayNotify({ handler, verifier: {} } as never)).toThrow(TypeError);
      expect(() => alipayNotify({} as never)).toThrow(/either handler/);
      expect(() => alipayNotify({ handler, maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
      expect(() => alipayNotify({ handler, parsedBody: 'maybe' as never })).toThrow(/parsedBody/);
    });
  });
}
