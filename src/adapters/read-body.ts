/*
 * Reading a request body with a byte limit, for the framework adapters. Runtime-neutral: no
 * node: imports (the Node reader takes a structurally typed stream), so the `web` adapter can
 * share this module on Workers, Deno and Bun.
 *
 * Both readers stop as soon as the limit is passed: the Node reader pauses the stream and
 * detaches, the Web reader cancels its stream. Nothing past the limit is kept.
 */

export type BodyReadResult =
  | { ok: true; body: Uint8Array }
  /** More than `limit` bytes: declared in Content-Length (nothing read), or received so far. */
  | { ok: false; reason: 'too_large'; limit: number; declared?: number; received: number }
  /** The stream failed or the client went away before the end of the body. */
  | { ok: false; reason: 'failed'; error: unknown };

/**
 * The Content-Length header as a number, or undefined when absent or unusable (several
 * values, not a plain decimal). Node's HTTP parser already rejects conflicting lengths.
 */
export function declaredLength(header: string | readonly string[] | null | undefined): number | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (!/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

export type BodyTooLarge = Extract<BodyReadResult, { reason: 'too_large' }>;

/** The too_large result: `received` bytes so far, `declared` when the Content-Length said so. */
export function tooLarge(limit: number, received: number, declared?: number): BodyTooLarge {
  const result: BodyTooLarge = { ok: false, reason: 'too_large', limit, received };
  if (declared !== undefined) result.declared = declared;
  return result;
}

/** too_large from a Content-Length over the limit, before reading anything. */
export function checkDeclaredLength(
  header: string | readonly string[] | null | undefined,
  limit: number,
): BodyTooLarge | undefined {
  const declared = declaredLength(header);
  if (declared !== undefined && declared > limit) return tooLarge(limit, 0, declared);
  return undefined;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const utf8 = new TextEncoder();

function asBytes(chunk: unknown): Uint8Array | undefined {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return utf8.encode(chunk); // only if someone called setEncoding upstream
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  return undefined;
}

/** The parts of a Node Readable (an http.IncomingMessage) the reader uses. */
export interface NodeReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  readonly readableEnded?: boolean;
  readonly readableDidRead?: boolean;
  readonly destroyed?: boolean;
}

/**
 * True when something already read from the stream (an upstream body parser): its bytes are
 * gone, and waiting for 'end' would hang.
 */
export function nodeStreamConsumed(stream: NodeReadableLike): boolean {
  return stream.readableEnded === true || stream.readableDidRead === true || stream.destroyed === true;
}

/**
 * Reads a Node stream to its end, keeping at most `limit` bytes. Past the limit it pauses the
 * stream, detaches and resolves `too_large` at once (the caller replies and closes the
 * connection). Never rejects.
 */
export function readNodeBody(stream: NodeReadableLike, limit: number): Promise<BodyReadResult> {
  return new Promise<BodyReadResult>((resolve) => {
    const chunks: Uint8Array[] = [];
    let received = 0;
    let settled = false;

    const finish = (result: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      resolve(result);
    };
    const onData = (chunk: unknown): void => {
      const bytes = asBytes(chunk);
      if (bytes === undefined) {
        stream.pause();
        finish({ ok: false, reason: 'failed', error: new TypeError('The request stream yielded something other than bytes.') });
        return;
      }
      received += bytes.byteLength;
      if (received > limit) {
        stream.pause();
        finish(tooLarge(limit, received));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => finish({ ok: true, body: concat(chunks, received) });
    const onError = (error: unknown): void => finish({ ok: false, reason: 'failed', error });
    // 'close' without 'end': the client went away (Node also emits an 'aborted' error).
    const onClose = (): void =>
      finish({ ok: false, reason: 'failed', error: new Error('The request closed before the end of the body.') });

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.resume();
  });
}

/**
 * Reads a Web ReadableStream (a Request's body) with a limit, through its reader: never
 * `arrayBuffer()`, which buffers whatever arrives. Past the limit it cancels the stream.
 * Never rejects.
 */
export async function readWebBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<BodyReadResult> {
  if (body === null) return { ok: true, body: new Uint8Array(0) };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch (error) {
    return { ok: false, reason: 'failed', error };
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const bytes = asBytes(value);
      if (bytes === undefined) {
        void reader.cancel().catch(() => {});
        return { ok: false, reason: 'failed', error: new TypeError('The request body yielded something other than bytes.') };
      }
      received += bytes.byteLength;
      if (received > limit) {
        // Tell the runtime we are done with this body: it need not deliver (or buffer) the rest.
        void reader.cancel().catch(() => {});
        return tooLarge(limit, received);
      }
      chunks.push(bytes);
    }
  } catch (error) {
    return { ok: false, reason: 'failed', error };
  }
  return { ok: true, body: concat(chunks, received) };
}
