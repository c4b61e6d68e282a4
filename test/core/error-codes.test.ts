import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULT_HINTS, NOTIFY_ERROR_CODES, type NotifyErrorCode, type VerifierOptions } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys, appKeys } from '../helpers/keys.js';

const seen = new Set<NotifyErrorCode>();

async function expectCode(body: unknown, code: NotifyErrorCode, options: Partial<VerifierOptions> = {}): Promise<string> {
  const verifier = createVerifier({ alipayPublicKey: alipayKeys().publicKey, ...options });
  const result = await verifier.verify(body as string);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('accepted');
  expect(result.error.code).toBe(code);
  expect(result.error.name).toBe('NotifyError');
  expect(result.error).toBeInstanceOf(Error);
  seen.add(code);
  return result.error.hint;
}

const signed = (overrides: Record<string, string> = {}, opts: Partial<Parameters<typeof signNotify>[1]> = {}) =>
  signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey, ...opts });

describe('every error code, with its hint', () => {
  it('BODY_EMPTY mentions the malformed Content-Type', async () => {
    for (const body of ['', new Uint8Array(0), {}, undefined, null]) {
      const hint = await expectCode(body, 'BODY_EMPTY');
      expect(hint).toContain('application/x-www-form-urlencoded; text/html; charset=UTF-8');
      expect(hint).toMatch(/raw request body/);
    }
  });

  it('BODY_TOO_LARGE is checked before parsing', async () => {
    const hint = await expectCode('a=1&'.repeat(20_000), 'BODY_TOO_LARGE');
    expect(hint).toMatch(/maxBodyBytes/);
    await expectCode(signed().body, 'BODY_TOO_LARGE', { maxBodyBytes: 100 });
    const flood = Array.from({ length: 300 }, (_, i) => `k${i}=v`).join('&');
    expect(await expectCode(flood, 'BODY_TOO_LARGE')).toMatch(/parameter flood/);
  });

  it('BODY_MALFORMED for broken escapes, empty keys, missing "=", non-string values', async () => {
    for (const body of ['a=%zz&sign=x', '=1&sign=x', 'a&sign=x', 'a=1&&b=2', 'a=1&', 'a=%4', 'a=%00', 'a=1\n']) {
      expect(await expectCode(body, 'BODY_MALFORMED')).toMatch(/raw body/);
    }
    const hint = await expectCode({ a: { nested: '1' } }, 'BODY_MALFORMED');
    expect(hint).toMatch(/Pass the raw body/);
    await expectCode(42, 'BODY_MALFORMED');
  });

  it('DUPLICATE_PARAM even when both values are equal', async () => {
    const { body } = signed();
    expect(await expectCode(`${body}&total_amount=88.88`, 'DUPLICATE_PARAM')).toMatch(/duplicates/);
    await expectCode(`total_amount=0.01&${body}`, 'DUPLICATE_PARAM');
    await expectCode(new URLSearchParams(`${body}&app_id=2021000000000001`), 'DUPLICATE_PARAM');
  });

  it('CHARSET_UNSUPPORTED lists the supported charsets', async () => {
    const hint = await expectCode(signed({ charset: 'big5' }).body, 'CHARSET_UNSUPPORTED');
    expect(hint).toContain('utf-8, gbk, gb2312, gb18030');
  });

  it('SIGN_MISSING when sign is absent or empty', async () => {
    const body = signed().body.replace(/&sign=[^&]*/, '');
    expect(await expectCode(body, 'SIGN_MISSING')).toMatch(/full raw body/);
    await expectCode(`${body}&sign=`, 'SIGN_MISSING');
  });

  it('SIGN_MALFORMED names "+" turned into a space', async () => {
    const { body, params } = signed();
    const sign = params['sign']!;
    const spaced = body.replace(/&sign=[^&]*/, `&sign=${encodeURIComponent(sign.replace(/\+/g, ' ').replace(/\//g, ' '))}`);
    expect(await expectCode(spaced, 'SIGN_MALFORMED')).toMatch(/"\+" was turned into a space/);
    const urlSafe = body.replace(/&sign=[^&]*/, `&sign=${sign.replace(/\+/g, '-').replace(/\//g, '_')}`);
    expect(await expectCode(urlSafe, 'SIGN_MALFORMED')).toMatch(/outside standard base64/);
    const short = body.replace(/&sign=[^&]*/, `&sign=${encodeURIComponent(sign.slice(4))}`);
    expect(await expectCode(short, 'SIGN_MALFORMED')).toMatch(/truncated/);
  });

  it('SIGN_TYPE_NOT_ALLOWED: the payload cannot widen the allow-list', async () => {
    const rsa = signed({}, { signType: 'RSA' });
    expect(await expectCode(rsa.body, 'SIGN_TYPE_NOT_ALLOWED')).toMatch(/RSA is SHA-1/);
    expect(await expectCode(signed({ sign_type: 'rsa2' }).body.replace('sign_type=RSA2', 'sign_type=rsa2'), 'SIGN_TYPE_NOT_ALLOWED')).toMatch(/case-sensitive/);
    const missing = signed().body.replace('&sign_type=RSA2', '');
    expect(await expectCode(missing, 'SIGN_TYPE_NOT_ALLOWED')).toMatch(/always sends sign_type/);
  });

  it('KEY_NOT_FOUND names the app id when the provider has no key', async () => {
    const hint = await expectCode(signed({ app_id: '2021000000000777' }).body, 'KEY_NOT_FOUND', {
      alipayPublicKey: undefined,
      keyProvider: () => undefined,
    });
    expect(hint).toContain('2021000000000777');
    expect(hint).toContain('RSA2');
  });

  it('SIGNATURE_INVALID says 应用公钥 vs 支付宝公钥 and raw body', async () => {
    const hint = await expectCode(signed().body, 'SIGNATURE_INVALID', { alipayPublicKey: appKeys().publicKey });
    expect(hint).toContain('应用公钥');
    expect(hint).toContain('支付宝公钥');
    expect(hint).toMatch(/raw body/);
  });

  it('APP_ID_MISMATCH and SELLER_ID_MISMATCH only after the signature holds', async () => {
    const { body } = signed();
    expect(await expectCode(body, 'APP_ID_MISMATCH', { appId: '2021999999999999' })).toMatch(/sandbox vs production/);
    expect(await expectCode(body, 'SELLER_ID_MISMATCH', { sellerId: ['2088999999999999'] })).toMatch(/seller_id/);
    // A forged body with a wrong app id is a signature problem first.
    await expectCode(body.replace('app_id=2021000000000001', 'app_id=2021000000000002'), 'SIGNATURE_INVALID', { appId: '2021999999999999' });
  });

  it('FIELD_INVALID for a signed amount or time with a bad format', async () => {
    expect(await expectCode(signed({ total_amount: 'abc' }).body, 'FIELD_INVALID')).toMatch(/signature is valid/);
    await expectCode(signed({ total_amount: '1.234' }).body, 'FIELD_INVALID');
    await expectCode(signed({ gmt_payment: '2024-02-30 10:00:00' }).body, 'FIELD_INVALID');
    await expectCode(signed({ notify_time: '2024/01/01 10:00:00' }).body, 'FIELD_INVALID');
  });

  it('CERT_INVALID, CERT_UNTRUSTED and CERT_EXPIRED for certificates a key provider returns', async () => {
    // Configured through alipayPublicCert, the same problems are TypeErrors at createVerifier
    // (test/keys/verifier-certs.test.ts); a provider's certificates are only seen at verify time.
    const cert = (name: string) => readFileSync(new URL(`../../fixtures/real/certs/${name}`, import.meta.url), 'utf8');
    const provided = (value: string, extra: Partial<VerifierOptions> = {}) => ({ alipayPublicKey: undefined, keyProvider: () => value, ...extra });
    const { body } = signed();
    expect(await expectCode(body, 'CERT_INVALID', provided('-----BEGIN CERTIFICATE-----\nMIIBxx==\n-----END CERTIFICATE-----'))).toMatch(/alipayCertPublicKey_RSA2\.crt/);
    // The real Alipay certificate: its issuing CA is not in the real root bundle, and it expired in 2022.
    const untrusted = await expectCode(body, 'CERT_UNTRUSTED', provided(cert('alipayCertPublicKey_RSA2.crt'), { alipayRootCert: cert('alipayRootCert.crt') }));
    expect(untrusted).toMatch(/same download/);
    const expired = await expectCode(body, 'CERT_EXPIRED', provided(cert('alipayCertPublicKey_RSA2.crt')));
    expect(expired).toContain('7513daaaa48aa3ba2e4018d84402479c');
    expect(expired).toContain('2022-05-14');
  });

  it('covered every error code, and every code has a default hint', () => {
    expect([...seen].sort()).toEqual([...NOTIFY_ERROR_CODES].sort());
    for (const code of NOTIFY_ERROR_CODES) expect(DEFAULT_HINTS[code].length).toBeGreaterThan(20);
  });
});
