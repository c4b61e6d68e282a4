/*
 * The Web-standard flow (Request in, Response out), shared by alipay-notify/web and
 * alipay-notify/hono. No node: imports.
 */
import type { NotifyReply } from '../handler/types.js';
import type { NotifyOrder } from '../handler/types.js';
import { bodyConsumed, consumedReply, readFailureReply, resolveOptions, type ReplyingOptions } from './core.js';
import { checkDeclaredLength, readWebBody } from './read-body.js';
import { notifyResponse } from './reply.js';

export function createWebHandler<Ctx, O extends NotifyOrder>(
  options: ReplyingOptions<Ctx, O>,
  adapter: string,
  consumedHint: string,
): (request: Request, ctx: Ctx) => Promise<Response> {
  const resolved = resolveOptions<Ctx>(options as ReplyingOptions<Ctx>, adapter, true);
  return async (request, ctx) => {
    let reply: NotifyReply;
    if (request.bodyUsed) {
      reply = consumedReply(bodyConsumed(resolved, adapter, consumedHint));
    } else {
      // Content-Length over the limit: refuse without touching the body (the runtime discards it).
      const read =
        checkDeclaredLength(request.headers.get('content-length'), resolved.limit) ??
        (await readWebBody(request.body, resolved.limit));
      reply = read.ok ? await resolved.run(read.body, ctx) : readFailureReply(read);
    }
    await resolved.report(reply, ctx);
    return notifyResponse(reply.body);
  };
}
