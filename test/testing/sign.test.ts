import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { createVerifier, parseNotifyBody } from '../../src/index.js';
import {
  encodeGbk,
  formEncodeBytes,
  generateTestKeys,
  refundNotifyParams,
  serializeForm,
  signNotify,
  tradeNotifyParams,
} from '../../src/testing/index.js';

const keys = generateTestKeys();

/** The official SDK, configured the way a merchant would, with the TEST key as "Alipay public key". */
function officialSdk(): AlipaySdk {
  return new AlipaySdk({
    appId: '2021000000000001',
    privateKey: keys.privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: keys.publicKey,
  });
}

/** A merchant's parsed body: what Express/Koa hand to checkNotifySignV2. */
function parsed(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

describe('official alipay-sdk accepts signNotify bodies (the kit cannot drift from Alipay format)', () => {
  it('checkNotifySignV2 accepts a UTF-8, RSA2, v1 body', () => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: keys.privateKey });
    expect(officialSdk().checkNotifySignV2(parsed(body))).toBe(true);
  });

  it('accepts refund bodies (gmt_refund with milliseconds, JSON fund_bill_list) and v2 bodies', () => {
    const sdk = officialSdk();
    expect(sdk.checkNotifySignV2(parsed(signNotify(refundNotifyParams(), { privateKey: keys.privateKey }).body))).toBe(true);
    const v2 = signNotify(tradeNotifyParams(), { privateKey: keys.privateKey, signedContent: 'v2' });
    expect(sdk.checkNotifySignV2(parsed(v2.body))).toBe(true);
  });

  it('accepts values with "+", "%", "&", "=" and CJK (encoded once, as Alipay does)', () => {
    const params = tradeNotifyParams({ subject: 'A+B 100% & =更多=', passback_params: 'merchantBizType%3d3C%26a%3Db' });
    expect(officialSdk().checkNotifySignV2(parsed(signNotify(params, { privateKey: keys.privateKey }).body))).toBe(true);
  });

  it('rejects a tampered body (the check is not vacuous)', () => {
    const { body } = signNotify(tradeNotifyParams({ total_amount: '88.88' }), { privateKey: keys.privateKey });
    expect(officialSdk().checkNotifySignV2(parsed(body.replace('total_amount=88.88', 'total_amount=0.01')))).toBe(false);
  });
});

describe('signNotify serialisation', () => {
  it('encodes like Java URLEncoder: space as +, * kept, ~ ( ) escaped, uppercase hex', () => {
    const { body } = signNotify({ subject: 'a b*c~(d)é', app_id: '1' }, { privateKey: keys.privateKey });
    expect(body.startsWith('subject=a+b*c%7E%28d%29%C3%A9&app_id=1&sign_type=RSA2&charset=utf-8&sign=')).toBe(true);
  });

  it('UTF-8: qs (WHATWG format) is byte-identical to the Java-style byte encoder', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary' }), { maxKeys: 5 }), (params) => {
        const wellFormed = Object.entries(params).filter(([k]) => k !== '__proto__');
        const viaQs = serializeForm(Object.fromEntries(wellFormed));
        const enc = new TextEncoder();
        const viaBytes = wellFormed.map(([k, v]) => `${formEncodeBytes(enc.encode(k))}=${formEncodeBytes(enc.encode(v))}`).join('&');
        expect(viaQs).toBe(viaBytes);
      }),
    );
  });

  it('GBK: percent-bytes of the GBK encoding', () => {
    expect(serializeForm({ subject: '中文 GBK' }, 'gbk')).toBe(`subject=${formEncodeBytes(encodeGbk('中文'))}+GBK`);
    expect(serializeForm({ subject: '中文' }, 'gbk')).toBe('subject=%D6%D0%CE%C4');
  });

  it('a UTF-8 body parses back to the same params with qs (what Express extended parsing uses)', () => {
    const { body, params } = signNotify(tradeNotifyParams({ subject: 'x+y z' }), { privateKey: keys.privateKey });
    expect(qs.parse(body)).toEqual(params);
  });

  it('GBK bodies verify with the library (the official SDK is UTF-8 only)', async () => {
    const { body } = signNotify(tradeNotifyParams({ subject: '测试商品：中文', body: '全角，标点' }), {
      privateKey: keys.privateKey,
      charset: 'gbk',
    });
    const result = await createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.notify.raw['subject']).toBe('测试商品：中文');
  });

  it.each([
    [' GB2312 ', 'gbk'],
    ['GB18030', 'gbk'],
    ['gbk', 'gbk'],
    ['UTF8', 'utf-8'],
    ['latin1', 'utf-8'],
  ] as const)('a declared charset %j is kept and signs in its family (%s); unknown labels sign in UTF-8', async (label, family) => {
    const { body, params } = signNotify(tradeNotifyParams({ charset: label, subject: '中文' }), { privateKey: keys.privateKey });
    expect(params['charset']).toBe(label);
    expect(body).toContain(`subject=${formEncodeBytes(family === 'gbk' ? encodeGbk('中文') : new TextEncoder().encode('中文'))}&`);
    if (family === 'gbk') expect((await createVerifier({ alipayPublicKey: keys.publicKey }).verify(body)).ok).toBe(true);
  });

  it('params come back with sign last and every key in the body once', () => {
    const { body, params } = signNotify(tradeNotifyParams(), { privateKey: keys.privateKey });
    const result = parseNotifyBody(body);
    if (!result.ok) throw result.error;
    expect(result.body.params.map((p) => p.key)).toEqual(Object.keys(params));
    expect(Object.keys(params).at(-1)).toBe('sign');
  });
});
