/*
 * Attacks on the signature and what it binds: algorithm choice, sign-string rule, the sign
 * value itself, and genuine signatures used where they do not belong.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifySuccess } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { formBody, realVector } from '../helpers/real.js';
import { expectRejected, keys, rawValue, replaceSegment } from './helpers.js';

const { alipay, app } = keys();
const verifier = createVerifier({ alipayPublicKey: alipay.publicKey });
const bothTypes = createVerifier({ alipayPublicKey: alipay.publicKey, signTypes: ['RSA2', 'RSA'] });
const v1 = realVector('trade-status-sync.v1');
const v2 = realVector('servicemarket-order-notify.v2');
const v1Verifier = createVerifier({ alipayPublicKey: v1.alipayPublicKey });
const v2Verifier = createVerifier({ alipayPublicKey: v2.alipayPublicKey, signTypes: ['RSA2', 'RSA'] });

const params = (overrides: Record<string, string> = {}) =>
  tradeNotifyParams({ out_trade_no: 'ORDER-ADV-0002', total_amount: '88.88', ...overrides });
const signed = (overrides: Record<string, string> = {}, options: Partial<Parameters<typeof signNotify>[1]> = {}) =>
  signNotify(params(overrides), { privateKey: alipay.privateKey, ...options });

/** A signed body whose sign contains '+' and '/' (so the tests below always have them to mangle). */
function signedWithPlusAndSlash(): ReturnType<typeof signNotify> {
  for (let i = 0; ; i++) {
    const s = signed({ out_trade_no: `ORDER-ADV-PLUS-${i}` });
    const sign = s.params['sign']!;
    if (sign.includes('+') && sign.includes('/') && sign.indexOf('+') < 300 && sign.endsWith('==')) return s;
  }
}

async function expectOk(body: Parameters<typeof verifier.verify>[0], v = verifier): Promise<VerifySuccess> {
  const result = await v.verify(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Replaces the raw sign segment with the given (already encoded) value. */
const withSign = (body: string, encoded: string) => replaceSegment(body, 'sign', `sign=${encoded}`);

describe('sign_type downgrade RSA2 -> RSA', () => {
  it('a notification really signed with SHA-1 by the right key is SIGN_TYPE_NOT_ALLOWED under the default signTypes', async () => {
    const { body } = signed({ sign_type: 'RSA' }, { signType: 'RSA' });
    // Control: it is genuine, and verifies when RSA is explicitly allowed.
    expect((await expectOk(body, bothTypes)).signType).toBe('RSA');
    const error = expectRejected(await verifier.verify(body), 'SIGN_TYPE_NOT_ALLOWED');
    expect(error.hint).toContain('RSA');
    expect(error.hint).toContain('signTypes');
  });

  it('flipping sign_type of the real RSA2 notification to RSA is SIGN_TYPE_NOT_ALLOWED', async () => {
    expectRejected(await v1Verifier.verify(replaceSegment(formBody(v1.params), 'sign_type', 'sign_type=RSA')), 'SIGN_TYPE_NOT_ALLOWED');
  });

  it('flipping sign_type RSA2 -> RSA when both are allowed is SIGNATURE_INVALID (SHA-1 never verifies a SHA-256 signature)', async () => {
    const { body } = signed();
    expectRejected(await bothTypes.verify(replaceSegment(body, 'sign_type', 'sign_type=RSA')), 'SIGNATURE_INVALID');
  });

  it('flipping sign_type RSA -> RSA2 on a SHA-1 notification is SIGNATURE_INVALID', async () => {
    const { body } = signed({ sign_type: 'RSA' }, { signType: 'RSA' });
    expectRejected(await bothTypes.verify(replaceSegment(body, 'sign_type', 'sign_type=RSA2')), 'SIGNATURE_INVALID');
  });

  it('an RSA2 notification when only RSA is configured is SIGN_TYPE_NOT_ALLOWED (the payload never widens the list)', async () => {
    const rsaOnly = createVerifier({ alipayPublicKey: alipay.publicKey, signTypes: ['RSA'] });
    expectRejected(await rsaOnly.verify(signed().body), 'SIGN_TYPE_NOT_ALLOWED');
  });
});

describe('sign_type missing or not exactly "RSA2"/"RSA"', () => {
  const dropSignType = (body: string) =>
    body
      .split('&')
      .filter((p) => !p.startsWith('sign_type='))
      .join('&');

  it('a missing sign_type is SIGN_TYPE_NOT_ALLOWED, even when both types are allowed', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(dropSignType(body)), 'SIGN_TYPE_NOT_ALLOWED');
    expectRejected(await bothTypes.verify(dropSignType(body)), 'SIGN_TYPE_NOT_ALLOWED');
    expectRejected(await v1Verifier.verify(dropSignType(formBody(v1.params))), 'SIGN_TYPE_NOT_ALLOWED');
  });

  it('lower-case "rsa2" is SIGN_TYPE_NOT_ALLOWED with a hint that it is case-sensitive', async () => {
    const { body } = signed();
    const error = expectRejected(await verifier.verify(replaceSegment(body, 'sign_type', 'sign_type=rsa2')), 'SIGN_TYPE_NOT_ALLOWED');
    expect(error.hint).toMatch(/case-sensitive/);
  });

  it.each(['Rsa2', 'rsa', 'RSA2%20', '%20RSA2', 'RSA2%00', 'RSA256', 'SM2', 'HMAC-SHA256', 'none', ''])(
    'sign_type=%s is SIGN_TYPE_NOT_ALLOWED (or BODY_MALFORMED for a NUL)',
    async (value) => {
      const { body } = signed();
      const result = await bothTypes.verify(replaceSegment(body, 'sign_type', `sign_type=${value}`));
      expectRejected(result, value.includes('%00') ? 'BODY_MALFORMED' : 'SIGN_TYPE_NOT_ALLOWED');
    },
  );
});

describe('v1/v2 confusion', () => {
  it('each real notification verifies under its own rule only', async () => {
    expect((await expectOk(formBody(v1.params), v1Verifier)).signedContent).toBe('v1');
    expect((await expectOk(formBody(v2.params), v2Verifier)).signedContent).toBe('v2');
  });

  it('sign_type of a v2 notification is signed: flipping it is SIGNATURE_INVALID even with both types allowed', async () => {
    expectRejected(await v2Verifier.verify(replaceSegment(formBody(v2.params), 'sign_type', 'sign_type=RSA')), 'SIGNATURE_INVALID');
    const { body } = signed({}, { signedContent: 'v2' });
    expect((await expectOk(body, bothTypes)).signedContent).toBe('v2');
    expectRejected(await bothTypes.verify(replaceSegment(body, 'sign_type', 'sign_type=RSA')), 'SIGNATURE_INVALID');
  });

  it('moving the signed "sign_type=RSA2" of a v2 notification into a value, so its v1 string equals the v2 one, is BODY_MALFORMED', async () => {
    // v2 string: "...&service_code=58621634&sign_type=RSA2&timestamp=...". With service_code set to
    // "58621634&sign_type=RSA2" and sign_type still present, the v1 string is byte-identical.
    const body = formBody(v2.params);
    const smuggled = replaceSegment(body, 'service_code', `service_code=${rawValue(body, 'service_code')}%26sign_type%3DRSA2`);
    expectRejected(await v2Verifier.verify(smuggled), 'BODY_MALFORMED');
    // Without the sign_type param it has no algorithm at all.
    const stripped = smuggled
      .split('&')
      .filter((p) => !p.startsWith('sign_type='))
      .join('&');
    expectRejected(await v2Verifier.verify(stripped), 'SIGN_TYPE_NOT_ALLOWED');
  });

  it('a v2 notification stripped of its signed sign_type is SIGN_TYPE_NOT_ALLOWED, and is not re-read as v1', async () => {
    const { body } = signed({}, { signedContent: 'v2' });
    const stripped = body
      .split('&')
      .filter((p) => !p.startsWith('sign_type='))
      .join('&');
    expectRejected(await bothTypes.verify(stripped), 'SIGN_TYPE_NOT_ALLOWED');
    // A v1 notification given a second sign_type to force a v2 reading: DUPLICATE_PARAM.
    expectRejected(await verifier.verify(`sign_type=RSA2&${signed().body}`), 'DUPLICATE_PARAM');
  });
});

describe('"+" in sign turned into a space', () => {
  it('a body decoded once too often (%2B -> + -> space) is SIGN_MALFORMED with the "+" hint', async () => {
    const { body } = signedWithPlusAndSlash();
    const mangled = withSign(body, rawValue(body, 'sign').replace(/%2B/g, '+'));
    const error = expectRejected(await verifier.verify(mangled), 'SIGN_MALFORMED');
    expect(error.hint).toMatch(/"\+" was turned into a space/);
  });

  it('the same in object and URLSearchParams input is SIGN_MALFORMED', async () => {
    const s = signedWithPlusAndSlash();
    const spaced = s.params['sign']!.replace(/\+/g, ' ');
    expectRejected(await verifier.verify({ ...s.params, sign: spaced }), 'SIGN_MALFORMED');
    expectRejected(await verifier.verify(new URLSearchParams({ ...s.params, sign: spaced })), 'SIGN_MALFORMED');
  });
});

describe('malformed signatures: whitespace, length, alphabet', () => {
  const s = signedWithPlusAndSlash();
  const sign = s.params['sign']!;
  const encode = (value: string) => encodeURIComponent(value);

  it.each([
    ['line breaks every 64 chars (PEM style)', () => encode(sign.replace(/(.{64})/g, '$1\n')), /whitespace/],
    ['a space in the middle', () => encode(`${sign.slice(0, 100)} ${sign.slice(100)}`), /space/],
    ['a tab', () => encode(`${sign.slice(0, 100)}\t${sign.slice(100)}`), /whitespace/],
    ['a trailing space (raw "+")', () => `${encode(sign)}+`, /space/],
    ['a leading CRLF', () => encode(`\r\n${sign}`), /whitespace/],
  ])('%s is SIGN_MALFORMED', async (_name, value, hint) => {
    const error = expectRejected(await verifier.verify(withSign(s.body, value())), 'SIGN_MALFORMED');
    expect(error.hint).toMatch(hint);
  });

  it.each([
    ['truncated by 4 chars (still base64, 3 bytes short)', () => sign.slice(0, -8) + sign.slice(-4)],
    ['truncated by 1 char', () => sign.slice(0, -1)],
    ['padding stripped', () => sign.replace(/=+$/, '')],
    ['4 chars appended', () => `${sign}AAAA`],
    ['twice the signature', () => sign + sign],
    ['a 1024-bit signature for a 2048-bit key', () => Buffer.alloc(128, 7).toString('base64')],
    ['a single byte', () => 'AA=='],
  ])('wrong length: %s is SIGN_MALFORMED', async (_name, value) => {
    expectRejected(await verifier.verify(withSign(s.body, encode(value()))), 'SIGN_MALFORMED');
  });

  it.each([
    ['URL-safe alphabet (- and _)', () => sign.replace(/\+/g, '-').replace(/\//g, '_'), /URL-safe/],
    ['an exclamation mark', () => `!${sign.slice(1)}`, /outside standard base64/],
    ['a dot', () => `${sign.slice(0, 10)}.${sign.slice(11)}`, /outside standard base64/],
    ['a non-ASCII letter', () => `é${sign.slice(1)}`, /outside standard base64/],
    ['an HTML entity for +', () => sign.replace('+', '&#43;').slice(0, sign.length), /outside standard base64|padding/],
    ['"=" in the middle', () => `${sign.slice(0, 40)}=${sign.slice(41)}`, /padding/],
    // Same decoded bytes, different string (signature malleability): the unused low bits are set.
    ['non-canonical trailing bits before "=="', () => sign.slice(0, -3) + B64[B64.indexOf(sign.at(-3)!) | 1] + '==', /padding/],
  ])('%s is SIGN_MALFORMED', async (_name, value, hint) => {
    const error = expectRejected(await verifier.verify(withSign(s.body, encode(value()))), 'SIGN_MALFORMED');
    expect(error.hint).toMatch(hint);
  });

  it('a missing or empty sign is SIGN_MISSING', async () => {
    const without = s.body
      .split('&')
      .filter((p) => !p.startsWith('sign='))
      .join('&');
    expectRejected(await verifier.verify(without), 'SIGN_MISSING');
    expectRejected(await verifier.verify(withSign(s.body, '')), 'SIGN_MISSING');
  });

  it('well-formed base64 of the right length that is not the signature is SIGNATURE_INVALID', async () => {
    expectRejected(await verifier.verify(withSign(s.body, encode(Buffer.alloc(256, 0x5a).toString('base64')))), 'SIGNATURE_INVALID');
  });
});

describe('a valid signature replayed onto another order', () => {
  it('swapping out_trade_no is SIGNATURE_INVALID', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(replaceSegment(body, 'out_trade_no', 'out_trade_no=ORDER-VICTIM-9999')), 'SIGNATURE_INVALID');
  });

  it('the sign of order A on the body of order B is SIGNATURE_INVALID', async () => {
    const a = signed({ out_trade_no: 'ORDER-A', total_amount: '0.01' });
    const b = signed({ out_trade_no: 'ORDER-B', total_amount: '999.00' });
    expectRejected(await verifier.verify(withSign(b.body, rawValue(a.body, 'sign'))), 'SIGNATURE_INVALID');
  });

  it('the real notification with another out_trade_no, or with two values swapped, is SIGNATURE_INVALID', async () => {
    const body = formBody(v1.params);
    expectRejected(await v1Verifier.verify(replaceSegment(body, 'out_trade_no', 'out_trade_no=20190815155618536-564-58')), 'SIGNATURE_INVALID');
    const swapped = replaceSegment(
      replaceSegment(body, 'trade_no', `trade_no=${rawValue(body, 'out_trade_no')}`),
      'out_trade_no',
      `out_trade_no=${rawValue(body, 'trade_no')}`,
    );
    expectRejected(await v1Verifier.verify(swapped), 'SIGNATURE_INVALID');
  });

  it('an exact replay verifies again with the same idempotencyKey (the handler\'s idempotency drops it)', async () => {
    const { body } = signed();
    const first = await expectOk(body);
    const second = await expectOk(body);
    expect(second.notify.idempotencyKey).toBe(first.notify.idempotencyKey);
  });
});

describe('a valid notification from another app id', () => {
  const otherApp = { app_id: '2021009999999999', auth_app_id: '2021009999999999' };
  const pinned = createVerifier({ alipayPublicKey: alipay.publicKey, appId: '2021000000000001' });

  it('is APP_ID_MISMATCH when the appId option is set', async () => {
    const { body } = signed(otherApp);
    const error = expectRejected(await pinned.verify(body), 'APP_ID_MISMATCH');
    expect(error.param).toBe('app_id');
    // Without the option the signature alone holds: checking the app is configuration (or the handler).
    await expectOk(body);
  });

  it('the real notification against another configured app id is APP_ID_MISMATCH', async () => {
    const pinnedReal = createVerifier({ alipayPublicKey: v1.alipayPublicKey, appId: ['2021000000000001'] });
    expectRejected(await pinnedReal.verify(formBody(v1.params)), 'APP_ID_MISMATCH');
  });

  it('an ISV notification whose auth_app_id is the configured app is accepted (control)', async () => {
    const { body } = signed({ app_id: '2021009999999999', auth_app_id: '2021000000000001' });
    await expectOk(body, pinned);
  });

  it('another seller is SELLER_ID_MISMATCH', async () => {
    const pinnedSeller = createVerifier({ alipayPublicKey: alipay.publicKey, sellerId: '2088000000000002' });
    expectRejected(await pinnedSeller.verify(signed({ seller_id: '2088999999999999' }).body), 'SELLER_ID_MISMATCH');
  });
});

describe('the app\'s own key configured instead of Alipay\'s', () => {
  it('is SIGNATURE_INVALID with a hint naming 应用公钥 vs 支付宝公钥', async () => {
    const misconfigured = createVerifier({ alipayPublicKey: app.publicKey });
    const error = expectRejected(await misconfigured.verify(signed().body), 'SIGNATURE_INVALID');
    expect(error.hint).toContain('应用公钥');
    expect(error.hint).toContain('支付宝公钥');
  });

  it('the real notification with a wrong key is SIGNATURE_INVALID with the same hint', async () => {
    const misconfigured = createVerifier({ alipayPublicKey: v2.alipayPublicKey });
    expect(expectRejected(await misconfigured.verify(formBody(v1.params)), 'SIGNATURE_INVALID').hint).toContain('应用公钥');
  });

  it('the app\'s private key is refused at configuration time, never used to verify', () => {
    expect(() => createVerifier({ alipayPublicKey: app.privateKey })).toThrow(TypeError);
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(() => createVerifier({ alipayPublicKey: pkcs1.privateKey })).toThrow(/private key/);
  });

  it('a rotation list holding both keys verifies with the Alipay one (control)', async () => {
    const rotating = createVerifier({ alipayPublicKey: [app.publicKey, alipay.publicKey] });
    expect((await expectOk(signed().body, rotating)).key.index).toBe(1);
  });
});
