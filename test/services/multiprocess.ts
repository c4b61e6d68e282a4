// Parent side of the multi-process tests: fork workers, start them together, collect results.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Backend, WorkerConfig, WorkerMessage } from './env.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

type Result = Extract<WorkerMessage, { type: 'result' }>;

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  inOnTrade: Promise<void>;
  result: Promise<Result>;
}

export function startWorker(cfg: WorkerConfig): Worker {
  const child = fork(WORKER, [JSON.stringify(cfg)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let readyResolve!: () => void;
  let onTradeResolve!: () => void;
  let resultResolve!: (r: Result) => void;
  let resultReject!: (e: Error) => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const inOnTrade = new Promise<void>((r) => (onTradeResolve = r));
  const result = new Promise<Result>((res, rej) => {
    resultResolve = res;
    resultReject = rej;
  });
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') readyResolve();
    else if (m.type === 'in-onTrade') onTradeResolve();
    else if (m.type === 'result') resultResolve(m);
    else if (m.type === 'error') resultReject(new Error(`worker ${child.pid}: ${m.message}`));
  });
  child.on('exit', (code, signal) => {
    resultReject(new Error(`worker ${child.pid} exited (${code ?? signal}) before reporting`));
  });
  // A worker that fails before 'ready' must not hang the test.
  result.catch(() => readyResolve());
  return { child, ready, inOnTrade, result };
}

export const go = (w: Worker): void => {
  w.child.send('go');
};

/**
 * N processes deliver the same notification concurrently (`deliveries` each), then retry
 * their fails. Returns the results after checking the invariants common to every backend.
 */
export async function raceProcesses(
  backend: Backend,
  event: string,
  opts: { processes?: number; deliveries?: number } = {},
): Promise<Result[]> {
  const processes = opts.processes ?? 4;
  const workers = Array.from({ length: processes }, () =>
    startWorker({
      backend,
      event,
      deliveries: opts.deliveries ?? 250,
      mode: 'race',
      claimTtlMs: 60_000,
      onTradeMs: 100,
      retryDelayMs: 25,
    }),
  );
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) go(w);
  const results = await Promise.all(workers.map((w) => w.result));
  let processed = 0;
  for (const r of results) {
    expect(r.otherBodies).toBe(0); // every reply is success or fail
    expect(r.converged).toBe(true); // after the retries, every delivery got success
    processed += r.firstOutcomes['processed'] ?? 0;
    for (const outcome of Object.keys(r.firstOutcomes)) {
      expect(['processed', 'in_progress', 'duplicate']).toContain(outcome);
    }
  }
  expect(processed).toBe(1);
  expect(results.reduce((n, r) => n + (r.firstBodies['fail'] ?? 0), 0)).toBeGreaterThan(0);
  return results;
}

/**
 * A worker is killed (SIGKILL) while inside onTrade; a delivery to another process is
 * `in_progress` until the claim expires, then processes the event once.
 */
export async function killedWorker(backend: Backend, event: string, claimTtlMs: number): Promise<Result> {
  const victim = startWorker({ backend, event, deliveries: 1, mode: 'hang', claimTtlMs, onTradeMs: 0, retryDelayMs: 10 });
  victim.result.catch(() => {}); // it never reports: it is killed
  await victim.ready;
  go(victim);
  await victim.inOnTrade;
  victim.child.kill('SIGKILL');
  await new Promise((resolve) => victim.child.once('exit', resolve));

  const next = startWorker({ backend, event, deliveries: 1, mode: 'race', claimTtlMs, onTradeMs: 0, retryDelayMs: 50 });
  await next.ready;
  go(next);
  const r = await next.result;
  expect(r.converged).toBe(true);
  return r;
}
