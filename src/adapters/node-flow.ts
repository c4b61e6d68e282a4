/*
 * The request side of the Node adapters (Express, Koa): take the raw body from an upstream
 * raw parser, notice when another parser consumed it, or read the stream with the limit.
 */
import type { NotifyError } from 'alipay-notify';
import type { NotifyReply } from '../handler/types.js';
import type { NotifyBody, VerifyResult } from '../types.js';
import {
  bodyConsumed,
  consumedReply,
  readFailureReply,
  resolveOptions,
  type AnyModeOptions,
  type Resolved,
} from './core.js';
import { checkDeclaredLength, nodeStreamConsumed, readNodeBody, tooLarge, type NodeReadableLike } from './read-body.js';

/**
 * What to do with a body an upstream parser already consumed: `'reject'` (default) replies
 * `fail` (code BODY_CONSUMED) and warns once; `'verify'` verifies the parsed object or string
 * instead (and warns once). That works for UTF-8 notifications only: the parser decoded the
 * bytes as UTF-8, so a GBK notification no longer verifies.
 */
export type ParsedBodyPolicy = 'reject' | 'verify';

/** The `parsedBody` option of the Node adapters, checked: default 'reject'. */
export function parsedBodyPolicy(value: ParsedBodyPolicy | undefined): ParsedBodyPolicy {
  const policy = value ?? 'reject';
  if (policy !== 'reject' && policy !== 'verify') throw new TypeError("parsedBody must be 'reject' or 'verify'.");
  return policy;
}

export interface NodeRequestLike extends NodeReadableLike {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type NodeFlowResult =
  /** Reply this (close: the body was not read to its end, close the connection after). */
  | { reply: NotifyReply; close: boolean }
  /** Verifier mode without onVerified: hand this to the next middleware. */
  | { result: VerifyResult };

export interface NodeFlowTexts {
  /** e.g. 'alipay-notify/express' */
  adapter: string;
  /** How to fix the mounting order, for this framework. */
  consumedHint: string;
}

/**
 * A body an upstream parser already consumed, `parsed` being what it left (Node adapters and
 * Fastify): with parsedBody 'verify' and a string or object, the body to verify; otherwise the
 * BODY_CONSUMED error. Warns once either way.
 */
export function takeParsedBody<Ctx>(
  resolved: Resolved<Ctx>,
  parsed: unknown,
  policy: ParsedBodyPolicy,
  texts: NodeFlowTexts,
): { body: NotifyBody } | { error: NotifyError } {
  if (policy === 'verify' && (typeof parsed === 'string' || (typeof parsed === 'object' && parsed !== null))) {
    resolved.warnOnce(
      'parsed',
      `${texts.adapter}: verifying the body an upstream parser produced (parsedBody: 'verify'); this works for UTF-8 notifications only. ${texts.consumedHint}`,
    );
    return { body: parsed as NotifyBody };
  }
  return { error: bodyConsumed(resolved, texts.adapter, texts.consumedHint) };
}

/** What a Node adapter (Express, Koa) runs per request, built once from its options. */
export interface NodeFlow<Ctx> {
  /**
   * `parsed`: what an upstream parser left as the body (req.body, ctx.request.body). `raw`:
   * bytes an upstream parser kept aside (req.rawBody, as NestJS's `rawBody: true` or a
   * body-parser `verify` callback store it); used when it is a Uint8Array. A reply is passed
   * to the options' onReply before it is returned, for the adapter to write.
   */
  run(req: NodeRequestLike, parsed: unknown, raw: unknown, ctx: Ctx): Promise<NodeFlowResult>;
}

/**
 * Checks a Node adapter's options (resolveOptions, then parsedBody) and builds its flow: take
 * the raw body from an upstream raw parser, notice when another parser consumed it, or read
 * the stream with the limit; then verify or run.
 */
export function createNodeFlow<Ctx>(
  options: AnyModeOptions<Ctx> & { parsedBody?: ParsedBodyPolicy },
  texts: NodeFlowTexts,
): NodeFlow<Ctx> {
  const resolved = resolveOptions<Ctx>(options, texts.adapter, false);
  const policy = parsedBodyPolicy(options.parsedBody);

  async function flow(req: NodeRequestLike, parsed: unknown, raw: unknown, ctx: Ctx): Promise<NodeFlowResult> {
    let body: NotifyBody;
    const bytes = parsed instanceof Uint8Array ? parsed : raw instanceof Uint8Array ? raw : undefined;
    if (bytes !== undefined) {
      // A raw parser ran first (express.raw), or one kept the raw bytes: exactly what was received.
      if (bytes.byteLength > resolved.limit) {
        return { reply: readFailureReply(tooLarge(resolved.limit, bytes.byteLength)), close: false };
      }
      body = bytes;
    } else if (nodeStreamConsumed(req)) {
      const taken = takeParsedBody(resolved, parsed, policy, texts);
      if ('error' in taken) {
        const { error } = taken;
        return resolved.verify ? { result: { ok: false, error } } : { reply: consumedReply(error), close: false };
      }
      body = taken.body;
    } else {
      const read = checkDeclaredLength(req.headers['content-length'], resolved.limit) ?? (await readNodeBody(req, resolved.limit));
      if (!read.ok) return { reply: readFailureReply(read), close: true };
      body = read.body;
    }
    if (resolved.verify) return { result: await resolved.verify(body) };
    return { reply: await resolved.run(body, ctx), close: false };
  }

  return {
    async run(req, parsed, raw, ctx) {
      const result = await flow(req, parsed, raw, ctx);
      if ('reply' in result) await resolved.report(result.reply, ctx);
      return result;
    },
  };
}
