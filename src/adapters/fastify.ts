/**
 * alipay-notify/fastify: the notify_url route for Fastify 5.
 *
 * ```ts
 * await app.register(alipayNotify, { path: '/alipay/notify', handler });
 * ```
 *
 * Fastify has no parser for `application/x-www-form-urlencoded` (it answers 415), and a form
 * parser plugin would decode the body. The `alipayNotify` plugin registers, in its own
 * encapsulated context, a catch-all content-type parser that keeps the raw Buffer
 * (`parseAs: 'buffer'`, `bodyLimit` = the limit), its POST route, and an error handler that
 * answers `fail` (not Fastify's 413 JSON) to a body over the limit.
 *
 * For your own route (hooks, constraints...), `alipayBodyParser` and `alipayNotifyRoute`
 * are the two halves.
 */
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { NotifyReply } from '../handler/types.js';
import type { NotifyBody } from '../types.js';
import { DEFAULT_MAX_BODY_BYTES } from 'alipay-notify';
import { checkLimit, consumedReply, readFailureReply, resolveOptions, type Replying, type Resolved, type ReplyingOptions } from './core.js';
import { parsedBodyPolicy, takeParsedBody, type ParsedBodyPolicy } from './node-flow.js';
import { checkDeclaredLength, tooLarge, type BodyReadResult } from './read-body.js';
import { closeAfterReply, REPLY_CONTENT_TYPE } from './reply.js';

export type { AdapterErrorCode } from './core.js';
export type { ParsedBodyPolicy } from './node-flow.js';

/** `{ handler }` or `{ verifier, onVerified }`; onVerified and onReply receive the FastifyRequest. */
export type FastifyNotifyOptions = ReplyingOptions<FastifyRequest> & {
  /**
   * When the body reached the route already parsed (another content-type parser, such as
   * @fastify/formbody, took it): 'reject' (default) or 'verify' (UTF-8 notifications only).
   */
  parsedBody?: ParsedBodyPolicy;
};

export type FastifyNotifyPluginOptions = FastifyNotifyOptions & {
  /** The route path, e.g. '/alipay/notify' (below the register prefix, if any). */
  path: string;
};

const ADAPTER = 'alipay-notify/fastify';
const CONSUMED_HINT =
  'Another content-type parser (e.g. @fastify/formbody) parsed the body; register alipayNotify (or alipayBodyParser) for this route so that it receives the raw Buffer.';
const TEXTS = { adapter: ADAPTER, consumedHint: CONSUMED_HINT };

/**
 * Alipay's Content-Type as sent: `application/x-www-form-urlencoded; text/html; charset=UTF-8`.
 * Fastify 5 matches parsers on the media type, so the one registration covers it, the
 * well-formed variants and the bare media type.
 */
const FORM_TYPE = 'application/x-www-form-urlencoded';

function keepBuffer(_request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: Buffer) => void): void {
  done(null, body);
}

async function send(resolved: Resolved<FastifyRequest>, request: FastifyRequest, res: FastifyReply, r: NotifyReply): Promise<void> {
  await resolved.report(r, request);
  // An explicit text/plain with a string body: Fastify sends it as is (no charset added).
  await res.code(200).header('content-type', REPLY_CONTENT_TYPE).send(r.body);
}

function routeFor(resolved: Replying<FastifyRequest>, policy: ParsedBodyPolicy) {
  return async function alipayNotifyRoute(request: FastifyRequest, res: FastifyReply): Promise<void> {
    const body: unknown = request.body;
    let input: NotifyBody;
    if (body instanceof Uint8Array) {
      input = body;
    } else if (body === undefined || body === null) {
      input = new Uint8Array(0); // no body at all: the verifier says BODY_EMPTY
    } else {
      // Another content-type parser (e.g. @fastify/formbody) took the body.
      const taken = takeParsedBody(resolved, body, policy, TEXTS);
      if ('error' in taken) {
        await send(resolved, request, res, consumedReply(taken.error));
        return;
      }
      input = taken.body;
    }
    await send(resolved, request, res, await resolved.run(input, request));
  };
}

/**
 * The route handler alone, for a route whose body is the raw Buffer (register alipayBodyParser
 * in the same context). Replies exactly `200 text/plain success|fail`.
 */
export function alipayNotifyRoute(options: FastifyNotifyOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return routeFor(resolveOptions<FastifyRequest>(options, ADAPTER, true), parsedBodyPolicy(options.parsedBody));
}

export interface AlipayBodyParserOptions {
  /** bodyLimit of the parser, in bytes. Default 64 KiB (the verifier's default maxBodyBytes). */
  maxBodyBytes?: number;
}

/**
 * Registers a parser for `application/x-www-form-urlencoded` (Alipay's malformed variant
 * included) that keeps the raw Buffer, with `bodyLimit`. Like a fastify-plugin plugin, it
 * applies to the context you register it in, not a child one: register it next to the notify
 * route, in a context without @fastify/formbody (two parsers for one type are an error).
 * A body over the limit then gets Fastify's own 413 reply, which Alipay treats as `fail`.
 */
export const alipayBodyParser: FastifyPluginCallback<AlipayBodyParserOptions> = Object.assign(
  function alipayBodyParser(instance: FastifyInstance, options: AlipayBodyParserOptions, done: (err?: Error) => void): void {
    let limit: number;
    try {
      limit = checkLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
    } catch (error) {
      done(error as TypeError);
      return;
    }
    instance.addContentTypeParser(FORM_TYPE, { parseAs: 'buffer', bodyLimit: limit }, keepBuffer);
    done();
  },
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'alipay-notify-body-parser' },
);

/**
 * The plugin: in its own encapsulated context, a catch-all parser that keeps the raw Buffer
 * whatever the Content-Type (so no other parser of your app sees the body), the POST route at
 * `path`, an error handler that answers `fail` to bodies over the limit and to unreadable ones,
 * and closes the connection when a body was not read to its end.
 */
export const alipayNotify: FastifyPluginAsync<FastifyNotifyPluginOptions> = async function alipayNotifyPlugin(instance, options) {
  const resolved = resolveOptions<FastifyRequest>(options, ADAPTER, true);
  const policy = parsedBodyPolicy(options.parsedBody);
  if (typeof options.path !== 'string' || options.path === '') throw new TypeError(`${ADAPTER}: path must be the route path, e.g. '/alipay/notify'.`);
  const { limit } = resolved;

  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, keepBuffer);

  instance.setErrorHandler(async (error: FastifyError, request, res) => {
    // Stop reading what is left of the body, and close the connection once the reply is out.
    request.raw.pause();
    closeAfterReply(request.raw, res.raw);
    const read: Extract<BodyReadResult, { ok: false }> =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? (checkDeclaredLength(request.headers['content-length'], limit) ?? tooLarge(limit, 0))
        : { ok: false, reason: 'failed', error };
    res.header('connection', 'close');
    await send(resolved, request, res, readFailureReply(read));
  });

  instance.post(options.path, { bodyLimit: limit }, routeFor(resolved, policy));
};
