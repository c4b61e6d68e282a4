/*
 * Error messages and hints end up in logs. For a sample of failures, none of them may contain
 * the sign value, key material, or payload values (amounts, subject, order numbers, buyer).
 */
import { describe, expect, it } from 'vitest';
import { createVerifier, type NotifyError, type NotifyErrorCode } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { expectNoLeak, expectRejected, keys, keySlices, rawValue, replaceSegment } from './helpers.js';

const { alipay, app } = keys();
const secretParams = tradeNotifyParams({
  out_trade_no: 'ORDER-SECRET-5531',
  total_amount: '73519.42',
  receipt_amount: '73519.42',
  subject: '机密商品 Secret-Subject-7781',
  body: 'Body-Secret-4410',
  buyer_logon_id: 'leak***@example.com',
  passback_params: 'passback-secret-9902',
});
const { body, params } = signNotify(secretParams, { privateKey: alipay.privateKey });
const sign = params['sign']!;

const secrets = [
  sign,
  sign.slice(100, 124),
  ...keySlices(alipay.publicKey),
  ...keySlices(alipay.privateKey),
  ...keySlices(app.publicKey),
  ...keySlices(app.privateKey),
  '73519.42',
  '机密商品',
  'Secret-Subject-7781',
  'Body-Secret-4410',
  'ORDER-SECRET-5531',
  'leak***@example.com',
  'passback-secret-9902',
  params['notify_id']!,
  params['trade_no']!,
  params['buyer_id']!,
];

const verifier = createVerifier({ alipayPublicKey: alipay.publicKey });
const wrongKey = createVerifier({ alipayPublicKey: app.publicKey });
const pinned = createVerifier({ alipayPublicKey: alipay.publicKey, appId: '2021000000000999', sellerId: '2088000000000002' });
const pinnedSeller = createVerifier({ alipayPublicKey: alipay.publicKey, sellerId: '2088000000000999' });

const cases: Array<[string, NotifyErrorCode, () => Promise<NotifyError>]> = [
  ['wrong key', 'SIGNATURE_INVALID', async () => expectRejected(await wrongKey.verify(body), 'SIGNATURE_INVALID')],
  ['tampered amount', 'SIGNATURE_INVALID', async () => expectRejected(await verifier.verify(replaceSegment(body, 'total_amount', 'total_amount=73519.43')), 'SIGNATURE_INVALID')],
  ['duplicate amount', 'DUPLICATE_PARAM', async () => expectRejected(await verifier.verify(`total_amount=73519.42&${body}`), 'DUPLICATE_PARAM')],
  ['"+" turned into space', 'SIGN_MALFORMED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'sign', `sign=${rawValue(body, 'sign').replace(/%2B/g, '+').replace(/%2F/g, '+')}`)), 'SIGN_MALFORMED')],
  ['URL-safe sign', 'SIGN_MALFORMED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'sign', `sign=${encodeURIComponent(sign.replace(/[+/]/g, '-'))}`)), 'SIGN_MALFORMED')],
  ['truncated sign', 'SIGN_MALFORMED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'sign', `sign=${encodeURIComponent(sign.slice(0, -4))}`)), 'SIGN_MALFORMED')],
  ['downgrade', 'SIGN_TYPE_NOT_ALLOWED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'sign_type', 'sign_type=RSA')), 'SIGN_TYPE_NOT_ALLOWED')],
  ['bad escape in subject', 'BODY_MALFORMED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'subject', 'subject=Secret-Subject-7781%zz')), 'BODY_MALFORMED')],
  ['invalid UTF-8 in subject', 'BODY_MALFORMED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'subject', 'subject=Secret-Subject-7781%FF')), 'BODY_MALFORMED')],
  ['merged amount', 'BODY_MALFORMED', async () => {
    const merged = replaceSegment(body, 'subject', `subject=${rawValue(body, 'subject')}%26total_amount%3D73519.42`).replace('&total_amount=73519.42', '');
    return expectRejected(await verifier.verify(merged), 'BODY_MALFORMED');
  }],
  ['charset lie', 'CHARSET_UNSUPPORTED', async () => expectRejected(await verifier.verify(replaceSegment(body, 'charset', 'charset=Secret-Charset-1234')), 'CHARSET_UNSUPPORTED')],
  ['another app', 'APP_ID_MISMATCH', async () => expectRejected(await pinned.verify(body), 'APP_ID_MISMATCH')],
  ['another seller', 'SELLER_ID_MISMATCH', async () => expectRejected(await pinnedSeller.verify(body), 'SELLER_ID_MISMATCH')],
  ['invalid amount format', 'FIELD_INVALID', async () => {
    const bad = signNotify({ ...secretParams, total_amount: 'Amount-Secret-6620' }, { privateKey: alipay.privateKey });
    const error = expectRejected(await verifier.verify(bad.body), 'FIELD_INVALID');
    expectNoLeak(error, ['Amount-Secret-6620', bad.params['sign']!]);
    return error;
  }],
  ['no sign', 'SIGN_MISSING', async () => expectRejected(await verifier.verify(body.replace(/&sign=[^&]*/, '')), 'SIGN_MISSING')],
  ['too large', 'BODY_TOO_LARGE', async () => expectRejected(await verifier.verify(`${body}&pad=${'x'.repeat(70_000)}`), 'BODY_TOO_LARGE')],
  ['keyProvider returns a private key', 'KEY_NOT_FOUND', async () => {
    const provider = createVerifier({ keyProvider: () => app.privateKey });
    return expectRejected(await provider.verify(body), 'KEY_NOT_FOUND');
  }],
];

describe('messages and hints never contain the sign, key material or payload values', () => {
  it.each(cases)('%s (%s)', async (_name, code, run) => {
    const error = await run();
    expect(error.code).toBe(code);
    expectNoLeak(error, secrets);
  });
});

describe('the leak check itself', () => {
  it('catches a value in a message or a hint', async () => {
    const { NotifyError } = await import('../../src/index.js');
    expect(() => expectNoLeak(new NotifyError('BODY_MALFORMED', 'amount 73519.42 is odd'), secrets)).toThrow();
    expect(() => expectNoLeak(new NotifyError('BODY_MALFORMED', 'x', { hint: `sign ${sign.slice(100, 124)}` }), secrets)).toThrow();
    // Any 24 characters of any key, at any offset (here: the private key a provider returned).
    const b64 = app.privateKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    expect(() => expectNoLeak(new NotifyError('KEY_NOT_FOUND', 'x', { hint: `key ${b64.slice(203, 227)}` }), secrets)).toThrow();
  });
});
