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
import type { AdapterBaseOptions, HandlerModeOptions, VerifierModeOptions } from './core.js';
import { createNodeFlow, type ParsedBodyPolicy } from './node-flow.js';
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
  const flow = createNodeFlow<ExpressRequestLike>(options as ExpressNotifyOptions, { adapter: ADAPTER, consumedHint: CONSUMED_HINT });

  return async function alipayNotifyMiddleware(req, res, next) {
    let done;
    try {
      done = await flow.run(req, req.body, req.rawBody, req);
    } catch (error) {
      next(error); // only a custom verifier that throws, in pass-through mode
      return;
    }
    if ('result' in done) {
      req.alipayNotify = done.result;
      next();
      return;
    }
    if (done.close) closeAfterReply(req, res);
    writeNodeReply(res, done.reply.body, { close: done.close });
  };
}

/** Writes exactly `200 text/plain success|fail` on a response (for your route in pass-through mode). */
export { writeNodeReply as sendNotifyReply } from './reply.js';
