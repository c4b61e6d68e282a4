/*
 * Differential testing against Alipay's official Node SDK (alipay-sdk 4.x, devDependency):
 * `checkNotifySign` (decodes values once more) and `checkNotifySignV2` (raw values).
 *
 * The SDK takes the parsed body (an object). It is fed what a typical app would give it:
 * Object.fromEntries(new URLSearchParams(rawBody)), i.e. WHATWG decoding, last value wins.
 *
 * Part 1: on well-formed notifications both agree (accept genuine, refuse tampered).
 * Part 2: every place where we deliberately differ, one named test each, with the reason.
 */
import { createPublicKey, sign as nodeSign } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifyResult } from '../../src/index.js';
import { generateTestKeys, signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { expectRejected, formEncode, rawValue, replaceSegment, type Pair } from '../adversarial/helpers.js';
import { formBody, realVector } from '../helpers/real.js';

const keys = generateTestKeys();
const APP_ID = '2021000000000001';
const sdk = new AlipaySdk({ appId: APP_ID, privateKey: keys.privateKey, keyType: 'PKCS8', alipayPublicKey: keys.publicKey });
const ours = createVerifier({ alipayPublicKey: keys.publicKey });

/** What an app hands the SDK: the WHATWG-parsed body, last value wins. */
const parsed = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));
const sign = (params: Record<string, string>, options: Partial<Parameters<typeof signNotify>[1]> = {}) =>
  signNotify(params, { privateKey: keys.privateKey, ...options });
const accepted = (result: VerifyResult) => result.ok;

describe('agreement on well-formed notifications', () => {
  // Extra params with arbitrary unicode values. Excluded on purpose (each is a named
  // difference below): empty/blank values, '%' (checkNotifySign decodes it again), and
  // '&name=' shapes (the re-split ambiguity we refuse).
  const extraKey = fc.stringMatching(/^x_[a-z0-9_]{1,14}$/);
  const extraValue = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
    .filter((v) => v.trim() !== '' && !v.includes('%') && !/&[^&=]*=/.test(v));
  const notification = fc.record({
    extra: fc.dictionary(extraKey, extraValue, { maxKeys: 6 }),
    subject: extraValue,
    amount: fc.tuple(fc.nat({ max: 99999 }), fc.nat({ max: 99 })).map(([y, f]) => `${y}.${String(f).padStart(2, '0')}`),
    signedContent: fc.constantFrom<'v1' | 'v2'>('v1', 'v2'),
  });

  it('fast-check generated notifications: both accept the genuine body and both refuse a one-value change', async () => {
    await fc.assert(
      fc.asyncProperty(notification, async ({ extra, subject, amount, signedContent }) => {
        const params = tradeNotifyParams({ ...extra, subject, total_amount: amount, receipt_amount: amount });
        const { body } = sign(params, { signedContent });
        const sdkV1 = sdk.checkNotifySign(parsed(body));
        const sdkV2 = sdk.checkNotifySignV2(parsed(body));
        const mine = await ours.verify(body);
        expect([sdkV1, sdkV2, accepted(mine)]).toEqual([true, true, true]);
        expect(mine.ok && mine.signedContent).toBe(signedContent);

        const tampered = replaceSegment(body, 'total_amount', `total_amount=${amount}1`);
        expect([sdk.checkNotifySign(parsed(tampered)), sdk.checkNotifySignV2(parsed(tampered))]).toEqual([false, false]);
        expectRejected(await ours.verify(tampered), 'SIGNATURE_INVALID');
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('the real Alipay-signed notifications: both accept them, both refuse a changed order number', async () => {
    for (const name of ['trade-status-sync.v1', 'servicemarket-order-notify.v2'] as const) {
      const fixture = realVector(name);
      const theirs = new AlipaySdk({ appId: APP_ID, privateKey: keys.privateKey, keyType: 'PKCS8', alipayPublicKey: fixture.alipayPublicKey });
      const mine = createVerifier({ alipayPublicKey: fixture.alipayPublicKey });
      const body = formBody(fixture.params);
      expect(theirs.checkNotifySignV2(parsed(body))).toBe(true);
      expect((await mine.verify(body)).ok).toBe(true);
      const key = name.startsWith('trade') ? 'out_trade_no' : 'service_code';
      const changed = replaceSegment(body, key, `${key}=${rawValue(body, key)}1`);
      expect(theirs.checkNotifySignV2(parsed(changed))).toBe(false);
      expectRejected(await mine.verify(changed), 'SIGNATURE_INVALID');
    }
  });

  it('the bare base64 key the Alipay console shows works in both', async () => {
    const bare = keys.publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const { body } = sign(tradeNotifyParams());
    const theirs = new AlipaySdk({ appId: APP_ID, privateKey: keys.privateKey, keyType: 'PKCS8', alipayPublicKey: bare });
    expect(theirs.checkNotifySignV2(parsed(body))).toBe(true);
    expect((await createVerifier({ alipayPublicKey: bare }).verify(body)).ok).toBe(true);
  });
});

describe('intentional differences from alipay-sdk', () => {
  it('duplicates: the SDK verifies the last value while a first-wins reader sees a forged one; we refuse (DUPLICATE_PARAM)', async () => {
    const { body } = sign(tradeNotifyParams({ total_amount: '88.88' }));
    const forged = `total_amount=0.01&${body}`;
    // The SDK sees only the genuine (last) amount, so the signature holds...
    expect(sdk.checkNotifySignV2(parsed(forged))).toBe(true);
    // ...while URLSearchParams#get, PHP-style first-wins code or a logger reads the forged one.
    expect(new URLSearchParams(forged).get('total_amount')).toBe('0.01');
    // Why we are right: Alipay never sends a key twice, so a duplicate is tampering, and
    // refusing it is the only answer that does not depend on which value a reader picks.
    expectRejected(await ours.verify(forged), 'DUPLICATE_PARAM');
  });

  it('downgrade: the SDK lets the body pick SHA-1 (sign_type=RSA); we keep the configured allow-list (SIGN_TYPE_NOT_ALLOWED)', async () => {
    const { body } = sign(tradeNotifyParams({ sign_type: 'RSA' }), { signType: 'RSA' });
    expect(sdk.checkNotifySignV2(parsed(body))).toBe(true);
    // Why we are right: in v1 sign_type is not signed, so whoever posts the body chooses the
    // algorithm. An app configured for RSA2 must not be moved to SHA-1 by the payload.
    expectRejected(await ours.verify(body), 'SIGN_TYPE_NOT_ALLOWED');
    expect((await createVerifier({ alipayPublicKey: keys.publicKey, signTypes: ['RSA2', 'RSA'] }).verify(body)).ok).toBe(true);
  });

  it('missing sign_type: the SDK falls back to its config; we refuse (SIGN_TYPE_NOT_ALLOWED)', async () => {
    const { params } = sign(tradeNotifyParams());
    const stripped: Record<string, string> = { ...params };
    delete stripped['sign_type'];
    expect(sdk.checkNotifySignV2(stripped)).toBe(true);
    // Why we are right: Alipay always sends sign_type; a body without it was altered, and
    // accepting it would hide the tampering. It costs genuine traffic nothing.
    expectRejected(await ours.verify(stripped), 'SIGN_TYPE_NOT_ALLOWED');
  });

  it('lower-case "rsa2": the SDK throws a TypeError; we return SIGN_TYPE_NOT_ALLOWED', async () => {
    const { params } = sign(tradeNotifyParams());
    expect(() => sdk.checkNotifySignV2({ ...params, sign_type: 'rsa2' })).toThrow(TypeError);
    // Why we are right: a notify endpoint must never throw on attacker input (a 500 makes
    // Alipay retry and can leak stack traces); verify resolves with a typed error.
    expectRejected(await ours.verify({ ...params, sign_type: 'rsa2' }), 'SIGN_TYPE_NOT_ALLOWED');
  });

  it('"%" in values: checkNotifySign throws on "100%" and mis-verifies "%41"; we decode exactly once (and agree with checkNotifySignV2)', async () => {
    const percent = sign(tradeNotifyParams({ passback_params: '100%' }));
    expect(() => sdk.checkNotifySign(parsed(percent.body))).toThrow(URIError);
    expect(sdk.checkNotifySignV2(parsed(percent.body))).toBe(true);
    expect((await ours.verify(percent.body)).ok).toBe(true);

    const escaped = sign(tradeNotifyParams({ passback_params: 'merchantBizType%3d3C%26x%41' }));
    expect(sdk.checkNotifySign(parsed(escaped.body))).toBe(false);
    expect(sdk.checkNotifySignV2(parsed(escaped.body))).toBe(true);
    // Why we are right: Alipay signs the form-decoded value; decoding it a second time
    // (alipay-sdk-nodejs-all#45) changes what is verified and throws on a literal '%'.
    const result = await ours.verify(escaped.body);
    expect(result.ok && result.params['passback_params']).toBe('merchantBizType%3d3C%26x%41');
  });

  it('GBK: the SDK verifies over UTF-8 and refuses every GBK notification with Chinese text; we verify the received GBK bytes', async () => {
    const { body, params } = sign(tradeNotifyParams({ subject: '语雀空间 会员', body: '中文描述' }), { charset: 'gbk' });
    expect(sdk.checkNotifySignV2(parsed(body))).toBe(false);
    // Even handed the correctly decoded text, it re-encodes it as UTF-8.
    expect(sdk.checkNotifySignV2(params)).toBe(false);
    // Why we are right: Alipay signs content.getBytes(charset) with the notification's own
    // charset (protocol.md §3.2); GBK notifications still occur.
    const result = await ours.verify(body);
    expect(result.ok && result.params['subject']).toBe('语雀空间 会员');
  });

  it('PKCS#1 keys ("BEGIN RSA PUBLIC KEY"): the SDK relabels them as SPKI and throws; we accept them', async () => {
    const pkcs1 = createPublicKey(keys.publicKey).export({ type: 'pkcs1', format: 'pem' }) as string;
    const theirs = new AlipaySdk({ appId: APP_ID, privateKey: keys.privateKey, keyType: 'PKCS8', alipayPublicKey: pkcs1 });
    const { body } = sign(tradeNotifyParams());
    expect(() => theirs.checkNotifySignV2(parsed(body))).toThrow();
    // Why we are right: it is the same RSA key in another standard container (openssl rsa
    // -RSAPublicKey_out produces it); nothing is gained by refusing it.
    expect((await createVerifier({ alipayPublicKey: pkcs1 }).verify(body)).ok).toBe(true);
  });

  it('empty values: the SDK only knows the form that keeps them; we also verify the Java form that skips them', async () => {
    const params = tradeNotifyParams({ out_biz_no: '', passback_params: '' });
    const java = sign(params, { emptyValues: 'skip' });
    expect(sdk.checkNotifySignV2(parsed(java.body))).toBe(false);
    // Why we are right: Alipay's Java signer skips empty values (StringUtils.areNotEmpty,
    // protocol.md §3.2), and the empty params never reach `params`: nothing unsigned leaks.
    const result = await ours.verify(java.body);
    expect(result.ok && 'out_biz_no' in result.params).toBe(false);
    // The form that keeps them: both accept.
    const kept = sign(params, { emptyValues: 'keep' });
    expect(sdk.checkNotifySignV2(parsed(kept.body))).toBe(true);
    expect((await ours.verify(kept.body)).ok).toBe(true);
  });

  it('re-split parameters: the SDK accepts a signed param merged into its neighbour; we refuse (BODY_MALFORMED)', async () => {
    const { body } = sign(tradeNotifyParams({ total_amount: '88.88' }));
    const merged = replaceSegment(body, 'subject', `subject=${rawValue(body, 'subject')}%26total_amount%3D88.88`).replace('&total_amount=88.88', '');
    const theirs = parsed(merged);
    expect(sdk.checkNotifySignV2(theirs)).toBe(true);
    expect(theirs['total_amount']).toBeUndefined();
    // Why we are right: the signed string has no escaping, so the same bytes read as other
    // params (here: no total_amount at all). Accepting would hand the app params Alipay did not send.
    expectRejected(await ours.verify(merged), 'BODY_MALFORMED');
  });

  it('signature encoding: the SDK accepts a sign with line breaks or URL-safe characters; we require strict base64 (SIGN_MALFORMED)', async () => {
    const { params } = sign(tradeNotifyParams());
    const wrapped = params['sign']!.replace(/(.{64})/g, '$1\n');
    const urlSafe = params['sign']!.replace(/\+/g, '-').replace(/\//g, '_');
    expect(sdk.checkNotifySignV2({ ...params, sign: wrapped })).toBe(true);
    expect(sdk.checkNotifySignV2({ ...params, sign: urlSafe })).toBe(true);
    // Why we are right: Alipay sends standard base64. A lenient decoder makes one signature
    // many strings (malleability: dedup keyed on sign breaks) and hides a mangled body.
    expectRejected(await ours.verify({ ...params, sign: wrapped }), 'SIGN_MALFORMED');
    expectRejected(await ours.verify({ ...params, sign: urlSafe }), 'SIGN_MALFORMED');
  });

  it('NUL: the SDK verifies a signed value containing %00; we refuse it (BODY_MALFORMED)', async () => {
    const { body } = sign(tradeNotifyParams({ passback_params: 'a\u0000b' }));
    expect(rawValue(body, 'passback_params')).toBe('a%00b');
    expect(sdk.checkNotifySignV2(parsed(body))).toBe(true);
    // Why we are right: Alipay never sends NUL, and a NUL truncates strings in C-based
    // consumers downstream (database drivers, log pipelines), so the app and its storage
    // could disagree on a value that was "verified".
    expectRejected(await ours.verify(body), 'BODY_MALFORMED');
  });

  it('a v1 string signed with an unusual sort: both refuse (control for the signer used above)', async () => {
    // A body signed over pairs in received (unsorted) order: neither verifier accepts it.
    const pairs = Object.entries(tradeNotifyParams()) as Pair[];
    const content = pairs.filter(([k]) => k !== 'sign_type').map(([k, v]) => `${k}=${v}`).join('&');
    const signature = nodeSign('sha256', Buffer.from(content), keys.privateKey).toString('base64');
    const body = formEncode([...pairs, ['sign', signature]]);
    expect(sdk.checkNotifySignV2(parsed(body))).toBe(false);
    expectRejected(await ours.verify(body), 'SIGNATURE_INVALID');
  });
});
