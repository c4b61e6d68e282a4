/*
 * What every verification must satisfy, whatever the input:
 *   - verify resolves (never throws, never rejects) within HANG_MS;
 *   - a failure is { ok: false, error } with a NotifyError of a known code and a hint;
 *   - a success is only possible for an input derived from a seed, and its params are
 *     exactly the seed's signed params (nothing added, dropped or changed).
 */
import { NOTIFY_ERROR_CODES, NotifyError, type NotifyBody, type NotifyVerifier, type VerifyResult } from '../../src/index.js';

export const HANG_MS = Number(process.env['FUZZ_HANG_MS'] ?? 2000);

export interface FuzzStats {
  cases: number;
  outcomes: Map<string, number>;
  maxMs: number;
  maxCase: string;
}

export function newStats(): FuzzStats {
  return { cases: 0, outcomes: new Map(), maxMs: 0, maxCase: '' };
}

const codes: ReadonlySet<string> = new Set(NOTIFY_ERROR_CODES);

/**
 * A short label for an input, for failure messages and the slowest-case record. It must not throw
 * itself: a revoked proxy throws even on `instanceof` (getPrototypeOf trap).
 */
export function describeInput(input: unknown): string {
  try {
    if (typeof input === 'string') return `string(${input.length}) ${JSON.stringify(input.slice(0, 120))}`;
    if (input instanceof Uint8Array) return `bytes(${input.length})`;
    if (input instanceof ArrayBuffer) return `ArrayBuffer(${input.byteLength})`;
    if (input instanceof URLSearchParams) return `URLSearchParams(${input.toString().slice(0, 120)})`;
    return `${typeof input} ${String(JSON.stringify(input)).slice(0, 120)}`;
  } catch {
    return `${typeof input} (unreadable)`;
  }
}

function sameParams(got: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): boolean {
  const g = Object.keys(got);
  const w = Object.keys(want);
  if (g.length !== w.length) return false;
  for (const k of w) if (!Object.hasOwn(got, k) || got[k] !== want[k]) return false;
  return true;
}

/**
 * Verifies and checks the result. `expected` is the seed's signed params when the input was
 * derived from a seed (ok:true then allowed only with exactly these params), undefined otherwise.
 * `mustVerify` is set for equivalence mutations: the result must be ok.
 */
export async function checkVerify(
  verifier: NotifyVerifier,
  input: unknown,
  expected: Readonly<Record<string, string>> | undefined,
  stats: FuzzStats,
  mustVerify = false,
): Promise<void> {
  const start = performance.now();
  let result: VerifyResult;
  try {
    result = await verifier.verify(input as NotifyBody);
  } catch (error) {
    throw new Error(`verify threw on ${describeInput(input)}: ${String(error)}`, { cause: error });
  }
  const ms = performance.now() - start;
  stats.cases++;
  if (ms > stats.maxMs) {
    stats.maxMs = ms;
    stats.maxCase = describeInput(input);
  }
  if (ms > HANG_MS) throw new Error(`verify took ${ms.toFixed(0)} ms (> ${HANG_MS}) on ${describeInput(input)}`);
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    throw new Error(`verify resolved to a non-result on ${describeInput(input)}`);
  }
  if (!result.ok) {
    const { error } = result;
    if (!(error instanceof NotifyError) || !codes.has(error.code) || typeof error.message !== 'string' || !error.hint) {
      throw new Error(`bad failure shape on ${describeInput(input)}: ${String(error)}`);
    }
    stats.outcomes.set(error.code, (stats.outcomes.get(error.code) ?? 0) + 1);
    if (mustVerify) {
      throw new Error(`an equivalent re-encoding was refused (${error.code}: ${error.message}) on ${describeInput(input)}`);
    }
    return;
  }
  stats.outcomes.set('ok', (stats.outcomes.get('ok') ?? 0) + 1);
  if (expected === undefined) throw new Error(`ok:true for an input not derived from a signed seed: ${describeInput(input)}`);
  if (!sameParams(result.params, expected)) {
    throw new Error(
      `ok:true with params that differ from the signed ones on ${describeInput(input)}:\n` +
        `got      ${JSON.stringify(result.params)}\nexpected ${JSON.stringify(expected)}`,
    );
  }
  if (result.notify.raw !== result.params) throw new Error('notify.raw is not the verified params');
}
