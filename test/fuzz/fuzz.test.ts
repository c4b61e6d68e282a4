/*
 * The CI slice of the fuzzer: every property of test/fuzz/properties.ts with a fixed seed,
 * 6,000 cases in all. `npm run fuzz` runs the same properties with 100,000+ cases.
 */
import { expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { checkVerify, newStats } from './oracle.js';
import { hostileObjects, runFuzz } from './properties.js';
import { generateKeyPairSync } from 'node:crypto';

const SEED = 20261130;
const CASES = 6_000;

it(`fuzz slice: ${CASES} cases, seed ${SEED}: never throws, never hangs, never verifies tampered content`, async () => {
  const run = await runFuzz(CASES, SEED);
  expect(run.total).toBeGreaterThanOrEqual(5_000);
  expect(run.stats.cases).toBeGreaterThanOrEqual(run.total);
  // The mutants must reach the signature check, not only the parser.
  expect(run.stats.outcomes.get('SIGNATURE_INVALID') ?? 0).toBeGreaterThan(100);
  expect(run.stats.outcomes.get('ok') ?? 0).toBeGreaterThan(100);
}, 120_000);

it('the corpus trade notification is the same on every call (seeds must reproduce)', async () => {
  const { trade } = await import('./corpus.js');
  const first = trade();
  await new Promise((resolve) => setTimeout(resolve, 1100)); // tradeNotifyParams reads the clock
  expect(Object.entries(trade())).toEqual(Object.entries(first));
});

// CI once failed here: a revoked proxy happened to be the slowest case so far, and labelling it
// (`instanceof` runs the revoked getPrototypeOf trap) threw inside the oracle, not in verify.
it('the oracle survives every hostile object being the slowest case so far', async () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const verifier = createVerifier({ alipayPublicKey: publicKey });
  const stats = newStats();
  for (const input of hostileObjects()) {
    stats.maxMs = -1; // every case becomes the slowest and gets labelled
    await checkVerify(verifier, input, undefined, stats);
    expect(stats.maxCase).toMatch(/^\w+ /);
  }
  expect(stats.cases).toBe(hostileObjects().length);
});
