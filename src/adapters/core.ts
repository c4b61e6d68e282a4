/*
 * What every framework adapter shares: the options (a handler, or a verifier), the body limit,
 * the replies for bodies that never reach the verifier, and the warnings. The adapters only map
 * their framework's request and response onto this.
 */
// The package's own entry, by name: at run time the export conditions pick the node:crypto or
// the WebCrypto build, and the adapters share the root's module instance (NotifyError identity).
import { createNotifyHandler, createVerifier, DEFAULT_MAX_BODY_BYTES, NotifyError } from 'alipay-notify';
import type { NotifyHandler, NotifyHandlerOptions, NotifyOrder, NotifyReply } from '../handler/types.js';
import type { NotifyBody, NotifyVerifier, VerifierOptions, VerifyResult, VerifySuccess } from '../types.js';
import { isVerifier } from '../handler/is-verifier.js';
import { reply } from '../handler/reply.js';
import type { BodyReadResult, BodyTooLarge } from './read-body.js';

/**
 * Reply codes of the adapters, next to the handler's (reply.code):
 * - `BODY_CONSUMED`: an upstream body parser read the body first (outcome error: fix the
 *   mounting order; Alipay retries).
 * - `BODY_READ_FAILED`: the request stream failed or the client went away (outcome error).
 * - `ON_VERIFIED_FAILED`: your `onVerified` threw (outcome error; Alipay retries).
 * A body over the limit is `BODY_TOO_LARGE` (outcome rejected), the verifier's own code.
 */
export type AdapterErrorCode = 'BODY_CONSUMED' | 'BODY_READ_FAILED' | 'ON_VERIFIED_FAILED';

export interface AdapterBaseOptions<Ctx> {
  /**
   * Largest body read, in bytes; larger bodies are refused with `fail` without being read
   * (Content-Length) or as soon as the limit is passed, and the connection is closed.
   * Default: `maxBodyBytes` of the verifier options when you pass options, else 64 KiB.
   * With a ready-made handler or verifier of a larger maxBodyBytes, set it here too.
   */
  maxBodyBytes?: number;
  /** Called with each reply the adapter sends (log `outcome` and `code` here). What it throws is swallowed. */
  onReply?(reply: NotifyReply, ctx: Ctx): unknown;
  /** Where the adapter's warnings go (each kind once per adapter instance). Default: console.warn. */
  warn?(message: string): void;
}

/** Handler mode: createNotifyHandler's checks and idempotency; the adapter sends its reply. */
export interface HandlerModeOptions<O extends NotifyOrder = NotifyOrder> {
  /** A handler from createNotifyHandler, or the options to create one. */
  handler: NotifyHandler | NotifyHandlerOptions<O>;
  verifier?: never;
  onVerified?: never;
}

/**
 * Verifier mode: only the signature. With `onVerified`, the adapter replies `success` once it
 * resolves (`fail` when it throws, or when verification failed, without calling it).
 */
export interface VerifierModeOptions<Ctx> {
  /** A verifier from createVerifier, or the options to create one. */
  verifier: NotifyVerifier | VerifierOptions;
  /** Your action for a verified notification. Throw to reply `fail` (Alipay retries). */
  onVerified?(result: VerifySuccess, ctx: Ctx): void | Promise<void>;
  handler?: never;
}

/** The options of an adapter that always replies itself (web, hono, fastify): onVerified is required. */
export type ReplyingOptions<Ctx, O extends NotifyOrder = NotifyOrder> = AdapterBaseOptions<Ctx> &
  (HandlerModeOptions<O> | (VerifierModeOptions<Ctx> & { onVerified(result: VerifySuccess, ctx: Ctx): void | Promise<void> }));

interface ResolvedBase<Ctx> {
  limit: number;
  report(reply: NotifyReply, ctx: Ctx): Promise<void>;
  warnOnce(kind: string, message: string): void;
}

/** Handler mode, or verifier mode with onVerified: `run` verifies and replies. */
export interface Replying<Ctx> extends ResolvedBase<Ctx> {
  run: (body: NotifyBody, ctx: Ctx) => Promise<NotifyReply>;
  verify?: undefined;
}

/** Verifier mode without onVerified: `verify` only, the framework's next middleware replies. */
export interface VerifyingOnly<Ctx> extends ResolvedBase<Ctx> {
  verify: (body: NotifyBody) => Promise<VerifyResult>;
  run?: undefined;
}

export type Resolved<Ctx> = Replying<Ctx> | VerifyingOnly<Ctx>;

/** A body limit option, checked: a positive safe integer, else a TypeError naming the option. */
export function checkLimit(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer.`);
  }
  return value;
}

/** The options of any adapter, both modes. */
export type AnyModeOptions<Ctx> = AdapterBaseOptions<Ctx> & (HandlerModeOptions<NotifyOrder> | VerifierModeOptions<Ctx>);

/**
 * Checks the options and builds what the adapter runs. Throws a TypeError on invalid options.
 * With requireOnVerified, a verifier without onVerified is refused, so the result always replies.
 */
export function resolveOptions<Ctx>(options: AnyModeOptions<Ctx>, adapter: string, requireOnVerified: true): Replying<Ctx>;
export function resolveOptions<Ctx>(options: AnyModeOptions<Ctx>, adapter: string, requireOnVerified: boolean): Resolved<Ctx>;
export function resolveOptions<Ctx>(options: AnyModeOptions<Ctx>, adapter: string, requireOnVerified: boolean): Resolved<Ctx> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${adapter} needs an options object.`);
  const { handler, verifier, onVerified, onReply } = options as AdapterBaseOptions<Ctx> & {
    handler?: NotifyHandler | NotifyHandlerOptions;
    verifier?: NotifyVerifier | VerifierOptions;
    onVerified?: (result: VerifySuccess, ctx: Ctx) => void | Promise<void>;
  };
  if ((handler === undefined) === (verifier === undefined)) {
    throw new TypeError(`${adapter}: pass either handler (createNotifyHandler) or verifier, not both.`);
  }
  if (onReply !== undefined && typeof onReply !== 'function') throw new TypeError('onReply must be a function.');
  if (onVerified !== undefined && typeof onVerified !== 'function') throw new TypeError('onVerified must be a function.');
  if (handler !== undefined && onVerified !== undefined) {
    throw new TypeError(`${adapter}: onVerified goes with verifier; with a handler, put your action in onTrade.`);
  }
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (typeof warn !== 'function') throw new TypeError('warn must be a function.');

  // The verifier options, when given, also set the default limit.
  let verifierOptions: VerifierOptions | undefined;
  if (handler !== undefined && typeof handler !== 'function') {
    if (typeof handler !== 'object' || handler === null) {
      throw new TypeError('handler must be a NotifyHandler (from createNotifyHandler) or its options.');
    }
    if (!isVerifier(handler.verifier)) verifierOptions = handler.verifier;
  } else if (verifier !== undefined) {
    if (typeof verifier !== 'object' || verifier === null) {
      throw new TypeError('verifier must be a NotifyVerifier (from createVerifier) or VerifierOptions.');
    }
    if (!isVerifier(verifier)) verifierOptions = verifier;
  }
  const limit = checkLimit(
    options.maxBodyBytes ?? verifierOptions?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    options.maxBodyBytes !== undefined ? 'maxBodyBytes' : 'verifier maxBodyBytes',
  );

  const warned = new Set<string>();
  const base: ResolvedBase<Ctx> = {
    limit,
    async report(r, ctx) {
      if (!onReply) return;
      try {
        await onReply.call(options, r, ctx);
      } catch {
        // A logger's failure must not change the reply.
      }
    },
    warnOnce(kind, message) {
      if (warned.has(kind)) return;
      warned.add(kind);
      try {
        warn.call(options, message);
      } catch {
        // Same as onReply.
      }
    },
  };

  if (handler !== undefined) {
    const handle: NotifyHandler = typeof handler === 'function' ? handler : createNotifyHandler(handler);
    return { ...base, run: (body) => handle(body) };
  }
  const v: NotifyVerifier = isVerifier(verifier) ? verifier : createVerifier(verifier!);
  if (onVerified === undefined) {
    if (requireOnVerified) throw new TypeError(`${adapter}: with a verifier, pass onVerified (or use a handler).`);
    // A verifier that throws (a NotifyVerifier must not) goes to the framework's error handling.
    return { ...base, verify: (body) => v.verify(body) };
  }
  const run = async (body: NotifyBody, ctx: Ctx): Promise<NotifyReply> => {
    let result: VerifyResult;
    try {
      result = await v.verify(body);
    } catch (error) {
      return reply('fail', 'error', { code: 'VERIFY_THREW', error });
    }
    if (!result.ok) return reply('fail', 'rejected', { code: result.error.code, error: result.error });
    try {
      await onVerified.call(options, result, ctx);
    } catch (error) {
      return reply('fail', 'error', { code: 'ON_VERIFIED_FAILED', notify: result.notify, error });
    }
    return reply('success', 'processed', { notify: result.notify });
  };
  return { ...base, run };
}

/** The NotifyError for a body over the limit (the verifier's own code, BODY_TOO_LARGE). */
function tooLargeError(read: BodyTooLarge): NotifyError {
  const seen =
    read.declared !== undefined
      ? `Content-Length ${read.declared} is over the limit`
      : `more than ${read.limit} bytes arrived`;
  return new NotifyError('BODY_TOO_LARGE', `The body is larger than maxBodyBytes (${read.limit}): ${seen}; it was not read further.`);
}

/** The reply for a body that could not be read: too large (rejected) or a failed stream (error). */
export function readFailureReply(read: Extract<BodyReadResult, { ok: false }>): NotifyReply {
  if (read.reason === 'too_large') {
    const error = tooLargeError(read);
    return reply('fail', 'rejected', { code: error.code, error });
  }
  return reply('fail', 'error', { code: 'BODY_READ_FAILED', error: read.error });
}

/**
 * The error for a body an upstream parser consumed, after warning (once) with the hint. Its code
 * is BODY_EMPTY (what the verifier says of an empty body); the message and hint say what happened
 * and how to mount the adapter.
 */
export function bodyConsumed<Ctx>(resolved: Resolved<Ctx>, adapter: string, hint: string): NotifyError {
  resolved.warnOnce('consumed', `${adapter}: ${hint}`);
  return new NotifyError(
    'BODY_EMPTY',
    'An upstream body parser consumed the request body before alipay-notify could read the raw bytes.',
    { hint },
  );
}

export function consumedReply(error: NotifyError): NotifyReply {
  return reply('fail', 'error', { code: 'BODY_CONSUMED', error });
}
