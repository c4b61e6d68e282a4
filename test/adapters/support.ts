// Shared by the adapter tests: a raw HTTP/1.1 client (exact request bytes, exact response
// bytes), per-connection byte counts on the server side, and the contract every adapter meets.
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyHandler, createVerifier } from '../../src/index.js';
import { memoryIdempotencyStore } from '../../src/handler/idempotency/memory.js';
import type { NotifyHandler, NotifyReply } from '../../src/handler/types.js';
import type { TradeNotification } from '../../src/model/types.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';

import { alipayKeys } from '../helpers/keys.js';

/** Alipay's exact request headers: a malformed Content-Type and an old User-Agent. */
export const ALIPAY_CONTENT_TYPE = 'application/x-www-form-urlencoded; text/html; charset=UTF-8';
/** A well-formed form Content-Type, which every body parser parses (unlike Alipay's). */
export const STANDARD_FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
export const NOTIFY_PATH = '/alipay/notify';
const MiB = 1024 * 1024;

export interface RawResponse {
  status: number;
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** The body bytes exactly as received (de-chunked if the server chunked them). */
  body: Buffer;
  /** A socket error the client saw (ECONNRESET, EPIPE), if any. */
  error?: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
  /**
   * After the response, stop writing but keep the connection open until the server closes it
   * (a refused body): resolves with `closedByServer` then. Otherwise the client closes it.
   */
  awaitServerClose?: boolean;
  /**
   * Keep writing the body after the response has arrived, as a client that ignores it would
   * (with awaitServerClose): only a server that cuts the connection stops it.
   */
  keepWriting?: boolean;
}

function parseResponse(data: Buffer): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = data.subarray(end + 4);
  let body: Buffer | undefined;
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const eol = rest.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const size = parseInt(rest.subarray(at, eol).toString('latin1'), 16);
      if (size === 0) {
        body = Buffer.concat(parts);
        break;
      }
      if (rest.length < eol + 2 + size + 2) return undefined;
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
  } else {
    const length = Number(headers['content-length'] ?? NaN);
    if (!Number.isFinite(length) || rest.length < length) return undefined;
    body = rest.subarray(0, length);
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

/**
 * POSTs `body` over a fresh TCP connection, writing it in 16 KiB pieces as the server takes
 * them, and stops writing as soon as a complete response has arrived or the connection fails.
 * Resolves with the response, or with `error` set when the connection was cut before one.
 */
export function send(
  port: number,
  body: string | Buffer,
  options: SendOptions = {},
): Promise<RawResponse & { closedByServer?: boolean }> {
  const payload = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    'Content-Type': ALIPAY_CONTENT_TYPE,
    'User-Agent': 'Mozilla/4.0',
    ...(options.chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(payload.length) }),
    ...options.headers,
  };
  const head = `POST ${NOTIFY_PATH} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let response: RawResponse | undefined;
    let settled = false;
    let error: string | undefined;
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(options.awaitServerClose ? 'the server did not close the connection within 10 s' : 'no response within 10 s'));
    }, 10_000);
    const settle = (result: RawResponse & { closedByServer?: boolean }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(error === undefined ? result : { ...result, error });
    };

    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      response ??= parseResponse(Buffer.concat(received));
      if (response && !options.awaitServerClose) settle(response);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      settle({ ...(response ?? { status: 0, headers: {}, body: Buffer.alloc(0) }), closedByServer: true });
    });

    const write = async (): Promise<void> => {
      const put = (chunk: Buffer | string): Promise<void> | undefined =>
        socket.write(chunk) ? undefined : new Promise<void>((r) => socket.once('drain', r).once('close', r));
      const stop = (): boolean => settled || (response !== undefined && !options.keepWriting) || socket.destroyed;
      await put(head);
      const piece = 16 * 1024;
      for (let at = 0; at < payload.length && !stop(); at += piece) {
        const slice = payload.subarray(at, at + piece);
        await (options.chunked
          ? put(Buffer.concat([Buffer.from(`${slice.length.toString(16)}\r\n`), slice, Buffer.from('\r\n')]))
          : put(slice));
      }
      if (options.chunked && !stop()) await put('0\r\n\r\n');
    };
    socket.once('connect', () => void write().catch(() => {}));
  });
}

/**
 * Sends the headers with a Content-Length of `declared` bytes and only the first bytes of
 * `body`, then goes away (the connection is destroyed): a client that disconnects mid-body.
 */
export function sendAndAbort(port: number, body: string, declared: number): Promise<void> {
  const head =
    `POST ${NOTIFY_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${ALIPAY_CONTENT_TYPE}\r\n` +
    `User-Agent: Mozilla/4.0\r\nContent-Length: ${declared}\r\n\r\n`;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head + body.slice(0, 64), () => setTimeout(() => socket.destroy(), 50));
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

/** Counts, per accepted connection, the bytes the server read, and whether it closed it. */
export function trackConnections(server: Server): { last(): Promise<{ bytesRead: number }> } {
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => sockets.push(s));
  return {
    /** The latest connection, once the server side has closed it. */
    async last() {
      const s = sockets.at(-1)!;
      if (!s.destroyed) await new Promise((r) => s.once('close', r));
      return { bytesRead: s.bytesRead };
    },
  };
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What each framework's test provides: a server whose POST /alipay/notify runs this handler. */
export interface AdapterUnderTest {
  start(handler: NotifyHandler, onReply: (reply: NotifyReply) => void): Promise<Server>;
}

export interface Harness {
  port: number;
  server: Server;
  trades: TradeNotification[];
  replies: NotifyReply[];
  connections: ReturnType<typeof trackConnections>;
}

export function signed(overrides: Record<string, string> = {}, charset?: 'utf-8' | 'gbk'): string {
  return signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey, ...(charset ? { charset } : {}) }).body;
}

/** A 1 MiB form body (a single long parameter). */
export function oneMiB(): Buffer {
  const body = Buffer.alloc(MiB, 'x'.charCodeAt(0));
  body.write('subject=', 0, 'latin1');
  return body;
}

/**
 * The acceptance contract, over real HTTP on loopback: success, fail on tampering, GBK,
 * duplicates processed once, 1 MiB bodies refused without being read, and a client that goes
 * away mid-body.
 */
export function adapterContract(name: string, adapter: AdapterUnderTest): Harness {
  const h = { trades: [], replies: [] } as unknown as Harness;

  beforeAll(async () => {
    const handler = createNotifyHandler({
      verifier: createVerifier({ alipayPublicKey: alipayKeys().publicKey, appId: '2021000000000001' }),
      idempotency: memoryIdempotencyStore(),
      findOrder: () => ({ totalAmount: '88.88' }),
      onTrade: (n) => {
        h.trades.push(n);
      },
    });
    h.server = await adapter.start(handler, (r) => h.replies.push(r));
    h.connections = trackConnections(h.server);
    h.port = await listen(h.server);
  });
  afterAll(() => close(h.server));

  describe(`${name}: the adapter contract`, () => {
    it('a genuine notification with Alipay headers gets 200, text/plain, exactly the 7 bytes "success"', async () => {
      const before = h.trades.length;
      const r = await send(h.port, signed());
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain');
      expect(r.body.length).toBe(7);
      expect(r.body.toString('latin1')).toBe('success');
      expect(h.trades.length).toBe(before + 1);
      expect(h.replies.at(-1)).toMatchObject({ outcome: 'processed', body: 'success' });
    });

    it('a tampered notification gets exactly "fail" (status 200, text/plain)', async () => {
      const before = h.trades.length;
      const r = await send(h.port, signed().replace('total_amount=88.88', 'total_amount=0.01'));
      expect([r.status, r.headers['content-type'], r.body.toString('latin1')]).toEqual([200, 'text/plain', 'fail']);
      expect(h.trades.length).toBe(before);
      expect(h.replies.at(-1)).toMatchObject({ outcome: 'rejected', code: 'SIGNATURE_INVALID' });
    });

    it('a GBK notification with a Chinese subject verifies: the raw bytes reach the verifier', async () => {
      const body = signed({ subject: '中文商品 语雀', charset: 'gbk' }, 'gbk');
      expect(body).toContain('charset=gbk');
      const r = await send(h.port, body);
      expect(r.body.toString('latin1')).toBe('success');
      expect(h.trades.at(-1)!.subject).toBe('中文商品 语雀');
    });

    it('a duplicate delivery replies "success" and is not processed twice', async () => {
      const before = h.trades.length;
      const body = signed();
      const first = await send(h.port, body);
      const second = await send(h.port, body);
      expect([first.body.toString('latin1'), second.body.toString('latin1')]).toEqual(['success', 'success']);
      expect(h.trades.length).toBe(before + 1);
      expect(h.replies.at(-1)).toMatchObject({ outcome: 'duplicate' });
    });

    for (const chunked of [false, true]) {
      it(`a 1 MiB body (${chunked ? 'chunked, no Content-Length' : 'with Content-Length'}) is refused with "fail" and not read`, async () => {
        const before = h.trades.length;
        // The client keeps writing after the reply: only the server cutting the connection stops it.
        const r = await send(h.port, oneMiB(), { chunked, awaitServerClose: true, keepWriting: true });
        const { bytesRead } = await h.connections.last();
        expect(r.closedByServer).toBe(true);
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe('text/plain');
        expect(r.body.toString('latin1')).toBe('fail');
        expect(r.headers['connection']).toBe('close');
        // The server read the headers and at most the limit plus a socket read or two.
        expect(bytesRead).toBeLessThan(256 * 1024);
        expect(h.trades.length).toBe(before);
        expect(h.replies.at(-1)).toMatchObject({ outcome: 'rejected', code: 'BODY_TOO_LARGE', body: 'fail' });
        // Refused on its Content-Length when there is one, else once the limit was passed.
        expect((h.replies.at(-1)!.error as Error).message).toMatch(chunked ? /bytes arrived/ : /Content-Length \d+ is over the limit/);
      });
    }

    it('a client that goes away mid-body: onReply sees fail, BODY_READ_FAILED, and nothing runs', async () => {
      const before = { trades: h.trades.length, replies: h.replies.length };
      await sendAndAbort(h.port, signed(), 4096);
      await expect.poll(() => h.replies.length, { timeout: 5000 }).toBe(before.replies + 1);
      expect(h.replies.at(-1)).toMatchObject({ outcome: 'error', code: 'BODY_READ_FAILED', body: 'fail' });
      expect(h.trades.length).toBe(before.trades);
    });

    it('the server keeps serving after refusing large bodies', async () => {
      const r = await send(h.port, signed());
      expect(r.body.toString('latin1')).toBe('success');
    });
  });
  return h;
}
