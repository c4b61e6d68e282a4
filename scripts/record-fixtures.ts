/**
 * Records the notification fixtures in fixtures/notifications/ (one JSON file each).
 *
 *   npx tsx scripts/record-fixtures.ts            # (re)write the files
 *   npx tsx scripts/record-fixtures.ts --check    # fail if the files differ from what it would write
 *
 * Synthetic fixtures are signed with the TEST key pair in fixtures/keys/ (created on the first
 * run, then reused), with fixed params, so the output is reproducible byte for byte: RSA
 * PKCS#1 v1.5 signatures are deterministic. The real, Alipay-signed vectors are converted
 * from fixtures/real/ (decoded params -> a form body, in their published order).
 * Every fixture is verified against its expected outcome before anything is written.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createVerifier } from '../src/index.js';
import {
  closeNotifyParams,
  fixtureVerifierOptions,
  generateTestKeys,
  messageNotifyParams,
  refundNotifyParams,
  serializeForm,
  signNotify,
  tradeNotifyParams,
  type NotifyFixture,
  type TestKeyPair,
} from '../src/testing/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KEYS_DIR = join(ROOT, 'fixtures', 'keys');
const OUT_DIR = join(ROOT, 'fixtures', 'notifications');
const REAL_DIR = join(ROOT, 'fixtures', 'real');

export interface FixtureKeys {
  /** Plays Alipay: signs the synthetic notifications. */
  alipay: TestKeyPair;
  /** Another key pair: the "wrong key" case. */
  other: TestKeyPair;
}

const KEY_FILES = {
  alipay: ['alipay-test-private.pem', 'alipay-test-public.pem'],
  other: ['other-test-private.pem', 'other-test-public.pem'],
} as const;

export function readFixtureKeys(dir = KEYS_DIR): FixtureKeys {
  const read = ([priv, pub]: readonly [string, string]): TestKeyPair => ({
    privateKey: readFileSync(join(dir, priv), 'utf8'),
    publicKey: readFileSync(join(dir, pub), 'utf8'),
  });
  return { alipay: read(KEY_FILES.alipay), other: read(KEY_FILES.other) };
}

function ensureKeys(): FixtureKeys {
  if (!existsSync(join(KEYS_DIR, KEY_FILES.alipay[0]))) {
    mkdirSync(KEYS_DIR, { recursive: true });
    for (const name of ['alipay', 'other'] as const) {
      const pair = generateTestKeys();
      writeFileSync(join(KEYS_DIR, KEY_FILES[name][0]), pair.privateKey);
      writeFileSync(join(KEYS_DIR, KEY_FILES[name][1]), pair.publicKey);
    }
    console.log(`generated TEST key pairs in ${KEYS_DIR}`);
  }
  return readFixtureKeys();
}

const TEST_KEY_NOTE =
  'TEST KEY ONLY (fixtures/keys/alipay-test-public.pem): not secret, never use in production. Its private half signed this fixture.';

function synthetic(how: string): string {
  return `synthetic: signed by scripts/record-fixtures.ts with the TEST private key fixtures/keys/alipay-test-private.pem (${how}); fixed params, reproducible.`;
}

/** Fixed ids and times, so the output never changes between runs. */
const ORDER = {
  app_id: '2021000000000001',
  auth_app_id: '2021000000000001',
  seller_id: '2088000000000002',
  buyer_id: '2088102177846875',
  out_trade_no: 'ORDER-20240601-0001',
  trade_no: '2024060122001446870501234567',
  gmt_create: '2024-06-01 12:00:01',
  gmt_payment: '2024-06-01 12:00:05',
  notify_time: '2024-06-01 12:00:06',
  notify_id: '2024060100222120006012345678901234',
};

const REFUND = {
  ...ORDER,
  out_biz_no: 'REFUND-20240602-0001',
  gmt_refund: '2024-06-02 09:30:00.123',
  notify_time: '2024-06-02 09:30:01',
  notify_id: '2024060200222093001012345678901234',
};

function replaceOnce(body: string, from: string, to: string): string {
  if (!body.includes(from)) throw new Error(`record-fixtures: ${JSON.stringify(from)} not in body`);
  return body.replace(from, to);
}

interface RealVector {
  source: string;
  signedContent: 'v1' | 'v2';
  alipayPublicKey: string;
  params: Record<string, string>;
}

function realVector(file: string): RealVector {
  return JSON.parse(readFileSync(join(REAL_DIR, file), 'utf8')) as RealVector;
}

function realNote(file: string): string {
  return `Alipay's real public key for this vector, from alipay-sdk-nodejs-all tests (fixtures/real/${file}). Not a test key.`;
}

function realProvenance(file: string, source: string): string {
  return `real: signed by Alipay. Converted by scripts/record-fixtures.ts from fixtures/real/${file} (decoded params form-encoded in their published order; see fixtures/real/README.md and the MIT license there). Source: ${source}`;
}

/** Builds every fixture (pure: no file is written). */
export function buildFixtures(keys: FixtureKeys): NotifyFixture[] {
  const key = keys.alipay.privateKey;
  const publicKey = keys.alipay.publicKey;
  const fixtures: NotifyFixture[] = [];
  const add = (f: Omit<NotifyFixture, 'publicKey' | 'keyNote'> & Partial<Pick<NotifyFixture, 'publicKey' | 'keyNote'>>) =>
    fixtures.push({ publicKey, keyNote: TEST_KEY_NOTE, ...f } as NotifyFixture);

  const payment = signNotify(tradeNotifyParams(ORDER), { privateKey: key });
  add({
    name: 'payment-utf8-rsa2',
    description: 'Payment notification (trade_status_sync, TRADE_SUCCESS, 88.88), UTF-8, RSA2, v1 (sign_type not signed).',
    provenance: synthetic('RSA2, v1, utf-8'),
    rawBody: payment.body,
    verifierOptions: { signTypes: ['RSA2'], appId: '2021000000000001' },
    expected: { ok: true, signType: 'RSA2', signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });

  add({
    name: 'payment-app-id-mismatch',
    description: 'The genuine payment notification above, checked against another app_id: the signature is valid, the app is not.',
    provenance: synthetic('RSA2, v1, utf-8; same body as payment-utf8-rsa2'),
    rawBody: payment.body,
    verifierOptions: { signTypes: ['RSA2'], appId: '2021000000009999' },
    expected: { ok: false, code: 'APP_ID_MISMATCH' },
  });

  add({
    name: 'refund-partial',
    description:
      'Partial refund (10.00 of 88.88): trade_status stays TRADE_SUCCESS, with out_biz_no, cumulative refund_fee and gmt_refund in milliseconds.',
    provenance: synthetic('RSA2, v1, utf-8'),
    rawBody: signNotify(refundNotifyParams({ ...REFUND, refund_fee: '10.00' }), { privateKey: key }).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'refund' },
  });

  add({
    name: 'refund-full-closed',
    description: 'Full refund: refund_fee equals total_amount and the trade moves to TRADE_CLOSED (with gmt_close).',
    provenance: synthetic('RSA2, v1, utf-8'),
    rawBody: signNotify(
      refundNotifyParams({
        ...REFUND,
        out_biz_no: 'REFUND-20240603-0002',
        trade_status: 'TRADE_CLOSED',
        refund_fee: '88.88',
        gmt_refund: '2024-06-03 10:00:00.456',
        gmt_close: '2024-06-03 10:00:00',
        fund_bill_list: '[{"amount":"78.88","fundChannel":"ALIPAYACCOUNT"}]',
        notify_time: '2024-06-03 10:00:01',
        notify_id: '2024060300222100001012345678901234',
      }),
      { privateKey: key },
    ).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'refund' },
  });

  add({
    name: 'close-unpaid',
    description: 'An unpaid order closed after the payment timeout: TRADE_CLOSED with gmt_close and no payment fields.',
    provenance: synthetic('RSA2, v1, utf-8'),
    rawBody: signNotify(
      closeNotifyParams({
        ...ORDER,
        out_trade_no: 'ORDER-20240601-0002',
        trade_no: '2024060122001446870501234568',
        buyer_id: undefined,
        gmt_payment: undefined,
        gmt_close: '2024-06-01 12:15:01',
        notify_time: '2024-06-01 12:15:02',
        notify_id: '2024060100222121502012345678901234',
      }),
      { privateKey: key },
    ).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'close' },
  });

  add({
    name: 'payment-gbk',
    description: 'Payment notification in GBK (charset=gbk) with a Chinese subject and body: percent-encoded GBK bytes, signed over GBK bytes.',
    provenance: synthetic('RSA2, v1, gbk'),
    rawBody: signNotify(
      tradeNotifyParams({ ...ORDER, subject: '测试商品：中文标题 GBK', body: '支付宝异步通知，GBK 编码（含全角标点）' }),
      { privateKey: key, charset: 'gbk' },
    ).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });

  const sha1 = signNotify(tradeNotifyParams({ ...ORDER, sign_type: 'RSA' }), { privateKey: key, signType: 'RSA' }).body;
  add({
    name: 'payment-rsa-sha1',
    description: 'Payment notification signed with sign_type=RSA (SHA1withRSA), verified with signTypes ["RSA", "RSA2"].',
    provenance: synthetic('RSA (SHA-1), v1, utf-8'),
    rawBody: sha1,
    verifierOptions: { signTypes: ['RSA', 'RSA2'] },
    expected: { ok: true, signType: 'RSA', signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });
  add({
    name: 'payment-rsa-sha1-not-allowed',
    description: 'The RSA (SHA-1) notification above under the default allow-list (RSA2 only): refused before any key is tried.',
    provenance: synthetic('RSA (SHA-1), v1, utf-8; same body as payment-rsa-sha1'),
    rawBody: sha1,
    verifierOptions: {},
    expected: { ok: false, code: 'SIGN_TYPE_NOT_ALLOWED' },
  });

  add({
    name: 'message-service-transfer-changed',
    description:
      'Message-service (消息服务) notification alipay.fund.trans.order.changed: msg_method, biz_content JSON, utc_timestamp, version 1.1.',
    provenance: synthetic('RSA2, v1, utf-8'),
    rawBody: signNotify(
      messageNotifyParams({
        notify_id: '9f3ac1e2b7d04c5fa1e0c2d3b4a5f6e7',
        utc_timestamp: '1717214406123',
        biz_content:
          '{"action_type":"FINISH","biz_scene":"DIRECT_TRANSFER","order_id":"20240601110070000006780012345678","origin_interface":"alipay.fund.trans.uni.transfer","out_biz_no":"TRANSFER-20240601-0001","pay_date":"2024-06-01 12:00:05","pay_fund_order_id":"20240601110070001506780012345678","product_code":"TRANS_ACCOUNT_NO_PWD","status":"SUCCESS","trans_amount":"1.00"}',
      }),
      { privateKey: key },
    ).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'alipay.fund.trans.order.changed' },
  });

  const emptyParams = tradeNotifyParams({ ...ORDER, passback_params: '', body: '' });
  add({
    name: 'empty-value-skipped',
    description: 'Empty passback_params and body, signed the Java way (empty values left out of the sign string).',
    provenance: synthetic('RSA2, v1, utf-8, empty values skipped'),
    rawBody: signNotify(emptyParams, { privateKey: key }).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });
  add({
    name: 'empty-value-kept',
    description: 'The same empty values, signed as `key=` (the PHP/Node SDK form); the verifier tries both forms.',
    provenance: synthetic('RSA2, v1, utf-8, empty values kept as key='),
    rawBody: signNotify(emptyParams, { privateKey: key, emptyValues: 'keep' }).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });

  add({
    name: 'servicemarket-v2',
    description: 'Gateway-style notification signed V2 (sign_type is part of the signed string), like servicemarket_order_notify.',
    provenance: synthetic('RSA2, v2, utf-8'),
    rawBody: signNotify(
      {
        app_id: ORDER.app_id,
        charset: 'utf-8',
        commodity_order_id: '2024060100000018079639',
        merchant_pid: '2088000000000002',
        method: 'alipay.open.servicemarket.order.notify',
        name: '测试公司',
        notify_id: '2024060100222120006099999999999999',
        notify_time: ORDER.notify_time,
        notify_type: 'servicemarket_order_notify',
        order_item_num: '1',
        service_code: '58621634',
        sign_type: 'RSA2',
        timestamp: ORDER.notify_time,
        title: '测试模版',
        total_price: '0.00',
        version: '1.0',
      },
      { privateKey: key, signedContent: 'v2' },
    ).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signedContent: 'v2', type: 'servicemarket_order_notify' },
  });

  add({
    name: 'negative-tampered-amount',
    description: 'The payment notification with total_amount changed from 88.88 to 0.01 after signing.',
    provenance: synthetic('RSA2, v1, utf-8; then total_amount edited in the body'),
    rawBody: replaceOnce(payment.body, 'total_amount=88.88', 'total_amount=0.01'),
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: false, code: 'SIGNATURE_INVALID' },
  });
  add({
    name: 'negative-wrong-key',
    description: 'A payment notification signed with another key pair than the one configured (e.g. an app key, or another app).',
    provenance:
      'synthetic: signed by scripts/record-fixtures.ts with the TEST private key fixtures/keys/other-test-private.pem; publicKey is alipay-test-public.pem.',
    rawBody: signNotify(tradeNotifyParams(ORDER), { privateKey: keys.other.privateKey }).body,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: false, code: 'SIGNATURE_INVALID' },
  });
  add({
    name: 'negative-duplicate-param',
    description: 'The payment notification with a second total_amount appended (parameter pollution, or a query string merged in).',
    provenance: synthetic('RSA2, v1, utf-8; then "&total_amount=0.01" appended'),
    rawBody: `${payment.body}&total_amount=0.01`,
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: false, code: 'DUPLICATE_PARAM' },
  });
  add({
    name: 'negative-sign-plus-as-space',
    description: 'The payment notification after one extra URL-decoding of sign: each "%2B" became "+", which form decoding reads as a space.',
    provenance: synthetic('RSA2, v1, utf-8; then %2B in sign replaced by +'),
    rawBody: payment.body.replace(/sign=([^&]*)/, (_m, sign: string) => {
      if (!sign.includes('%2B')) throw new Error('record-fixtures: the payment sign has no "+"; change a fixed param');
      return `sign=${sign.replaceAll('%2B', '+')}`;
    }),
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: false, code: 'SIGN_MALFORMED' },
  });

  const v1File = 'trade-status-sync.v1.json';
  const v1 = realVector(v1File);
  add({
    name: 'real-trade-status-sync-v1',
    description: 'Real Alipay payment notification (trade_status_sync, 语雀空间, 0.10), UTF-8, RSA2, signed V1.',
    provenance: realProvenance(v1File, v1.source),
    rawBody: serializeForm(v1.params),
    publicKey: v1.alipayPublicKey,
    keyNote: realNote(v1File),
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signType: 'RSA2', signedContent: 'v1', type: 'trade_status_sync', kind: 'payment' },
  });
  const v2File = 'servicemarket-order-notify.v2.json';
  const v2 = realVector(v2File);
  const v2Body = serializeForm(v2.params);
  add({
    name: 'real-servicemarket-order-notify-v2',
    description: 'Real Alipay service-market order notification (charset=UTF-8 upper case), RSA2, signed V2 (sign_type kept).',
    provenance: realProvenance(v2File, v2.source),
    rawBody: v2Body,
    publicKey: v2.alipayPublicKey,
    keyNote: realNote(v2File),
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: true, signType: 'RSA2', signedContent: 'v2', type: 'servicemarket_order_notify' },
  });
  add({
    name: 'real-servicemarket-order-notify-tampered',
    description: 'The real service-market notification with service_code changed (58621634 -> 58621634111), as in the official SDK tests.',
    provenance: `${realProvenance(v2File, v2.source)} Then service_code edited in the body.`,
    rawBody: replaceOnce(v2Body, 'service_code=58621634', 'service_code=58621634111'),
    publicKey: v2.alipayPublicKey,
    keyNote: realNote(v2File),
    verifierOptions: { signTypes: ['RSA2'] },
    expected: { ok: false, code: 'SIGNATURE_INVALID' },
  });
  return fixtures.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Verifies one fixture; returns what differs from its expectation (empty when it matches). */
export async function checkFixture(fixture: NotifyFixture): Promise<string[]> {
  const result = await createVerifier(fixtureVerifierOptions(fixture)).verify(fixture.rawBody);
  const e = fixture.expected;
  const problems: string[] = [];
  if (result.ok !== e.ok) problems.push(`ok is ${result.ok}${result.ok ? '' : ` (${result.error.code})`}, expected ${e.ok}`);
  if (!result.ok && e.code !== undefined && result.error.code !== e.code) problems.push(`code ${result.error.code}, expected ${e.code}`);
  if (result.ok) {
    if (e.signType !== undefined && result.signType !== e.signType) problems.push(`signType ${result.signType}, expected ${e.signType}`);
    if (e.signedContent !== undefined && result.signedContent !== e.signedContent) {
      problems.push(`signedContent ${result.signedContent}, expected ${e.signedContent}`);
    }
    if (e.type !== undefined && result.notify.type !== e.type) problems.push(`type ${result.notify.type}, expected ${e.type}`);
    if (e.kind !== undefined && result.notify.kind !== e.kind) problems.push(`kind ${String(result.notify.kind)}, expected ${e.kind}`);
  }
  return problems;
}

export function fixtureFileText(fixture: NotifyFixture): string {
  const ordered = {
    name: fixture.name,
    description: fixture.description,
    provenance: fixture.provenance,
    rawBody: fixture.rawBody,
    publicKey: fixture.publicKey,
    keyNote: fixture.keyNote,
    verifierOptions: fixture.verifierOptions,
    expected: fixture.expected,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

async function main(): Promise<void> {
  const checkOnly = process.argv.includes('--check');
  const fixtures = buildFixtures(checkOnly ? readFixtureKeys() : ensureKeys());
  let failed = false;
  for (const fixture of fixtures) {
    const problems = await checkFixture(fixture);
    if (problems.length > 0) {
      failed = true;
      console.error(`${fixture.name}: ${problems.join('; ')}`);
    }
  }
  if (failed) throw new Error('record-fixtures: some fixtures do not give their expected outcome; nothing written.');
  mkdirSync(OUT_DIR, { recursive: true });
  const names = new Set(fixtures.map((f) => `${f.name}.json`));
  let stale = 0;
  for (const fixture of fixtures) {
    const file = join(OUT_DIR, `${fixture.name}.json`);
    const text = fixtureFileText(fixture);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    stale++;
    if (checkOnly) console.error(`${fixture.name}.json is out of date`);
    else writeFileSync(file, text);
  }
  const extra = readdirSync(OUT_DIR).filter((f) => f.endsWith('.json') && !names.has(f));
  for (const f of extra) console.error(`note: ${f} is not produced by this script (kept)`);
  if (checkOnly && stale > 0) throw new Error(`record-fixtures --check: ${stale} fixture file(s) out of date.`);
  console.log(`${fixtures.length} fixtures ${checkOnly ? 'up to date' : `checked, ${stale} written`} in ${OUT_DIR}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
