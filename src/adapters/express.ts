/**
 * alipay-notify/express: one middleware for the notify_url route of Express 4 or 5.
 *
 * ```ts
 * app.post('/alipay/notify', alipayNotify({ handler: createNotifyHandler({ verifier, findOrder, onTrade }) }));
 * ```
 *
 * It reads the raw body itself (mount it before `express.urlencoded()`, or after `express.raw()`),
 * refuses bodies over the limit without reading them, and writes exactly `200 text/plain
 * success|fail`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NotifyOrder } from '../handler/types.js';
import type { VerifyResult } from '../types.js';
import { resolveOptions, type AdapterBaseOptions, type HandlerModeOptions, type VerifierModeOptions } from './core.js';
import { parsedBodyPolicy, runNodeFlow, type ParsedBodyPolicy } from './node-flow.js';
import { closeAfterReply, writeNodeReply } from './reply.js';

export type { AdapterErrorCode } from './core.js';
export type { ParsedBodyPolicy } from './node-flow.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by alipayNotify({ verifier }) (without onVerified) before it calls next(). */
      alipayNotify?: VerifyResult;
    }
  }
}

/** The request as the middleware sees it: an Express request is one. */
export type ExpressRequestLike = IncomingMessage & {
  body?: unknown;
  /** The raw bytes, when an upstream parser kept them (NestJS `rawBody: true`, a body-parser `verify` callback). */
  rawBody?: unknown;
  alipayNotify?: VerifyResult;
};

export type ExpressNotifyOptions<O extends NotifyOrder = NotifyOrder> = AdapterBaseOptions<ExpressRequestLike> & {
  /** When an upstream parser consumed the body. Default 'reject'. See ParsedBodyPolicy. */
  parsedBody?: ParsedBodyPolicy;
} & (HandlerModeOptions<O> | VerifierModeOptions<ExpressRequestLike>);

export type ExpressNotifyMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => Promise<void>;

const ADAPTER = 'alipay-notify/express';
const CONSUMED_HINT =
  'An upstream body parser consumed the body; mount alipayNotify before express.urlencoded() (and any other body parser), or use express.raw() for this route (NestJS: NestFactory.create(AppModule, { rawBody: true })).';

/**
 * The middleware. Modes:
 * - `{ handler }`: runs the handler (or createNotifyHandler on the options you pass) and replies.
 * - `{ verifier, onVerified }`: verifies, awaits onVerified for a verified notification, replies
 *   `success` (`fail` when verification fails or onVerified throws).
 * - `{ verifier }`: verifies, stores the VerifyResult on `req.alipayNotify` and calls `next()`;
 *   your route replies, e.g. with `sendNotifyReply(res, 'success')`.
 *   A body over the limit, or one that cannot be read, is still answered `fail` by the middleware.
 *
 * The body: `req.body` when it is a Buffer (express.raw ran first), else `req.rawBody` when it
 * is one (NestJS with `rawBody: true`), else the request stream, read up to the limit. Never calls next(error) except when a custom verifier throws in
 * pass-through mode.
 */
export function alipayNotify<O extends NotifyOrder = NotifyOrder>(options: ExpressNotifyOptions<O>): ExpressNotifyMiddleware {
  const resolved = resolveOptions<ExpressRequestLike>(options as ExpressNotifyOptions, ADAPTER, false);
  const policy = parsedBodyPolicy(options.parsedBody);

  return async function alipayNotifyMiddleware(req, res, next) {
    let flow;
    try {
      flow = await runNodeFlow(resolved, req, req.body, req.rawBody, req, policy, { adapter: ADAPTER, consumedHint: CONSUMED_HINT });
    } catch (error) {
      next(error); // only a custom verifier that throws, in pass-through mode
      return;
    }
    if ('result' in flow) {
      req.alipayNotify = flow.result;
      next();
      return;
    }
    await resolved.report(flow.reply, req);
    if (flow.close) closeAfterReply(req, res);
    writeNodeReply(res, flow.reply.body, { close: flow.close });
  };
}

/** Writes exactly `200 text/plain success|fail` on a response (for your route in pass-through mode). */
export { writeNodeReply as sendNotifyReply } from './reply.js';
