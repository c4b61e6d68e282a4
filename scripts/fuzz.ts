/*
 * The long fuzz run: `npm run fuzz` (100,000 cases by default).
 *   FUZZ_RUNS=250000 npm run fuzz      more cases
 *   FUZZ_SEED=12345 npm run fuzz       reproduce a run (the seed is printed at start and end)
 *   FUZZ_HANG_MS=2000                  per-verification time limit counted as a hang
 * Same properties as the CI slice in test/fuzz/fuzz.test.ts (which uses a fixed seed).
 */
import { runFuzz } from '../test/fuzz/properties.js';

const runs = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 0x7fffffff);
if (!Number.isSafeInteger(runs) || runs <= 0) throw new Error('FUZZ_RUNS must be a positive integer');
if (!Number.isSafeInteger(seed)) throw new Error('FUZZ_SEED must be an integer');

console.log(`fuzz: ${runs} cases, seed ${seed} (reproduce with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`);
try {
  const run = await runFuzz(runs, seed, (line) => console.log(line));
  const outcomes = [...run.stats.outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
  console.log(`fuzz: ${run.total} cases (${run.stats.cases} verifications) passed in ${(run.ms / 1000).toFixed(1)} s, seed ${seed}`);
  console.log(`  outcomes: ${outcomes.join(', ')}`);
  console.log(`  slowest verification: ${run.stats.maxMs.toFixed(1)} ms (${run.stats.maxCase.slice(0, 100)})`);
} catch (error) {
  console.error(`fuzz: FAILED with seed ${seed}`);
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
