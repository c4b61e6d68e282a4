// The NestJS recipes of docs/frameworks.md over real HTTP on loopback (NestJS 11). Express
// platform: the controller that passes req.rawBody to the handler, and the Express adapter
// applied as a Nest middleware. Fastify platform: the Fastify plugin registered on Nest's
// Fastify instance. No adapter of ours is NestJS-specific.
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Controller, Module, Post, Req, RequestMethod, Res, type MiddlewareConsumer, type NestModule, type RawBodyRequest, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayNotify } from '../../src/adapters/express.js';
import { alipayNotify as fastifyNotify } from '../../src/adapters/fastify.js';
import { createNotifyHandler, createVerifier, memoryIdempotencyStore, type NotifyHandler, type NotifyReply, type TradeNotification } from '../../src/index.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, close, listen, NOTIFY_PATH, oneMiB, send, signed } from './support.js';

interface App {
  port: number;
  server: Server;
  trades: TradeNotification[];
  replies: NotifyReply[];
  close(): Promise<void>;
}

function notifyHandler(trades: TradeNotification[]): NotifyHandler {
  return createNotifyHandler({
    verifier: createVerifier({ alipayPublicKey: alipayKeys().publicKey, appId: '2021000000000001' }),
    idempotency: memoryIdempotencyStore(),
    findOrder: () => ({ totalAmount: '88.88' }),
    onTrade: (n) => {
      trades.push(n);
    },
  });
}

// Decorators are applied by hand, the way TypeScript compiles them with experimentalDecorators
// (this repository's tooling does not enable legacy decorators; docs.test.ts type-checks the
// recipe as written, with them).

/** The controller of the recipe, as written in docs/frameworks.md (plus a record of the reply). */
function recipeModule(handleNotify: NotifyHandler, replies: NotifyReply[]): Type {
  class AlipayController {
    async notify(req: RawBodyRequest<Request>, res: Response): Promise<void> {
      const reply = await handleNotify(req.rawBody ?? '');
      replies.push(reply);
      res.status(200).setHeader('Content-Type', 'text/plain').end(reply.body);
    }
  }
  const proto = AlipayController.prototype;
  Req()(proto, 'notify', 0); // @Req() req
  Res()(proto, 'notify', 1); // @Res() res
  Post('notify')(proto, 'notify', Object.getOwnPropertyDescriptor(proto, 'notify')!); // @Post('notify')
  Controller('alipay')(AlipayController); // @Controller('alipay')
  class AppModule {}
  Module({ controllers: [AlipayController] })(AppModule);
  return AppModule;
}

/** The alternative of the recipe: the Express adapter as a Nest middleware on the notify route. */
function middlewareModule(handleNotify: NotifyHandler, replies: NotifyReply[]): Type {
  class AppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer
        .apply(alipayNotify({ handler: handleNotify, onReply: (r) => replies.push(r) }))
        .forRoutes({ path: 'alipay/notify', method: RequestMethod.POST });
    }
  }
  Module({})(AppModule);
  return AppModule;
}

async function start(build: typeof recipeModule, rawBody: boolean): Promise<App> {
  const trades: TradeNotification[] = [];
  const replies: NotifyReply[] = [];
  const app = await NestFactory.create(build(notifyHandler(trades), replies), { rawBody, logger: false });
  await app.init();
  const server = app.getHttpServer() as Server;
  const port = await listen(server);
  return { port, server, trades, replies, close: () => close(server).then(() => app.close()) };
}

for (const [name, build] of [
  ['controller with req.rawBody', recipeModule],
  ['Express adapter as a Nest middleware', middlewareModule],
] as const) {
  describe(`NestJS, rawBody: true, ${name}`, () => {
    let app: App;
    beforeAll(async () => {
      app = await start(build, true);
    });
    afterAll(() => app.close());

    it('a genuine notification with Alipay headers gets 200, text/plain, "success"; its retry is a duplicate', async () => {
      const body = signed();
      const first = await send(app.port, body);
      expect([first.status, first.headers['content-type'], first.body.toString('latin1')]).toEqual([200, 'text/plain', 'success']);
      expect(app.replies.at(-1)).toMatchObject({ outcome: 'processed' });
      const again = await send(app.port, body);
      expect(again.body.toString('latin1')).toBe('success');
      expect(app.replies.at(-1)).toMatchObject({ outcome: 'duplicate' });
      expect(app.trades).toHaveLength(1);
    });

    it('a tampered notification gets "fail"', async () => {
      const r = await send(app.port, signed().replace('total_amount=88.88', 'total_amount=0.01'));
      expect([r.status, r.body.toString('latin1')]).toEqual([200, 'fail']);
      expect(app.replies.at(-1)).toMatchObject({ outcome: 'rejected', code: 'SIGNATURE_INVALID' });
    });

    it("a GBK notification verifies over the received bytes (Nest's body parser leaves rawBody exact)", async () => {
      const r = await send(app.port, signed({ subject: '中文商品 语雀', charset: 'gbk' }, 'gbk'));
      expect(r.body.toString('latin1')).toBe('success');
      expect(app.trades.at(-1)!.subject).toBe('中文商品 语雀');
    });

    it("a 1 MiB body is refused by Nest's body parser (100 KB limit) before our code runs", async () => {
      const before = app.replies.length;
      const r = await send(app.port, oneMiB());
      expect(r.status).toBe(413);
      expect(app.replies).toHaveLength(before);
    });
  });
}

describe('NestJS without rawBody: true', () => {
  let app: App;
  beforeAll(async () => {
    app = await start(recipeModule, false);
  });
  afterAll(() => app.close());

  it('req.rawBody is undefined: the recipe answers "fail" with BODY_EMPTY (as the docs warn)', async () => {
    const r = await send(app.port, signed());
    expect(r.body.toString('latin1')).toBe('fail');
    expect(app.replies.at(-1)).toMatchObject({ outcome: 'rejected', code: 'BODY_EMPTY' });
    expect(app.trades).toHaveLength(0);
  });
});

// The Fastify platform: Nest's FastifyAdapter registers @fastify/formbody at the root; the
// plugin's own context replaces the parsers, so the full adapter contract holds (1 MiB included).
adapterContract('NestJS 11 on Fastify (plugin on the Fastify instance)', {
  async start(handler, onReply) {
    class AppModule {}
    Module({})(AppModule);
    const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
    // @nestjs/platform-fastify pins its own fastify (5.11.x here, beside this repository's 5.12):
    // two copies of the types, one plugin API. A project with one fastify needs no cast.
    await app.getHttpAdapter().getInstance().register(fastifyNotify as never, { path: NOTIFY_PATH, handler, onReply });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app.getHttpServer() as Server;
  },
});
