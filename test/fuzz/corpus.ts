/*
 * The seed corpus for mutation fuzzing: the two real Alipay-signed notifications plus
 * notifications signed with a fixed test key (deterministic, so a fuzz seed reproduces).
 * Every seed is checked to verify, with params equal to an independently computed
 * expectation, before any mutation runs.
 */
import fc from 'fast-check';
import { createVerifier, type NotifyVerifier, type SignType } from '../../src/index.js';
import { signNotify, tradeNotifyParams, type SignNotifyOptions } from '../../src/testing/index.js';
import { formBody, realVector, type RealVectorName } from '../helpers/real.js';
import { FUZZ_TEST_PRIVATE_KEY, FUZZ_TEST_PUBLIC_KEY } from './test-key.js';

export interface Seed {
  name: string;
  /** The raw form body (ASCII: every non-trivial byte is percent-encoded). */
  body: string;
  /** The decoded params as sent, sign included. */
  sent: Readonly<Record<string, string>>;
  /** What a verification must return as `params`: the signed params plus sign_type. */
  expected: Readonly<Record<string, string>>;
  signType: SignType;
  verifier: NotifyVerifier;
}

/** Java's StringUtils.isEmpty for the values used here (empty or ASCII blanks). */
const blank = (value: string) => /^[ \t]*$/.test(value);

function expectedParams(sent: Readonly<Record<string, string>>, emptyValues: 'skip' | 'keep'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sent)) {
    if (k === 'sign') continue;
    if (k !== 'sign_type' && emptyValues === 'skip' && blank(v)) continue;
    out[k] = v;
  }
  return out;
}

const verifiers = {
  rsa2: createVerifier({ alipayPublicKey: FUZZ_TEST_PUBLIC_KEY }),
  both: createVerifier({ alipayPublicKey: FUZZ_TEST_PUBLIC_KEY, signTypes: ['RSA2', 'RSA'] }),
};

/** The fields tradeNotifyParams fills from the clock and random ids, fixed so seeds reproduce. */
const FIXED_TRADE_FIELDS = {
  gmt_create: '2026-11-30 10:00:00',
  buyer_id: '2088102534368455',
  notify_id: '2026113000222100000000000000000001',
  gmt_payment: '2026-11-30 10:00:04',
  notify_time: '2026-11-30 10:00:05',
  out_trade_no: 'ORDER-FUZZ-0001',
  trade_no: '2026113022001400000000000001',
};

/** A deterministic trade notification: the testing kit's, with its variable fields fixed. */
export function trade(overrides: Record<string, string> = {}): Record<string, string> {
  return tradeNotifyParams({ ...FIXED_TRADE_FIELDS, ...overrides });
}

function signedSeed(
  name: string,
  params: Record<string, string>,
  options: Omit<SignNotifyOptions, 'privateKey'> = {},
): Seed {
  const { body, params: sent } = signNotify(params, { privateKey: FUZZ_TEST_PRIVATE_KEY, ...options });
  const signType = (sent['sign_type'] as SignType | undefined) ?? 'RSA2';
  return {
    name,
    body,
    sent,
    expected: expectedParams(sent, options.emptyValues ?? 'skip'),
    signType,
    verifier: signType === 'RSA' ? verifiers.both : verifiers.rsa2,
  };
}

function realSeed(name: RealVectorName): Seed {
  const fixture = realVector(name);
  return {
    name: `real ${name}`,
    body: formBody(fixture.params),
    sent: fixture.params,
    expected: expectedParams(fixture.params, 'skip'),
    signType: 'RSA2',
    verifier: createVerifier({ alipayPublicKey: fixture.alipayPublicKey }),
  };
}

/** Keys the random seeds use: prefixed, so they never collide with typed fields. */
const extraKey = fc.stringMatching(/^x_[a-z0-9_.\-[\]]{1,12}$/);
/** Any code point but NUL (which the parser refuses by design) and "&name=" shapes. */
const extraValue = fc.string({ unit: 'binary', maxLength: 24 }).filter((v) => !v.includes('\0') && !/&[^&=]*=/.test(v));

/** The corpus. Real notifications first, then hand-picked shapes, then generated ones. */
export async function buildCorpus(generated = 24): Promise<Seed[]> {
  const seeds: Seed[] = [realSeed('trade-status-sync.v1'), realSeed('servicemarket-order-notify.v2')];
  seeds.push(
    signedSeed('trade utf-8 v1', trade()),
    signedSeed('trade v2', trade({ out_trade_no: 'ORDER-FUZZ-0002' }), { signedContent: 'v2' }),
    signedSeed('trade gbk', trade({ out_trade_no: 'ORDER-FUZZ-0003', subject: '语雀空间 会员', body: '中文描述' }), { charset: 'gbk' }),
    signedSeed('trade RSA (SHA-1)', trade({ out_trade_no: 'ORDER-FUZZ-0004', sign_type: 'RSA' }), { signType: 'RSA' }),
    signedSeed('empty values, Java form', trade({ out_trade_no: 'ORDER-FUZZ-0005', out_biz_no: '', passback_params: ' ' })),
    signedSeed('empty values kept', trade({ out_trade_no: 'ORDER-FUZZ-0006', out_biz_no: '', passback_params: '' }), { emptyValues: 'keep' }),
    signedSeed(
      'special characters',
      trade({
        out_trade_no: 'ORDER-FUZZ-0007',
        subject: 'a&b=c + 100% %41 %zz',
        body: ' leading and trailing ',
        passback_params: 'merchantBizType%3d3C%26x',
        voucher_detail_list: '[{"name":"券 \\"q\\"","amount":"1.00"}]',
      }),
    ),
    signedSeed('refund', trade({ out_trade_no: 'ORDER-FUZZ-0008', out_biz_no: 'REFUND-1', refund_fee: '8.88', gmt_refund: '2026-11-30 11:00:00.123' })),
  );
  const samples = fc.sample(fc.dictionary(extraKey, extraValue, { minKeys: 1, maxKeys: 8 }), { seed: 424242, numRuns: generated });
  samples.forEach((extra, i) => {
    const options: Omit<SignNotifyOptions, 'privateKey'> = i % 3 === 1 ? { signedContent: 'v2' } : {};
    const base = i % 2 === 0 ? trade({ out_trade_no: `ORDER-FUZZ-G${i}` }) : { notify_id: `G${i}`, charset: 'utf-8', sign_type: 'RSA2' };
    seeds.push(signedSeed(`generated ${i}`, { ...base, ...extra }, options));
  });
  for (const seed of seeds) {
    const result = await seed.verifier.verify(seed.body);
    if (!result.ok) throw new Error(`corpus seed "${seed.name}" does not verify: ${result.error.code} ${result.error.message}`);
    const got = JSON.stringify(Object.entries(result.params).sort());
    const want = JSON.stringify(Object.entries(seed.expected).sort());
    if (got !== want) throw new Error(`corpus seed "${seed.name}" verifies to unexpected params:\n${got}\n${want}`);
  }
  return seeds;
}
