/**
 * One contract, two crypto providers: every case runs through the Node build (src/index.ts,
 * node:crypto) and the WebCrypto build (src/index.web.ts, here on Node's own
 * globalThis.crypto.subtle), and both must give the same result: real Alipay vectors, the
 * recorded fixtures, signed notifications (UTF-8, GBK, RSA, v1/v2, empty values), key forms,
 * rotation, every error code reachable without certificates, tampering, and configuration
 * errors (same TypeError, same message).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nodeBuild from '../../src/index.js';
import * as webBuild from '../../src/index.web.js';
import type { KeyInput, VerifierOptions, VerifyResult } from '../../src/index.js';
import { fixtureVerifierOptions, listFixtures, loadFixture, serializeForm, signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys, appKeys } from '../helpers/keys.js';
import { formBody, realVector } from '../helpers/real.js';

type Build = typeof nodeBuild;
const builds: Array<[string, Build]> = [
  ['node:crypto', nodeBuild],
  ['webcrypto', webBuild],
];

/** What a result says, comparable across builds (errors as code, message, hint, param). */
function summary(result: VerifyResult): unknown {
  if (!result.ok) {
    const { code, message, hint, param } = result.error;
    return { ok: false, code, message, hint, param };
  }
  return { ok: true, notify: result.notify, params: { ...result.params }, signType: result.signType, signedContent: result.signedContent, key: result.key };
}

interface Case {
  label: string;
  body: () => unknown;
  options: () => VerifierOptions;
  /** Per-build options, for what must come from the build itself (keysByApp). */
  optionsFor?: (lib: Build) => VerifierOptions;
  expected: { ok: true; signedContent?: 'v1' | 'v2'; signType?: 'RSA2' | 'RSA'; key?: object; subject?: string } | { ok: false; code: string };
}

const key = () => alipayKeys().publicKey;
const signed = (overrides: Record<string, string> = {}, opts: Partial<Parameters<typeof signNotify>[1]> = {}) =>
  signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey, ...opts });
/** The signature with its first byte changed (whatever characters its base64 starts with). */
const flipFirstByte = (sign: string): string => {
  const bytes = Buffer.from(sign, 'base64');
  bytes[0] = bytes[0]! ^ 0xff;
  return bytes.toString('base64');
};
const withKey = (extra: Partial<VerifierOptions> = {}) => () => ({ alipayPublicKey: key(), ...extra });
const ok = (extra: Omit<Extract<Case['expected'], { ok: true }>, 'ok'> = {}) => ({ ok: true as const, ...extra });
const fail = (code: string) => ({ ok: false as const, code });

let small: { publicKey: string; privateKey: string } | undefined;
const smallKeys = () =>
  (small ??= generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }));

function keyForms(): Array<[string, KeyInput]> {
  const k = createPublicKey(key());
  const der = k.export({ type: 'spki', format: 'der' });
  return [
    ['PEM SPKI', key()],
    ['PEM PKCS#1', k.export({ type: 'pkcs1', format: 'pem' }).toString()],
    ['bare base64 SPKI', der.toString('base64')],
    ['base64 with spaces and CRLF', der.toString('base64').replace(/(.{50})/g, '$1 \r\n ')],
    ['PEM with literal \\n', key().replace(/\n/g, '\\n')],
    ['DER SPKI bytes', new Uint8Array(der)],
    ['DER PKCS#1 bytes', new Uint8Array(k.export({ type: 'pkcs1', format: 'der' }))],
  ];
}

const real = (['trade-status-sync.v1', 'servicemarket-order-notify.v2'] as const).flatMap((name): Case[] => {
  const fx = () => realVector(name);
  const signedContent = name.endsWith('v1') ? 'v1' : 'v2';
  const other = () => realVector(name === 'trade-status-sync.v1' ? 'servicemarket-order-notify.v2' : 'trade-status-sync.v1');
  return [
    { label: `real ${name}: raw body`, body: () => formBody(fx().params), options: () => ({ alipayPublicKey: fx().alipayPublicKey }), expected: ok({ signedContent, key: { index: 0 } }) },
    { label: `real ${name}: bytes, bare base64 key`, body: () => new TextEncoder().encode(formBody(fx().params)), options: () => ({ alipayPublicKey: fx().alipayPublicKeyBase64 }), expected: ok({ signedContent }) },
    { label: `real ${name}: parsed object`, body: () => ({ ...fx().params }), options: () => ({ alipayPublicKey: fx().alipayPublicKey }), expected: ok({ signedContent }) },
    {
      label: `real ${name}: tampered amount`,
      body: () => formBody({ ...fx().params, total_amount: '0.01' }),
      options: () => ({ alipayPublicKey: fx().alipayPublicKey }),
      expected: fail('SIGNATURE_INVALID'),
    },
    { label: `real ${name}: the other vector's key`, body: () => formBody(fx().params), options: () => ({ alipayPublicKey: other().alipayPublicKey }), expected: fail('SIGNATURE_INVALID') },
  ];
});

const fixtures = listFixtures().map((name): Case => {
  const fixture = () => loadFixture(name);
  return {
    label: `fixture ${name}`,
    body: () => fixture().rawBody,
    options: () => fixtureVerifierOptions(fixture()),
    expected: (() => {
      const e = loadFixture(name).expected;
      return e.ok ? ok({ ...(e.signType ? { signType: e.signType } : {}), ...(e.signedContent ? { signedContent: e.signedContent } : {}) }) : fail(e.code!);
    })(),
  };
});

const subject = '中文商品：测试（GBK）';
const signing: Case[] = [
  { label: 'RSA2, v1', body: () => signed().body, options: withKey(), expected: ok({ signType: 'RSA2', signedContent: 'v1', key: { index: 0 } }) },
  { label: 'RSA2, v2 (sign_type signed)', body: () => signed({}, { signedContent: 'v2' }).body, options: withKey(), expected: ok({ signedContent: 'v2' }) },
  { label: 'RSA (SHA-1), allowed', body: () => signed({}, { signType: 'RSA' }).body, options: withKey({ signTypes: ['RSA2', 'RSA'] }), expected: ok({ signType: 'RSA' }) },
  { label: 'empty values kept (second rule)', body: () => signed({ body: '', passback_params: ' ' }, { emptyValues: 'keep' }).body, options: withKey(), expected: ok() },
  { label: 'empty values skipped', body: () => signed({ body: '' }, { emptyValues: 'skip' }).body, options: withKey(), expected: ok() },
  { label: 'v2 with kept empty values (fourth rule)', body: () => signed({ body: '' }, { signedContent: 'v2', emptyValues: 'keep' }).body, options: withKey(), expected: ok({ signedContent: 'v2' }) },
  ...(['gbk', 'gb2312', 'gb18030', 'utf-8'] as const).map((charset): Case => ({
    label: `charset ${charset}, Chinese subject`,
    body: () => signed({ subject, charset }).body,
    options: withKey(),
    expected: ok({ subject }),
  })),
  { label: 'GBK body as bytes', body: () => new TextEncoder().encode(signed({ subject, charset: 'gbk' }).body), options: withKey(), expected: ok({ subject }) },
  {
    label: '1024-bit key, RSA',
    body: () => signNotify(tradeNotifyParams(), { privateKey: smallKeys().privateKey, signType: 'RSA' }).body,
    options: () => ({ alipayPublicKey: smallKeys().publicKey, signTypes: ['RSA'] }),
    expected: ok({ signType: 'RSA' }),
  },
  {
    label: '1024-bit signature against a 2048-bit key',
    body: () => signNotify(tradeNotifyParams(), { privateKey: smallKeys().privateKey }).body,
    options: withKey(),
    expected: fail('SIGN_MALFORMED'),
  },
  ...keyForms().map(([form, input]): Case => ({ label: `key form: ${form}`, body: () => signed().body, options: () => ({ alipayPublicKey: input }), expected: ok() })),
];

const rotation: Case[] = [
  { label: 'rotation list: the second key matches', body: () => signed().body, options: () => ({ alipayPublicKey: [appKeys().publicKey, key()] }), expected: ok({ key: { index: 1 } }) },
  {
    label: 'rotation list: the first key matches',
    body: () => signNotify(tradeNotifyParams(), { privateKey: appKeys().privateKey }).body,
    options: () => ({ alipayPublicKey: [appKeys().publicKey, key()] }),
    expected: ok({ key: { index: 0 } }),
  },
  { label: 'async keyProvider with a list', body: () => signed().body, options: () => ({ keyProvider: async () => [appKeys().publicKey, key()] }), expected: ok({ key: { index: 1 } }) },
  { label: 'sync keyProvider returning DER bytes', body: () => signed().body, options: () => ({ keyProvider: () => new Uint8Array(createPublicKey(key()).export({ type: 'spki', format: 'der' })) }), expected: ok() },
  {
    label: 'keysByApp: the app of the notification',
    body: () => signed({ app_id: '2021000000000002' }).body,
    options: () => ({}),
    optionsFor: (lib) => ({ keyProvider: lib.keysByApp({ '2021000000000001': appKeys().publicKey, '2021000000000002': [appKeys().publicKey, key()] }) }),
    expected: ok({ key: { index: 1 } }),
  },
  {
    label: 'keysByApp: an unknown app',
    body: () => signed({ app_id: '2021000000000009' }).body,
    options: () => ({}),
    optionsFor: (lib) => ({ keyProvider: lib.keysByApp({ '2021000000000001': key() }) }),
    expected: fail('KEY_NOT_FOUND'),
  },
];

const errors: Case[] = [
  { label: 'BODY_EMPTY', body: () => '', options: withKey(), expected: fail('BODY_EMPTY') },
  { label: 'BODY_TOO_LARGE', body: () => signed().body, options: withKey({ maxBodyBytes: 100 }), expected: fail('BODY_TOO_LARGE') },
  { label: 'BODY_MALFORMED (bad percent escape)', body: () => `${signed().body}&x=%zz`, options: withKey(), expected: fail('BODY_MALFORMED') },
  { label: 'DUPLICATE_PARAM', body: () => `${signed().body}&total_amount=88.88`, options: withKey(), expected: fail('DUPLICATE_PARAM') },
  { label: 'CHARSET_UNSUPPORTED', body: () => signed({ charset: 'big5' }).body, options: withKey(), expected: fail('CHARSET_UNSUPPORTED') },
  { label: 'SIGN_MISSING', body: () => signed().body.replace(/&sign=[^&]*/, ''), options: withKey(), expected: fail('SIGN_MISSING') },
  { label: 'SIGN_MALFORMED (URL-safe base64)', body: () => signed().body.replace(/&sign=([^&]*)/, (_m, s: string) => `&sign=${decodeURIComponent(s).replace(/\+/g, '-').replace(/\//g, '_')}`), options: withKey(), expected: fail('SIGN_MALFORMED') },
  { label: 'SIGN_MALFORMED (truncated)', body: () => signed().body.replace(/&sign=([^&]*)/, (_m, s: string) => `&sign=${encodeURIComponent(decodeURIComponent(s).slice(4))}`), options: withKey(), expected: fail('SIGN_MALFORMED') },
  { label: 'SIGN_TYPE_NOT_ALLOWED', body: () => signed({}, { signType: 'RSA' }).body, options: withKey(), expected: fail('SIGN_TYPE_NOT_ALLOWED') },
  { label: 'KEY_NOT_FOUND', body: () => signed().body, options: () => ({ keyProvider: () => undefined }), expected: fail('KEY_NOT_FOUND') },
  { label: 'KEY_NOT_FOUND (provider returns garbage)', body: () => signed().body, options: () => ({ keyProvider: () => 'garbage' }), expected: fail('KEY_NOT_FOUND') },
  { label: 'KEY_NOT_FOUND (provider rejects)', body: () => signed().body, options: () => ({ keyProvider: () => Promise.reject(new Error('down')) }), expected: fail('KEY_NOT_FOUND') },
  { label: 'SIGNATURE_INVALID (the app key)', body: () => signed().body, options: () => ({ alipayPublicKey: appKeys().publicKey }), expected: fail('SIGNATURE_INVALID') },
  { label: 'APP_ID_MISMATCH', body: () => signed().body, options: withKey({ appId: '2021999999999999' }), expected: fail('APP_ID_MISMATCH') },
  { label: 'SELLER_ID_MISMATCH', body: () => signed().body, options: withKey({ sellerId: '2088999999999999' }), expected: fail('SELLER_ID_MISMATCH') },
  { label: 'FIELD_INVALID', body: () => signed({ total_amount: '1.234' }).body, options: withKey(), expected: fail('FIELD_INVALID') },
];

/** Every param of a signed body altered, one at a time; a param added; a param removed. */
function tamperings(): Case[] {
  const { params } = signed({ subject, body: '' }, { charset: 'gbk', emptyValues: 'keep' });
  const cases: Case[] = [];
  for (const name of Object.keys(params)) {
    if (name === 'sign' || name === 'charset') continue;
    cases.push({
      label: `tampered ${name}`,
      body: () => serializeForm({ ...params, [name]: `${params[name]}1` }, 'gbk'),
      options: withKey(),
      expected: fail(name === 'sign_type' ? 'SIGN_TYPE_NOT_ALLOWED' : 'SIGNATURE_INVALID'),
    });
  }
  const base = signed();
  cases.push(
    { label: 'a param added', body: () => `${base.body}&extra=1`, options: withKey(), expected: fail('SIGNATURE_INVALID') },
    { label: 'a param removed', body: () => base.body.replace(/&buyer_id=[^&]*/, ''), options: withKey(), expected: fail('SIGNATURE_INVALID') },
    { label: 'one byte of the signature flipped', body: () => base.body.replace(/&sign=[^&]*/, `&sign=${encodeURIComponent(flipFirstByte(base.params['sign']!))}`), options: withKey(), expected: fail('SIGNATURE_INVALID') },
  );
  return cases;
}

const cases: Case[] = [...real, ...fixtures, ...signing, ...rotation, ...errors, ...tamperings()];

async function run(lib: Build, c: Case, body: unknown = c.body()): Promise<VerifyResult> {
  const options = c.optionsFor ? c.optionsFor(lib) : c.options();
  return lib.createVerifier(options).verify(body as string);
}

describe.each(builds)('contract on %s', (_name, lib) => {
  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const result = await run(lib, c);
    if (!c.expected.ok) {
      expect(result.ok ? 'accepted' : result.error.code).toBe(c.expected.code);
      return;
    }
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const { subject: expectedSubject, ...rest } = c.expected;
    expect(result).toMatchObject({ ...rest, ok: true });
    if (expectedSubject !== undefined) expect(result.params['subject']).toBe(expectedSubject);
  });
});

describe('node:crypto and WebCrypto give identical results', () => {
  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const body = c.body();
    const [a, b] = await Promise.all([run(nodeBuild, c, body), run(webBuild, c, body)]);
    expect(summary(b)).toEqual(summary(a));
  });

  it('through createNotifyHandler too', async () => {
    const replies = await Promise.all(
      builds.map(async ([, lib]) => {
        const handle = lib.createNotifyHandler({
          verifier: { alipayPublicKey: key() },
          findOrder: async () => ({ totalAmount: '88.88' }),
          onTrade: async () => {},
        });
        const { body } = signed();
        return [await handle(body), await handle(body), await handle(body.replace('total_amount=88.88', 'total_amount=0.01'))];
      }),
    );
    expect(replies[1]!.map((r) => r.outcome)).toEqual(replies[0]!.map((r) => r.outcome));
    expect(replies[0]!.map((r) => r.outcome)).toEqual(['processed', 'duplicate', 'rejected']);
  });
});

describe.each(builds)('an async keyProvider on %s', (_name, lib) => {
  it('keeps concurrent verifications apart (the parsed body is copied out of scratch memory before awaiting)', async () => {
    // While one verification waits for its keys, the next body is parsed into the same scratch
    // buffers: the waiting one must still build its sign string from its own bytes.
    const verifier = lib.createVerifier({ keyProvider: async () => key() });
    const bodies = Array.from({ length: 6 }, (_, i) => signed({ out_trade_no: `ASYNC-${i}`, subject: i % 2 ? '中文' : 'plain' }, i % 3 ? {} : { charset: 'gbk' }).body);
    const results = await Promise.all(bodies.map((body) => verifier.verify(body)));
    expect(results.map((r) => (r.ok ? r.params['out_trade_no'] : r.error.code))).toEqual(bodies.map((_, i) => `ASYNC-${i}`));
  });
});

describe('configuration errors: the same TypeError on both builds', () => {
  const der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
  const bad: Array<[string, () => KeyInput | KeyInput[]]> = [
    ['a PKCS#8 private key (PEM)', () => alipayKeys().privateKey],
    ['a PKCS#8 private key (bare base64)', () => der(alipayKeys().privateKey)],
    ['a PKCS#8 private key (DER bytes)', () => new Uint8Array(Buffer.from(der(alipayKeys().privateKey), 'base64'))],
    ['a PKCS#1 private key (PEM)', () => createPrivateKey(alipayKeys().privateKey).export({ type: 'pkcs1', format: 'pem' }).toString()],
    ['a PKCS#1 private key (bare base64)', () => der(createPrivateKey(alipayKeys().privateKey).export({ type: 'pkcs1', format: 'pem' }).toString())],
    ['a certificate (PEM label)', () => '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    ['an EC public key (PEM)', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['an Ed25519 public key (DER)', () => new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }))],
    ['not base64', () => 'not a key!'],
    ['base64 but no key', () => 'QUJDRA=='],
    ['a truncated key', () => der(key()).slice(0, 200)],
    ['a PUBLIC KEY block holding garbage', () => '-----BEGIN PUBLIC KEY-----\nQUJDRA==\n-----END PUBLIC KEY-----'],
    ['a list with one bad entry', () => [key(), 'QUJDRA==']],
    ['an empty list', () => []],
  ];

  it.each(bad)('%s', (_label, input) => {
    const errors = builds.map(([, lib]) => {
      try {
        lib.createVerifier({ alipayPublicKey: input() });
        return undefined;
      } catch (error) {
        return error as Error;
      }
    });
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect(errors[1]).toBeInstanceOf(TypeError);
    expect(errors[1]!.message).toBe(errors[0]!.message);
    expect(errors[0]!.message).toMatch(/alipayPublicKey/);
  });

  it('words private keys, certificates and non-RSA keys as before', () => {
    for (const [, lib] of builds) {
      expect(() => lib.createVerifier({ alipayPublicKey: alipayKeys().privateKey })).toThrow(/alipayPublicKey is a private key/);
      expect(() => lib.createVerifier({ alipayPublicKey: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' })).toThrow(/alipayPublicCert/);
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(() => lib.createVerifier({ alipayPublicKey: ec })).toThrow(/is a ec key/);
    }
  });

  it('recognises a DER certificate by its shape', () => {
    const pem = firstPemBlock(readFileSync(new URL('../../fixtures/real/certs/alipayCertPublicKey_RSA2.crt', import.meta.url), 'utf8'));
    const derBytes = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    for (const [, lib] of builds) {
      expect(() => lib.createVerifier({ alipayPublicKey: derBytes })).toThrow(/alipayPublicKey is a certificate/);
      expect(() => lib.createVerifier({ alipayPublicKey: pem.replace(/-----[^-]+-----|\s/g, '') })).toThrow(/alipayPublicKey is a certificate/);
    }
  });
});

function firstPemBlock(text: string): string {
  return /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)![0];
}
