import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/cli/diagnose/engine.js';
import { loadFixture, serializeForm, signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { cli, expectNoKeyMaterial, tempDir, TEST_KEYS } from './helpers.js';

interface Report {
  valid: boolean;
  initial: { ok: boolean; code?: string; signedContent?: string };
  cause: string | null;
  causes: Array<{ id: string; pitfall: string; detail: string; fix: string; signString?: string }>;
  checks: Array<{ id: string; status: string }>;
  conclusion: string;
  signString?: string;
}

const dir = tempDir('alipay-notify-diagnose-');
let n = 0;
function bodyFile(body: string | Uint8Array): string {
  const file = join(dir, `body-${n++}.txt`);
  writeFileSync(file, body);
  return file;
}

async function run(body: string | Uint8Array, args: string[] = ['-k', TEST_KEYS.alipayPublic]): Promise<{ code: number; report: Report; stdout: string }> {
  const r = await cli(['diagnose', bodyFile(body), ...args, '--json']);
  expectNoKeyMaterial(r, [TEST_KEYS.alipayPrivate, TEST_KEYS.otherPrivate]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stdout: r.stdout };
}

const payment = loadFixture('payment-utf8-rsa2').rawBody;

/** Form-decodes every value once: what a body looks like after a framework already decoded it. */
function decodedOnce(body: string): string {
  return body
    .split('&')
    .map((pair) => {
      const [k, v = ''] = pair.split('=');
      return `${k}=${decodeURIComponent(v.replace(/\+/g, ' '))}`;
    })
    .join('&');
}

describe.concurrent('diagnose names the cause (CLI, child process, --json)', () => {
  it('P1: the app public key configured instead of the Alipay key (app private key given)', async () => {
    const { code, report } = await run(payment, ['-k', TEST_KEYS.otherPublic, '--private-key', TEST_KEYS.otherPrivate]);
    expect(code).toBe(1);
    expect(report.cause).toBe('app-public-key');
    expect(report.causes[0]!.pitfall).toBe('P1');
  });

  it('P1: the app public key configured instead of the Alipay key (both public keys given)', async () => {
    const { report } = await run(payment, ['-k', TEST_KEYS.otherPublic, '--app-public-key', TEST_KEYS.otherPublic]);
    expect(report.cause).toBe('app-public-key');
  });

  it('P1: a private key configured as the Alipay public key', async () => {
    const { code, report } = await run(payment, ['-k', TEST_KEYS.otherPrivate]);
    expect(code).toBe(1);
    expect(report.initial.code).toBe('KEY_UNUSABLE');
    expect(report.cause).toBe('private-key-as-alipay-key');
  });

  it('P2: "+" turned into space in sign', async () => {
    const { code, report } = await run(loadFixture('negative-sign-plus-as-space').rawBody);
    expect(code).toBe(1);
    expect(report.initial.code).toBe('SIGN_MALFORMED');
    expect(report.cause).toBe('plus-to-space');
  });

  it('P3: double URL-decoding (the body was decoded before it reached the verifier)', async () => {
    const { report } = await run(decodedOnce(payment));
    expect(report.cause).toBe('double-decoded');
  });

  it('P4: an extra query/route parameter merged in (found without help)', async () => {
    const { report } = await run(`${payment}&s=%2Fapi%2Fpay%2Fnotify`);
    expect(report.cause).toBe('extra-params');
    expect(report.causes[0]!.detail).toMatch(/Dropping s /);
  });

  it('P4: extra parameters named with --query, even when they look like Alipay ones', async () => {
    const { report } = await run(`${payment}&token=abc&version2=1`, ['-k', TEST_KEYS.alipayPublic, '--query', 'token,version2']);
    expect(report.cause).toBe('extra-params');
    expect(report.causes[0]!.detail).toMatch(/query parameter\(s\) token, version2/);
  });

  it('P4: a duplicated parameter from a merged query string', async () => {
    const { report } = await run(`${payment}&total_amount=0.01`);
    expect(report.initial.code).toBe('DUPLICATE_PARAM');
    expect(report.cause).toBe('extra-params');
    expect(report.causes[0]!.detail).toMatch(/total_amount \(occurrence 2 of 2\)/);
  });

  it('P8: HTML-escaped JSON (&quot; in fund_bill_list)', async () => {
    const escaped = payment.replace(/fund_bill_list=([^&]*)/, (_m, v: string) => `fund_bill_list=${v.replaceAll('%22', '%26quot%3B')}`);
    const { report } = await run(escaped);
    expect(report.cause).toBe('html-escaped');
    expect(report.causes[0]!.detail).toMatch(/fund_bill_list/);
  });

  it('P8: HTML-escaped JSON in a body logged after decoding (raw &quot;)', async () => {
    const { report } = await run(decodedOnce(payment).replaceAll('"', '&quot;'));
    expect(report.causes.map((c) => c.id)).toContain('html-escaped');
  });

  it('P7: a GBK body re-encoded in UTF-8', async () => {
    const gbk = loadFixture('payment-gbk').rawBody;
    const params = Object.fromEntries(
      gbk.split('&').map((pair) => {
        const [k, v = ''] = pair.split('=');
        const bytes = Uint8Array.from(v.replace(/\+/g, ' ').match(/%[0-9A-F]{2}|[^%]/g)!.map((t) => (t.length === 3 ? parseInt(t.slice(1), 16) : t.charCodeAt(0))));
        return [k!, new TextDecoder('gbk').decode(bytes)];
      }),
    );
    expect(params['subject']).toBe('测试商品：中文标题 GBK');
    const { report } = await run(serializeForm(params, 'utf-8'));
    expect(report.cause).toBe('charset');
    expect(report.causes[0]!.pitfall).toBe('P7');
  });

  it('P10: empty values rendered as "null" by a framework', async () => {
    const body = loadFixture('empty-value-skipped').rawBody.replace('passback_params=&', 'passback_params=null&');
    const { report } = await run(body);
    expect(report.cause).toBe('empty-values');
  });

  it('P13: a key with broken formatting (quotes, escaped newlines, zero-width and full-width characters)', async () => {
    const pem = readFileSync(TEST_KEYS.alipayPublic, 'utf8');
    const broken = `"${pem.replace(/\n/g, '\\n').replace('MIIB', 'MII\u200bB').replace('AQAB', 'ＡＱＡＢ')}"`;
    const keyFile = join(dir, 'broken.pem');
    writeFileSync(keyFile, broken);
    const { code, report } = await run(payment, ['-k', keyFile]);
    expect(code).toBe(1);
    expect(report.initial.code).toBe('KEY_UNUSABLE');
    expect(report.cause).toBe('key-format');
  });

  it('P13: a truncated key is reported as unparseable', async () => {
    const keyFile = join(dir, 'truncated.pem');
    writeFileSync(keyFile, readFileSync(TEST_KEYS.alipayPublic, 'utf8').slice(0, 200));
    const { report } = await run(payment, ['-k', keyFile]);
    expect(report.cause).toBe('key-unparseable');
  });

  it('P5: sign_type RSA not in the configured signTypes', async () => {
    const { report } = await run(loadFixture('payment-rsa-sha1').rawBody);
    expect(report.initial.code).toBe('SIGN_TYPE_NOT_ALLOWED');
    expect(report.cause).toBe('sign-type-not-allowed');
  });

  it('P5: signed with SHA1withRSA while sign_type says RSA2 (sign_type is not signed in v1)', async () => {
    const signed = signNotify(tradeNotifyParams(), { privateKey: readFileSync(TEST_KEYS.alipayPrivate, 'utf8'), signType: 'RSA' }).body;
    expect(signed).toContain('&sign_type=RSA&');
    const { code, report } = await run(signed.replace('&sign_type=RSA&', '&sign_type=RSA2&'));
    expect(code).toBe(1);
    expect(report.initial.code).toBe('SIGNATURE_INVALID');
    expect(report.cause).toBe('algorithm');
    expect(report.causes[0]!.detail).toMatch(/as RSA instead of RSA2/);
  });

  it('P6: v1 vs v2 is not a failure (the library tries both): a v2 body verifies, exit 0', async () => {
    const { code, report } = await run(loadFixture('servicemarket-v2').rawBody);
    expect(code).toBe(0);
    expect(report.valid).toBe(true);
    expect(report.initial).toMatchObject({ ok: true, signedContent: 'v2' });
    expect(report.cause).toBeNull();
  });

  it('P6: sign_type removed from a v2-signed body', async () => {
    const { report } = await run(loadFixture('servicemarket-v2').rawBody.replace(/&sign_type=RSA2/, ''));
    expect(report.cause).toBe('sign-type-removed');
  });

  it('P16: line breaks from a log', async () => {
    const { report } = await run(`${payment.slice(0, 300)}\r\n${payment.slice(300)}`);
    expect(report.cause).toBe('whitespace');
  });

  it('nothing explains a tampered amount: cause null, the wrong-key / forgery conclusion, exit 1', async () => {
    const { code, report } = await run(loadFixture('negative-tampered-amount').rawBody);
    expect(code).toBe(1);
    expect(report.cause).toBeNull();
    expect(report.conclusion).toMatch(/No known failure mode explains it/);
    expect(report.checks.find((c) => c.id === 'v1-v2')?.status).toBe('ruled-out');
  });

  it('human output with --show-sign-string: the cause, the sign strings, no key material', async () => {
    const r = await cli(['diagnose', bodyFile(loadFixture('negative-sign-plus-as-space').rawBody), '-k', TEST_KEYS.alipayPublic, '--private-key', TEST_KEYS.otherPrivate, '--show-sign-string']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✘ does not verify as given: SIGN_MALFORMED/);
    expect(r.stdout).toMatch(/Cause: "\+" turned into space in sign \(P2\)/);
    expect(r.stdout).toMatch(/sign string \(as received\) app_id=2021000000000001&auth_app_id=/);
    expect(r.stdout).toMatch(/sign string after the fix: app_id=/);
    expect(r.stdout).toMatch(/✔ ruled out {3}app public key instead of Alipay public key/);
    expectNoKeyMaterial(r, [TEST_KEYS.otherPrivate, TEST_KEYS.alipayPublic]);
  });
});

describe('diagnose engine (in process)', () => {
  it('checks parsed-object input (JSON) too, and notes that the raw body is better', async () => {
    const params = Object.fromEntries(new URLSearchParams(payment));
    params['sign'] = params['sign']!.replaceAll('+', ' ');
    const report = await diagnose({
      body: params,
      alipayKeys: [{ label: 'alipay', input: readFileSync(TEST_KEYS.alipayPublic, 'utf8') }],
    });
    expect(report.causes[0]?.id).toBe('plus-to-space');
    expect(report.checks.find((c) => c.id === 'parsed-input')?.status).toBe('note');
  });

  it('does not blame the app key when that same key verifies the fixed body (one test pair in both roles)', async () => {
    const report = await diagnose({
      body: new TextEncoder().encode(loadFixture('negative-sign-plus-as-space').rawBody),
      alipayKeys: [{ label: 'alipay.pem', input: readFileSync(TEST_KEYS.alipayPublic, 'utf8') }],
      appPrivateKeys: [{ label: 'app.pem', input: readFileSync(TEST_KEYS.alipayPrivate, 'utf8') }],
    });
    expect(report.causes.map((c) => c.id)).toEqual(['plus-to-space']);
    expect(report.checks.find((c) => c.id === 'app-public-key')?.status).toBe('note');
  });

  it('reports a valid body as valid and never puts key text in the report', async () => {
    const report = await diagnose({
      body: new TextEncoder().encode(payment),
      alipayKeys: [{ label: 'alipay.pem', input: readFileSync(TEST_KEYS.alipayPublic, 'utf8') }],
      appPrivateKeys: [{ label: 'app.pem', input: readFileSync(TEST_KEYS.otherPrivate, 'utf8') }],
    });
    expect(report.valid).toBe(true);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/BEGIN|MIIB/);
  });
});
