/**
 * alipay-notify/web: a `(request: Request) => Promise<Response>` for the Web-standard runtimes
 * and frameworks: Next.js route handlers, Hono, Cloudflare Workers, Deno, Bun.
 *
 * ```ts
 * // app/alipay/notify/route.ts (Next.js)
 * export const POST = alipayNotify({ handler });
 * ```
 *
 * It reads the body through the stream reader with a limit (never an unbounded
 * `arrayBuffer()`): a Content-Length over the limit is refused without reading, and past the
 * limit the stream is cancelled. The Response is `200`, `Content-Type: text/plain`, body
 * `success` or `fail`.
 */
import type { NotifyOrder } from '../handler/types.js';
import type { ReplyingOptions } from './core.js';
import { createWebHandler } from './web-handler.js';

export type { AdapterErrorCode } from './core.js';
export { notifyResponse } from './reply.js';

/**
 * `{ handler }` (a handler from createNotifyHandler, or its options) or
 * `{ verifier, onVerified }`; onVerified receives the Request.
 */
export type WebNotifyOptions<O extends NotifyOrder = NotifyOrder> = ReplyingOptions<Request, O>;

const CONSUMED_HINT =
  'The request body was already read (request.bodyUsed); pass the untouched Request, or a request.clone() made before reading it.';

/** The route handler. Never rejects: every problem is a `fail` reply (see onReply for the reason). */
export function alipayNotify<O extends NotifyOrder = NotifyOrder>(options: WebNotifyOptions<O>): (request: Request) => Promise<Response> {
  const handle = createWebHandler<Request, O>(options, 'alipay-notify/web', CONSUMED_HINT);
  return (request) => handle(request, request);
}
