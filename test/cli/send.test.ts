import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { loadFixture } from '../../src/testing/index.js';
import { cli, TEST_KEYS } from './helpers.js';
import { readFileSync } from 'node:fs';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  at: number;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real node:http endpoint on 127.0.0.1 that answers with the given replies in turn. */
async function endpoint(replies: ReadonlyArray<{ status?: number; body: string; headers?: Record<string, string> }>) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks), at: Date.now() });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)]!;
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/alipay/notify?from=test`, received };
}

describe('send', () => {
  it('POSTs exactly like Alipay and replays the retry schedule until "success" (fail, fail, success), compressed by --time-scale', async () => {
    const { url, received } = await endpoint([{ body: 'fail' }, { body: 'fail' }, { body: 'success' }]);
    const fixture = loadFixture('payment-utf8-rsa2');
    const r = await cli(['send', url, '--fixture', 'payment-utf8-rsa2', '--retries', '--time-scale', '0.0002', '--json']);
    expect(r.code).toBe(0);

    expect(received).toHaveLength(3);
    for (const request of received) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/alipay/notify?from=test');
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; text/html; charset=UTF-8');
      expect(request.headers['user-agent']).toBe('Mozilla/4.0');
      expect(request.headers['content-length']).toBe(String(Buffer.byteLength(fixture.rawBody)));
      expect(request.body.toString('latin1')).toBe(fixture.rawBody);
      const names = request.rawHeaders.filter((_v, i) => i % 2 === 0).map((h) => h.toLowerCase()).sort();
      expect(names).toEqual(['connection', 'content-length', 'content-type', 'host', 'user-agent']);
    }
    // 4m and 10m scaled by 0.0002: 48 ms and 120 ms between deliveries.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(40);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(110);

    const data = JSON.parse(r.stdout) as { acknowledged: boolean; attempts: number; deliveries: Array<Record<string, unknown>>; headers: Record<string, string> };
    expect(data.acknowledged).toBe(true);
    expect(data.attempts).toBe(3);
    expect(data.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8', 'User-Agent': 'Mozilla/4.0' });
    expect(data.deliveries.map((d) => [d['status'], d['reply'], d['acknowledged'], d['scheduledDelayMs'], d['waitedMs']])).toEqual([
      [200, 'fail', false, 0, 0],
      [200, 'fail', false, 240_000, 48],
      [200, 'success', true, 600_000, 120],
    ]);
  });

  it('signs params with --private-key (default template trade) and the endpoint can verify them', async () => {
    const { url, received } = await endpoint([{ body: 'success' }]);
    const r = await cli(['send', url, '-k', TEST_KEYS.alipayPrivate, '-p', 'out_trade_no=SEND-1', '-p', 'total_amount=9.90']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/delivery 1: HTTP 200 "success" → success/);
    expect(r.stdout).toMatch(/acknowledged/);
    const verified = await createVerifier({ alipayPublicKey: readFileSync(TEST_KEYS.alipayPublic, 'utf8') }).verify(received[0]!.body);
    expect(verified.ok && verified.params).toMatchObject({ out_trade_no: 'SEND-1', total_amount: '9.90', notify_type: 'trade_status_sync' });
  });

  it.each([
    [{ body: 'SUCCESS' }, /must be lower-case "success"/],
    [{ body: 'success\n' }, /whitespace around "success"/],
    [{ body: '<html><body>success</body></html>' }, /HTML/],
    [{ status: 500, body: 'success' }, /HTTP 500: Alipay needs status 200/],
    [{ status: 302, body: '', headers: { location: '/elsewhere' } }, /redirect/],
    [{ body: '\ufeffsuccess' }, /BOM/],
  ])('flags a handler that answers %j (exit 1)', async (reply, problem) => {
    const { url } = await endpoint([reply]);
    const r = await cli(['send', url, '--fixture', 'payment-utf8-rsa2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(problem);
    expect(r.stdout).toMatch(/not acknowledged: Alipay would retry/);
  });

  it('gives up after the schedule when the endpoint never acknowledges; reports connection failures', async () => {
    const { url, received } = await endpoint([{ body: 'fail' }]);
    const r = await cli(['send', url, '--fixture', 'payment-utf8-rsa2', '--retries', '2', '--time-scale', '0.00001']);
    expect(r.code).toBe(1);
    expect(received).toHaveLength(3);
    expect(r.stdout).toMatch(/not acknowledged after 3 deliveries/);

    const closed = await endpoint([{ body: 'success' }]);
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await cli(['send', closed.url, '--fixture', 'payment-utf8-rsa2', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).deliveries[0].problem).toMatch(/^no reply: ECONNREFUSED/);
  });
});
