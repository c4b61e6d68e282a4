// alipay-notify/web: directly on Request objects, and over real HTTP on loopback through a
// Node http → Request bridge.
import { describe, expect, it } from 'vitest';
import { alipayNotify, notifyResponse } from '../../src/adapters/web.js';
import type { NotifyReply } from '../../src/handler/types.js';
import { alipayKeys } from '../helpers/keys.js';
import { adapterContract, ALIPAY_CONTENT_TYPE, signed } from './support.js';
import { serveFetch } from './web-bridge.js';

adapterContract('web (Node http bridge)', {
  async start(handler, onReply) {
    const POST = alipayNotify({ handler, onReply });
    return serveFetch((request) => (request.method === 'POST' ? POST(request) : new Response('not found', { status: 404 })));
  },
});

const headers = { 'content-type': ALIPAY_CONTENT_TYPE, 'user-agent': 'Mozilla/4.0' };
const verifier = { alipayPublicKey: alipayKeys().publicKey };

describe('web: the Request handler', () => {
  it('answers Request objects directly (a Next.js route handler)', async () => {
    const POST = alipayNotify({ verifier, onVerified: () => {} });
    const ok = await POST(new Request('http://localhost/notify', { method: 'POST', headers, body: signed() }));
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain', 'success']);
    const bad = await POST(new Request('http://localhost/notify', { method: 'POST', headers, body: `${signed()}&x=1` }));
    expect(await bad.text()).toBe('fail');
  });

  it('reads a streamed body through its reader and cancels it past the limit', async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const replies: NotifyReply[] = [];
    const POST = alipayNotify({ verifier, onVerified: () => {}, maxBodyBytes: 64 * 1024, onReply: (r) => replies.push(r) });
    const r = await POST(new Request('http://localhost/notify', { method: 'POST', headers, body, duplex: 'half' } as RequestInit));
    expect(await r.text()).toBe('fail');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(7); // 64 KiB + one 16 KiB piece, plus what the stream queued ahead
    expect(replies[0]).toMatchObject({ outcome: 'rejected', code: 'BODY_TOO_LARGE' });
  });

  it('a Content-Length over the limit is refused without reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const POST = alipayNotify({ verifier, onVerified: () => {} });
    const request = new Request('http://localhost/notify', {
      method: 'POST',
      headers: { ...headers, 'content-length': String(1024 * 1024) },
      body,
      duplex: 'half',
    } as RequestInit);
    const r = await POST(request);
    expect(await r.text()).toBe('fail');
    expect(pulled).toBeLessThanOrEqual(1); // the stream's own first pull, never the reader's
  });

  it('a Request whose body was already read: fail with BODY_CONSUMED and a hint', async () => {
    const replies: NotifyReply[] = [];
    const warnings: string[] = [];
    const POST = alipayNotify({ verifier, onVerified: () => {}, onReply: (r) => replies.push(r), warn: (m) => warnings.push(m) });
    const request = new Request('http://localhost/notify', { method: 'POST', headers, body: signed() });
    await request.text();
    expect(await (await POST(request)).text()).toBe('fail');
    expect(replies[0]).toMatchObject({ outcome: 'error', code: 'BODY_CONSUMED' });
    expect((replies[0]!.error as { hint: string }).hint).toMatch(/bodyUsed/);
    expect(warnings).toHaveLength(1);
  });

  it('requires onVerified in verifier mode (there is no next middleware)', () => {
    expect(() => alipayNotify({ verifier } as never)).toThrow(/onVerified/);
  });

  it('notifyResponse: 200, text/plain, the exact body', async () => {
    const r = notifyResponse('success');
    expect([r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength]).toEqual([200, 'text/plain', 7]);
  });
});
