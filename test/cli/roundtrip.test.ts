import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { loadFixture } from '../../src/testing/index.js';
import { cli, expectNoKeyMaterial, tempDir, TEST_KEYS } from './helpers.js';

const combos = (['utf-8', 'gbk'] as const).flatMap((charset) =>
  (['RSA2', 'RSA'] as const).flatMap((signType) => (['v1', 'v2'] as const).map((signedContent) => ({ charset, signType, signedContent }))),
);

describe.concurrent('keygen -> sign -> verify round trips', () => {
  const dir = tempDir();
  const keys = cli(['keygen', '-o', dir, '--name', 'rt']);
  const priv = join(dir, 'rt-private.pem');
  const pub = join(dir, 'rt-public.pem');

  it.each(combos)('$charset $signType $signedContent: valid (exit 0), tampered (exit 1)', async ({ charset, signType, signedContent }) => {
    expect((await keys).code).toBe(0);
    const signed = await cli([
      'sign', '-k', priv, '--template', 'trade', '-p', 'subject=中文 subject', '-p', 'total_amount=12.30',
      '--charset', charset, '--sign-type', signType, '--signed-content', signedContent,
    ]);
    expect(signed.code).toBe(0);
    expectNoKeyMaterial(signed, [priv, pub]);
    const body = signed.stdout;
    expect(body).toMatch(new RegExp(`charset=${charset}&`));
    if (charset === 'gbk') expect(body).toContain('subject=%D6%D0%CE%C4+subject');

    const ok = await cli(['verify', '-', '-k', pub, '--sign-types', 'RSA2,RSA'], { input: body });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`✔ valid  trade_status_sync (payment)  ${signType} ${signedContent}`);
    expect(ok.stdout).toMatch(/total_amount\s+12\.30/);
    expect(ok.stdout).toMatch(/subject\s+中文 subject/);
    expectNoKeyMaterial(ok, [pub]);

    const tampered = await cli(['verify', '-', '-k', pub, '--sign-types', 'RSA2,RSA'], { input: body.replace('total_amount=12.30', 'total_amount=0.01') });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('✘ invalid  SIGNATURE_INVALID');
    expect(tampered.stdout).toMatch(/hint: /);
  });

  it('RSA is refused under the default sign types (exit 1, SIGN_TYPE_NOT_ALLOWED)', async () => {
    expect((await keys).code).toBe(0);
    const signed = await cli(['sign', '-k', priv, '--template', 'trade', '--sign-type', 'RSA']);
    const r = await cli(['verify', '-', '-k', pub], { input: signed.stdout });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SIGN_TYPE_NOT_ALLOWED');
  });
});

describe.concurrent('sign inputs and --json shapes', () => {
  it('sign --params <file> and --params - (stdin); --unset removes a field', async () => {
    const dir = tempDir();
    const params = { notify_type: 'trade_status_sync', app_id: '2021000000000001', out_trade_no: 'A-1', total_amount: '1.00', trade_status: 'TRADE_SUCCESS' };
    writeFileSync(join(dir, 'params.json'), JSON.stringify(params));
    const fromFile = await cli(['sign', '-k', TEST_KEYS.alipayPrivate, '--params', join(dir, 'params.json'), '--json']);
    const fromStdin = await cli(['sign', '-k', TEST_KEYS.alipayPrivate, '--params', '-', '--json'], { input: JSON.stringify(params) });
    expect(fromFile.code).toBe(0);
    const a = JSON.parse(fromFile.stdout) as { body: string; params: Record<string, string> };
    const b = JSON.parse(fromStdin.stdout) as { body: string; params: Record<string, string> };
    expect(a).toEqual(b); // deterministic signature
    expect(Object.keys(a)).toEqual(['body', 'params']);
    expect(a.params).toMatchObject({ ...params, sign_type: 'RSA2', charset: 'utf-8' });
    expect(a.body).toMatch(/^notify_type=trade_status_sync&app_id=2021000000000001&out_trade_no=A-1&total_amount=1.00&trade_status=TRADE_SUCCESS&sign_type=RSA2&charset=utf-8&sign=[A-Za-z0-9%*._-]+$/);
    expectNoKeyMaterial(fromFile, [TEST_KEYS.alipayPrivate]);

    const refund = await cli(['sign', '-k', TEST_KEYS.alipayPrivate, '--template', 'refund', '--unset', 'body', '--json']);
    const refundParams = (JSON.parse(refund.stdout) as { params: Record<string, string> }).params;
    expect(refundParams).not.toHaveProperty('body');
    expect(refundParams['gmt_refund']).toMatch(/\.\d{3}$/);
  });

  it('sign --out writes the body to a file that verify reads', async () => {
    const dir = tempDir();
    const file = join(dir, 'body.txt');
    expect((await cli(['sign', '-k', TEST_KEYS.alipayPrivate, '--template', 'close', '-o', file])).code).toBe(0);
    const r = await cli(['verify', file, '-k', TEST_KEYS.alipayPublic]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('trade_status_sync (close)');
    expect(await createVerifier({ alipayPublicKey: readFileSync(TEST_KEYS.alipayPublic, 'utf8') }).verify(readFileSync(file))).toMatchObject({ ok: true });
  });

  it('verify --json on success: verdict, typed summary (exact amounts, ISO times), params', async () => {
    const r = await cli(['verify', '--fixture', 'refund-partial', '--json', '--show-sign-string']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['ok', 'signType', 'signedContent', 'key', 'notification', 'params', 'signString']);
    expect(data).toMatchObject({
      ok: true,
      signType: 'RSA2',
      signedContent: 'v1',
      key: { index: 0 },
      notification: {
        type: 'trade_status_sync',
        kind: 'refund',
        totalAmount: '88.88',
        refundFee: '10.00',
        outBizNo: 'REFUND-20240602-0001',
        gmtRefund: '2024-06-02T01:30:00.123Z',
      },
      params: { refund_fee: '10.00', sign_type: 'RSA2' },
    });
    expect(data['notification']).not.toHaveProperty('raw');
    expect(data['params']).not.toHaveProperty('sign');
    expect(data['signString']).toMatch(/^app_id=2021000000000001&auth_app_id=/);
  });

  it('verify --show-sign-string prints the string the signature was checked against: v2 includes sign_type, v1 does not', async () => {
    const [v2, v1] = await Promise.all([
      cli(['verify', '--fixture', 'real-servicemarket-order-notify-v2', '--show-sign-string']),
      cli(['verify', '--fixture', 'real-trade-status-sync-v1', '--show-sign-string']),
    ]);
    expect([v2.code, v1.code]).toEqual([0, 0]);
    const line = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('sign string '))!;
    expect(v2.stdout).toMatch(/RSA2 v2/);
    expect(line(v2.stdout)).toMatch(/&sign_type=RSA2(&|$)/);
    expect(line(v1.stdout)).not.toMatch(/sign_type=/);
  });

  it('verify --json on failure: error code, message, hint; exit 1', async () => {
    const r = await cli(['verify', '--fixture', 'negative-tampered-amount', '--json']);
    expect(r.code).toBe(1);
    const data = JSON.parse(r.stdout) as { ok: boolean; error: Record<string, string> };
    expect(data.ok).toBe(false);
    expect(Object.keys(data.error)).toEqual(['code', 'message', 'hint']);
    expect(data.error['code']).toBe('SIGNATURE_INVALID');
  });

  it('verify accepts a JSON object of parsed params and --app-id checks', async () => {
    const f = loadFixture('real-trade-status-sync-v1');
    const params = Object.fromEntries(new URLSearchParams(f.rawBody));
    const dir = tempDir();
    writeFileSync(join(dir, 'key.pem'), f.publicKey);
    const ok = await cli(['verify', '-', '-k', join(dir, 'key.pem'), '--app-id', '2019073166072302'], { input: JSON.stringify(params) });
    expect(ok.code).toBe(0);
    const other = await cli(['verify', '-', '-k', join(dir, 'key.pem'), '--app-id', '2021000000000001'], { input: JSON.stringify(params) });
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('APP_ID_MISMATCH');
  });

  it('verify --fixture replays every recorded outcome (exit 0 for ok fixtures, 1 for negative ones)', async () => {
    for (const name of ['payment-gbk', 'real-servicemarket-order-notify-v2', 'negative-duplicate-param', 'payment-rsa-sha1-not-allowed']) {
      const r = await cli(['verify', '--fixture', name, '--json']);
      const expected = loadFixture(name).expected;
      expect(r.code, name).toBe(expected.ok ? 0 : 1);
      const data = JSON.parse(r.stdout) as { ok: boolean; error?: { code: string } };
      expect(data.ok).toBe(expected.ok);
      if (!expected.ok) expect(data.error?.code).toBe(expected.code);
    }
  });
});
