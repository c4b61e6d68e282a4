/**
 * alipay-notify/hono: alipay-notify/web for a Hono route, on `c.req.raw`.
 *
 * ```ts
 * app.post('/alipay/notify', alipayNotify({ handler }));
 * ```
 */
import type { NotifyOrder } from '../handler/types.js';
import type { ReplyingOptions } from './core.js';
import { createWebHandler } from './web-handler.js';

export type { AdapterErrorCode } from './core.js';

/** The part of a Hono Context the handler uses: a Hono Context is one. */
export interface HonoContextLike {
  req: { raw: Request };
}

/** `{ handler }` or `{ verifier, onVerified }`; onVerified and onReply receive the Hono context. */
export type HonoNotifyOptions<C extends HonoContextLike = HonoContextLike, O extends NotifyOrder = NotifyOrder> = ReplyingOptions<C, O>;

const CONSUMED_HINT =
  'The request body was already read (c.req.raw.bodyUsed): do not read the body (c.req.parseBody(), c.req.text(), a validator) before alipayNotify on this route.';

/** The Hono handler. Never rejects: every problem is a `fail` reply. */
export function alipayNotify<C extends HonoContextLike = HonoContextLike, O extends NotifyOrder = NotifyOrder>(
  options: HonoNotifyOptions<C, O>,
): (c: C) => Promise<Response> {
  const handle = createWebHandler<C, O>(options, 'alipay-notify/hono', CONSUMED_HINT);
  return (c) => handle(c.req.raw, c);
}
