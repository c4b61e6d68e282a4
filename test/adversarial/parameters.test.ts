/*
 * Attacks on the form itself: how parameters are split, named, decoded and counted.
 * Each test asserts the exact error code and that nothing was accepted (expectRejected).
 */
import { describe, expect, it } from 'vitest';
import { createVerifier, isTradeNotification, parseNotifyBody, type VerifySuccess } from '../../src/index.js';
import { encodeGbk, signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { formBody, realVector } from '../helpers/real.js';
import {
  expectRejected,
  formEncode,
  keys,
  rawValue,
  replaceSegment,
  signPairs,
  signText,
  type Pair,
} from './helpers.js';

const { alipay } = keys();
const verifier = createVerifier({ alipayPublicKey: alipay.publicKey });
const v1 = realVector('trade-status-sync.v1');
const realVerifier = createVerifier({ alipayPublicKey: v1.alipayPublicKey });

const base = (): Record<string, string> => tradeNotifyParams({ out_trade_no: 'ORDER-ADV-0001', total_amount: '88.88' });
const signed = (params: Record<string, string> = base()) => signNotify(params, { privateKey: alipay.privateKey });
const signedPairs = (extra: readonly Pair[]) =>
  signPairs([...(Object.entries(base()) as Pair[]), ...extra], { privateKey: alipay.privateKey });

async function expectOk(body: Parameters<typeof verifier.verify>[0], v = verifier): Promise<VerifySuccess> {
  const result = await v.verify(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result;
}

/** Puts `segment` where the subject segment of a genuine body was: the parser must refuse it. */
async function expectSubjectMalformed(_name: string, segment: string): Promise<void> {
  const { body } = signed();
  expectRejected(await verifier.verify(replaceSegment(body, 'subject', segment)), 'BODY_MALFORMED');
}

describe('controls: the untampered bodies verify', () => {
  it('a signed notification and the real v1 fixture are accepted', async () => {
    await expectOk(signed().body);
    await expectOk(formBody(v1.params), realVerifier);
  });
});

describe('duplicate keys (parameter pollution)', () => {
  it('a forged total_amount placed BEFORE the genuine one is DUPLICATE_PARAM', async () => {
    const { body } = signed();
    const forged = `total_amount=0.01&${body}`;
    // The parser differential this blocks: a first-wins reader sees the forged amount while a
    // last-wins parser (what most SDK users feed their verifier) sees the genuine, signed one.
    expect(new URLSearchParams(forged).get('total_amount')).toBe('0.01');
    expect(Object.fromEntries(new URLSearchParams(forged))['total_amount']).toBe('88.88');
    const error = expectRejected(await verifier.verify(forged), 'DUPLICATE_PARAM');
    expect(error.param).toBe('total_amount');
  });

  it('the same attack on the real Alipay-signed notification is DUPLICATE_PARAM', async () => {
    expectRejected(await realVerifier.verify(`total_amount=1000.00&${formBody(v1.params)}`), 'DUPLICATE_PARAM');
  });

  it('a forged value after the genuine one, and an identical repeat, are DUPLICATE_PARAM', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(`${body}&total_amount=0.01`), 'DUPLICATE_PARAM');
    expectRejected(await verifier.verify(`${body}&total_amount=88.88`), 'DUPLICATE_PARAM');
  });

  it('a duplicate spelled differently (total%5Famount, %74otal_amount) is still a duplicate', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(`total%5Famount=0.01&${body}`), 'DUPLICATE_PARAM');
    expectRejected(await verifier.verify(`%74otal_amount=0.01&${body}`), 'DUPLICATE_PARAM');
  });

  it('a second sign, sign_type or charset is DUPLICATE_PARAM', async () => {
    const { body } = signed();
    const otherSign = signed(tradeNotifyParams({ total_amount: '0.01' })).params['sign']!;
    expectRejected(await verifier.verify(`sign=${encodeURIComponent(otherSign)}&${body}`), 'DUPLICATE_PARAM');
    expectRejected(await verifier.verify(`sign_type=RSA&${body}`), 'DUPLICATE_PARAM');
    expectRejected(await verifier.verify(`charset=gbk&${body}`), 'DUPLICATE_PARAM');
  });

  it('duplicates in URLSearchParams input are DUPLICATE_PARAM too', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(new URLSearchParams(`total_amount=0.01&${body}`)), 'DUPLICATE_PARAM');
  });
});

describe('parameters re-split across & inside values', () => {
  it('a genuine value "a&b=c" re-encoded without %26 becomes two params: SIGNATURE_INVALID', async () => {
    const { body } = signed({ ...base(), subject: 'a&b=c' });
    expect(rawValue(body, 'subject')).toBe('a%26b%3Dc');
    const ok = await expectOk(body);
    expect(ok.params['subject']).toBe('a&b=c');
    const resplit = replaceSegment(body, 'subject', 'subject=a&b=c');
    expect(new URLSearchParams(resplit).get('b')).toBe('c');
    expectRejected(await verifier.verify(resplit), 'SIGNATURE_INVALID');
  });

  it('merging a signed param into its predecessor (total_amount into subject) is BODY_MALFORMED, not a vanished amount', async () => {
    // Sorted, subject is right before total_amount: "…&subject=X&total_amount=88.88&…".
    // Sent as one param subject="X&total_amount=88.88" the signed bytes are identical.
    const { body } = signed();
    const merged = replaceSegment(body, 'subject', `subject=${rawValue(body, 'subject')}%26total_amount%3D88.88`).replace(
      /&total_amount=88\.88/,
      '',
    );
    expect(merged).not.toMatch(/(^|&)total_amount=/);
    const error = expectRejected(await verifier.verify(merged), 'BODY_MALFORMED');
    expect(error.param).toBe('subject');
    expect(error.hint).toMatch(/split/);
  });

  it('the same merge on the real Alipay-signed notification is BODY_MALFORMED', async () => {
    const body = formBody(v1.params);
    const merged = replaceSegment(body, 'subject', `subject=${rawValue(body, 'subject')}%26total_amount%3D0.10`).replace(
      /&total_amount=0\.10/,
      '',
    );
    expectRejected(await realVerifier.verify(merged), 'BODY_MALFORMED');
  });

  it('moving the key/value boundary with %3D in a key (passback_params%3Dtype=3C) is BODY_MALFORMED', async () => {
    const { body } = signed({ ...base(), passback_params: 'type=3C' });
    await expectOk(body);
    const moved = replaceSegment(body, 'passback_params', 'passback_params%3Dtype=3C');
    expectRejected(await verifier.verify(moved), 'BODY_MALFORMED');
  });

  it('parsed-object input gets the same protection', async () => {
    const { params } = signed();
    const merged: Record<string, string> = { ...params, subject: `${params['subject']}&total_amount=88.88` };
    delete merged['total_amount'];
    expectRejected(await verifier.verify(merged), 'BODY_MALFORMED');
  });

  it('known protocol limit: a genuine value with "&name=" for the next name in sort order is refused as sent', async () => {
    // Alipay signs "…&subject=a&subjectz=c&…" for subject "a&subjectz=c": the same bytes as two
    // params. We refuse the ambiguous notification rather than guess. (Its split form verifies:
    // no verifier can tell it apart, see docs/security.md; keep "&name=" out of values you set.)
    const { body } = signed({ ...base(), subject: 'a&subjectz=c' });
    expectRejected(await verifier.verify(body), 'BODY_MALFORMED');
  });
});

describe('empty keys and pairs', () => {
  it.each([
    ['an empty key "=x"', (b: string) => `=x&${b}`],
    ['an empty pair "&&"', (b: string) => b.replace('&', '&&')],
    ['a leading "&"', (b: string) => `&${b}`],
    ['a trailing "&"', (b: string) => `${b}&`],
    ['a pair without "="', (b: string) => `flag&${b}`],
    ['an empty key with empty value "="', (b: string) => `${b}&=`],
  ])('%s is BODY_MALFORMED', async (_name, mutate) => {
    expectRejected(await verifier.verify(mutate(signed().body)), 'BODY_MALFORMED');
  });

  it('an empty key in object or URLSearchParams input is BODY_MALFORMED', async () => {
    const { params, body } = signed();
    expectRejected(await verifier.verify({ ...params, '': 'x' }), 'BODY_MALFORMED');
    expectRejected(await verifier.verify(new URLSearchParams(`=x&${body}`)), 'BODY_MALFORMED');
  });
});

describe('__proto__, constructor, toString, hasOwnProperty keys', () => {
  const special: Pair[] = [
    ['__proto__', 'p'],
    ['constructor', 'c'],
    ['toString', 't'],
    ['hasOwnProperty', 'h'],
    ['valueOf', 'v'],
  ];
  const prototypeNames = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();

  function expectUnpolluted(before: string[]): void {
    expect(prototypeNames()).toEqual(before);
    const probe: Record<string, unknown> = {};
    expect(probe['p']).toBeUndefined();
    expect(probe['polluted']).toBeUndefined();
    expect(typeof probe.toString).toBe('function');
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
  }

  it('signed as a raw body: plain literal params, prototype untouched, result intact', async () => {
    const before = prototypeNames();
    const { body } = signedPairs(special);
    const result = await expectOk(body);
    for (const [k, v] of special) {
      expect(Object.hasOwn(result.params, k)).toBe(true);
      expect(result.params[k]).toBe(v);
    }
    expect(Object.getPrototypeOf(result.params)).toBeNull();
    // The result object and the model keep working as objects.
    expect(typeof result.notify.idempotencyKey).toBe('string');
    expect(String(result.notify)).toBe('[object Object]');
    expect(Object.prototype.hasOwnProperty.call(result, 'notify')).toBe(true);
    expect(result.notify.raw).toBe(result.params);
    expectUnpolluted(before);
  });

  it('added unsigned to a genuine body: SIGNATURE_INVALID, prototype untouched', async () => {
    const before = prototypeNames();
    const { body } = signed();
    expectRejected(await verifier.verify(`__proto__=x&constructor=y&toString=z&hasOwnProperty=w&${body}`), 'SIGNATURE_INVALID');
    expectUnpolluted(before);
  });

  it('nested-looking pollution keys stay literal: __proto__[polluted]=1, constructor[prototype][polluted]=1', async () => {
    const before = prototypeNames();
    const { body } = signedPairs([
      ['__proto__[polluted]', '1'],
      ['constructor[prototype][polluted]', '1'],
    ]);
    const result = await expectOk(body);
    expect(result.params['__proto__[polluted]']).toBe('1');
    expectUnpolluted(before);
  });

  it('as parsed-object input (JSON.parse keeps __proto__ as an own key): verified, prototype untouched', async () => {
    const before = prototypeNames();
    const signedBody = signedPairs(special);
    const input = JSON.parse(JSON.stringify(Object.fromEntries(signedBody.pairs))) as Record<string, string>;
    // Object.fromEntries defines own properties, so __proto__ survives as a key.
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
    const result = await expectOk(input);
    expect(result.params['__proto__']).toBe('p');
    expect(result.params['toString']).toBe('t');
    expectUnpolluted(before);
  });

  it('as parsed-object input with an object under __proto__: BODY_MALFORMED, prototype untouched', async () => {
    const before = prototypeNames();
    const input = JSON.parse(`{"__proto__":{"polluted":"yes"},${JSON.stringify(signed().params).slice(1)}`) as Record<string, string>;
    expectRejected(await verifier.verify(input), 'BODY_MALFORMED');
    expectUnpolluted(before);
  });

  it('a fund_bill_list JSON with __proto__ entries is parsed without pollution', async () => {
    const before = prototypeNames();
    const { body } = signed({ ...base(), fund_bill_list: '[{"__proto__":{"polluted":"yes"},"amount":"88.88","fundChannel":"ALIPAYACCOUNT"}]' });
    const result = await expectOk(body);
    expect(result.params['fund_bill_list']).toContain('__proto__');
    // The list is parsed on first access to `items`: read it, or its JSON parser never runs here.
    if (!isTradeNotification(result.notify)) throw new Error(`not a trade notification: ${result.notify.type}`);
    const items = result.notify.fundBillList?.items;
    expect(items).toHaveLength(1);
    const bill = items![0]!;
    expect(bill.fundChannel).toBe('ALIPAYACCOUNT');
    expect(bill.amount?.toFixed(2)).toBe('88.88');
    expect(Object.getPrototypeOf(bill)).toBe(Object.prototype);
    expect((bill as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(bill.raw, '__proto__')).toBe(true);
    expectUnpolluted(before);
  });
});

describe('a[b] keys stay literal', () => {
  it('raw and percent-encoded brackets give literal keys, no nesting', async () => {
    const { body } = signedPairs([
      ['a[b]', '1'],
      ['a[c]', '2'],
      ['items[0][amount]', '0.01'],
    ]);
    expect(body).toContain('a%5Bb%5D=1');
    const result = await expectOk(body);
    expect(result.params['a[b]']).toBe('1');
    expect(result.params['items[0][amount]']).toBe('0.01');
    expect(result.params['a']).toBeUndefined();
    expect(result.params['items']).toBeUndefined();
    // The same body with raw brackets decodes to the same keys.
    const rawBrackets = body.replace(/%5B/g, '[').replace(/%5D/g, ']');
    expect((await expectOk(rawBrackets)).params['a[c]']).toBe('2');
  });

  it('repeated array-style keys (arr[]=x&arr[]=y) are DUPLICATE_PARAM, never an array', async () => {
    const { body } = signed();
    expectRejected(await verifier.verify(`arr[]=x&arr[]=y&${body}`), 'DUPLICATE_PARAM');
  });

  it('an extended body parser\'s nested object as input is BODY_MALFORMED', async () => {
    const { params } = signed();
    const nested = { ...params, a: { b: '1' } } as unknown as Record<string, string>;
    expectRejected(await verifier.verify(nested), 'BODY_MALFORMED');
    const array = { ...params, arr: ['x', 'y'] } as unknown as Record<string, string>;
    expectRejected(await verifier.verify(array), 'BODY_MALFORMED');
  });
});

describe('malformed and lone %', () => {
  it('a literal % sent as %25 verifies (control)', async () => {
    const { body } = signed({ ...base(), subject: '100% 真 %41' });
    expect((await expectOk(body)).params['subject']).toBe('100% 真 %41');
  });

  it.each([
    ['a lone % at the end of a value', 'subject=100%'],
    ['a lone % as the whole value', 'subject=%'],
    ['a truncated escape %4', 'subject=%4'],
    ['a non-hex escape %zz', 'subject=%zz'],
    ['a half-hex escape %4g', 'subject=%4g'],
    ['a double %%41', 'subject=%%41'],
    ['an IE-style %u4E2D', 'subject=%u4E2D'],
    ['a % in the key', 'sub%ject=x'],
  ])('%s is BODY_MALFORMED', expectSubjectMalformed);
});

describe('NUL and control bytes', () => {
  it.each([
    ['%00 in a value', 'subject=a%00b'],
    ['%00 in a key', 'sub%00ject=x'],
    ['a raw NUL in a value', 'subject=a\u0000b'],
    ['a raw CR LF in a value', 'subject=a\r\nb'],
    ['a raw DEL in a value', 'subject=a\u007fb'],
  ])('%s is BODY_MALFORMED', expectSubjectMalformed);

  it('a raw NUL byte in binary input, and a NUL in object input, are BODY_MALFORMED', async () => {
    const { body, params } = signed();
    const bytes = new TextEncoder().encode(`${body}&x=a`);
    bytes[bytes.length - 1] = 0;
    expectRejected(await verifier.verify(bytes), 'BODY_MALFORMED');
    expectRejected(await verifier.verify({ ...params, subject: 'a\u0000b' }), 'BODY_MALFORMED');
    expectRejected(await verifier.verify({ ...params, 'x\u0000': 'a' }), 'BODY_MALFORMED');
  });
});

describe('invalid UTF-8 under charset=utf-8', () => {
  it.each([
    ['%FF%FE', 'subject=%FF%FE'],
    ['an overlong "/" (%C0%AF)', 'subject=%C0%AF'],
    ['an encoded surrogate (%ED%A0%80)', 'subject=%ED%A0%80'],
    ['a truncated sequence (%E4%B8)', 'subject=%E4%B8'],
    ['a stray continuation byte (%80)', 'subject=a%80'],
  ])('%s is BODY_MALFORMED', expectSubjectMalformed);

  it('invalid UTF-8 is refused even when it is exactly what was signed', async () => {
    // Sign the raw bytes themselves: the signature holds, the text cannot be decoded.
    const pairs: Pair[] = Object.entries(base()) as Pair[];
    const content = new TextEncoder().encode(
      pairs
        .filter(([k]) => k !== 'sign_type')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${k === 'subject' ? '' : v}`)
        .join('&'),
    );
    // Splice 0xFF 0xFE right after "subject=".
    const marker = new TextEncoder().encode('subject=');
    let at = -1;
    for (let i = 0; i + marker.length <= content.length && at < 0; i++) {
      if (marker.every((b, j) => content[i + j] === b)) at = i + marker.length;
    }
    const bytes = new Uint8Array(content.length + 2);
    bytes.set(content.subarray(0, at));
    bytes.set([0xff, 0xfe], at);
    bytes.set(content.subarray(at), at + 2);
    const sign = signText(bytes, alipay.privateKey);
    const body = `${formEncode(pairs.filter(([k]) => k !== 'subject'))}&subject=%FF%FE&sign=${encodeURIComponent(sign)}`;
    expectRejected(await verifier.verify(body), 'BODY_MALFORMED');
  });
});

describe('a charset that lies', () => {
  const chinese = (): Record<string, string> => ({ ...base(), subject: '语雀空间 会员', body: '订单描述' });

  it('a genuine GBK notification verifies over its GBK bytes (control)', async () => {
    const { body } = signNotify(chinese(), { privateKey: alipay.privateKey, charset: 'gbk' });
    const result = await expectOk(body);
    expect(result.params['subject']).toBe('语雀空间 会员');
    expect(result.notify.charset).toBe('gbk');
  });

  it('a GBK body whose charset says utf-8 is BODY_MALFORMED (its bytes are not UTF-8)', async () => {
    // As Alipay would sign it if the charset param were utf-8 but the bytes GBK.
    const pairs = Object.entries({ ...chinese(), charset: 'utf-8' }) as Pair[];
    const { body } = signPairs(pairs, { privateKey: alipay.privateKey, encode: encodeGbk });
    expect(rawValue(body, 'subject')).toMatch(/^%D3%EF/);
    expectRejected(await verifier.verify(body), 'BODY_MALFORMED');
  });

  it('relabelling a genuine GBK notification as utf-8 is BODY_MALFORMED', async () => {
    const { body } = signNotify(chinese(), { privateKey: alipay.privateKey, charset: 'gbk' });
    expectRejected(await verifier.verify(replaceSegment(body, 'charset', 'charset=utf-8')), 'BODY_MALFORMED');
  });

  it('relabelling an ASCII-only GBK notification as utf-8 is SIGNATURE_INVALID (charset is signed)', async () => {
    const { body } = signNotify({ ...base(), subject: 'plain', body: 'plain' }, { privateKey: alipay.privateKey, charset: 'gbk' });
    await expectOk(body);
    expectRejected(await verifier.verify(replaceSegment(body, 'charset', 'charset=utf-8')), 'SIGNATURE_INVALID');
  });

  it('a UTF-8 notification relabelled gbk is SIGNATURE_INVALID (bytes decode as GBK mojibake, charset is signed)', async () => {
    const { body } = signNotify(chinese(), { privateKey: alipay.privateKey });
    expectRejected(await verifier.verify(replaceSegment(body, 'charset', 'charset=gbk')), 'SIGNATURE_INVALID');
  });

  it('a UTF-8 body whose bytes are not valid GBK, labelled gbk, is BODY_MALFORMED', async () => {
    // "中!" is E4 B8 AD 21 in UTF-8: E4 B8 is a GBK pair, then lead byte AD before "!" is not.
    const { body } = signed({ ...base(), subject: '中!' });
    expectRejected(await verifier.verify(replaceSegment(body, 'charset', 'charset=gbk')), 'BODY_MALFORMED');
  });

  it('a charset the library does not verify (utf-16, latin1, a made-up one) is CHARSET_UNSUPPORTED', async () => {
    const { body } = signed();
    for (const label of ['utf-16', 'iso-8859-1', 'latin1', 'x-evil', '']) {
      expectRejected(await verifier.verify(replaceSegment(body, 'charset', `charset=${label}`)), 'CHARSET_UNSUPPORTED');
    }
  });

  it('a charset named after an Object.prototype member is CHARSET_UNSUPPORTED, in the verifier and the parser', async () => {
    const { body } = signed();
    for (const label of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      expectRejected(await verifier.verify(replaceSegment(body, 'charset', `charset=${label}`)), 'CHARSET_UNSUPPORTED');
      const parsed = parseNotifyBody(`charset=${label}&a=1`);
      expect(parsed.ok ? parsed.body.charset : parsed.error.code).toBe('CHARSET_UNSUPPORTED');
    }
  });
});
