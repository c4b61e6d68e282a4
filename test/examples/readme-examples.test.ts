import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys } from '../helpers/keys.js';

/** Alipay's exact request headers (protocol.md §0): a malformed Content-Type and an old UA. */
const ALIPAY_HEADERS = {
  'content-type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8',
  'user-agent': 'Mozilla/4.0',
};

describe('README examples', () => {
  let url = '';
  let close = () => {};

  beforeAll(async () => {
    process.env.ALIPAY_PUBLIC_KEY = alipayKeys().publicKey;
    process.env.ALIPAY_APP_ID = '2021000000000001';
    const { app } = await import('../../examples/express-verify.js');
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alipay/notify`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('Express: a genuine notification with Alipay headers gets exactly "success"', async () => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });
    const response = await fetch(url, { method: 'POST', headers: ALIPAY_HEADERS, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('success');
  });

  it('Express: a GBK body verifies (raw bytes reach the verifier)', async () => {
    const { body } = signNotify(tradeNotifyParams({ subject: '中文', charset: 'gbk' }), { privateKey: alipayKeys().privateKey });
    const response = await fetch(url, { method: 'POST', headers: ALIPAY_HEADERS, body });
    expect(await response.text()).toBe('success');
  });

  it('Express: a tampered notification gets "fail"', async () => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });
    const response = await fetch(url, { method: 'POST', headers: ALIPAY_HEADERS, body: body.replace('88.88', '0.01') });
    expect(await response.text()).toBe('fail');
  });

  it('Web Request handler: success for genuine, fail for tampered', async () => {
    const { POST } = await import('../../examples/web-verify.js');
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });
    const ok = await POST(new Request('http://localhost/notify', { method: 'POST', headers: ALIPAY_HEADERS, body }));
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain', 'success']);
    const bad = await POST(new Request('http://localhost/notify', { method: 'POST', headers: ALIPAY_HEADERS, body: `${body}&x=1` }));
    expect(await bad.text()).toBe('fail');
  });
});
