/**
 * alipay-notify/koa: one middleware for the notify_url route of Koa 2 or 3.
 *
 * ```ts
 * router.post('/alipay/notify', alipayNotify({ handler }));
 * ```
 *
 * It reads the raw body from `ctx.req` itself (mount it before koa-bodyparser / @koa/bodyparser,
 * or skip those for this path), refuses bodies over the limit without reading them, and sets
 * exactly `200 text/plain success|fail`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NotifyOrder } from '../handler/types.js';
import type { AdapterBaseOptions, HandlerModeOptions, VerifierModeOptions } from './core.js';
import { createNodeFlow, type ParsedBodyPolicy } from './node-flow.js';
import { closeAfterReply, REPLY_CONTENT_TYPE } from './reply.js';

export type { AdapterErrorCode } from './core.js';
export type { ParsedBodyPolicy } from './node-flow.js';

/** The parts of a Koa context the middleware uses: a Koa context is one. */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  request: object;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  state: any;
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

export type KoaNotifyOptions<O extends NotifyOrder = NotifyOrder> = AdapterBaseOptions<KoaContextLike> & {
  /** When an upstream parser consumed the body (koa-bodyparser). Default 'reject'. See ParsedBodyPolicy. */
  parsedBody?: ParsedBodyPolicy;
} & (HandlerModeOptions<O> | VerifierModeOptions<KoaContextLike>);

export type KoaNotifyMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>;

const ADAPTER = 'alipay-notify/koa';
const CONSUMED_HINT =
  'An upstream body parser consumed the body; mount alipayNotify before koa-bodyparser / @koa/bodyparser, or exclude the notify path from it.';

/**
 * The middleware. Modes as in alipay-notify/express: `{ handler }` and `{ verifier, onVerified }`
 * reply; `{ verifier }` alone stores the VerifyResult on `ctx.state.alipayNotify` and awaits
 * `next()` (a body over the limit is still answered `fail` here).
 */
export function alipayNotify<O extends NotifyOrder = NotifyOrder>(options: KoaNotifyOptions<O>): KoaNotifyMiddleware {
  const flow = createNodeFlow<KoaContextLike>(options as KoaNotifyOptions, { adapter: ADAPTER, consumedHint: CONSUMED_HINT });

  return async function alipayNotifyMiddleware(ctx, next) {
    const parsed = (ctx.request as { body?: unknown }).body;
    const raw = (ctx.request as { rawBody?: unknown }).rawBody; // used only when it is bytes
    const done = await flow.run(ctx.req, parsed, raw, ctx);
    if ('result' in done) {
      ctx.state.alipayNotify = done.result;
      await next();
      return;
    }
    ctx.status = 200;
    // Set before the body: Koa then keeps it as is (no `; charset=utf-8`) and sets Content-Length.
    ctx.set('Content-Type', REPLY_CONTENT_TYPE);
    if (done.close) {
      ctx.set('Connection', 'close');
      closeAfterReply(ctx.req, ctx.res);
    }
    ctx.body = done.reply.body;
  };
}
