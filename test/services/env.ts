// Where the servers are: scripts/services.sh exports these; the defaults match its ports.
export const PG_URL = process.env['ALIPAY_NOTIFY_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:54329/alipay_notify_test';
export const REDIS_URL = process.env['ALIPAY_NOTIFY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:63799';

export type Backend =
  | { kind: 'pg'; url: string; table: string; effects: string }
  | { kind: 'redis'; url: string; prefix: string }
  | { kind: 'sqlite'; file: string };

export interface WorkerConfig {
  backend: Backend;
  /** out_trade_no of the one event every worker delivers. */
  event: string;
  /** Concurrent first deliveries by this process. */
  deliveries: number;
  /** 'race': deliver, then retry the fails until all succeed. 'hang': onTrade never returns (to be killed). */
  mode: 'race' | 'hang';
  claimTtlMs: number;
  onTradeMs: number;
  /** Pause between Alipay-style redelivery rounds. */
  retryDelayMs: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'in-onTrade' }
  | {
      type: 'result';
      pid: number;
      firstOutcomes: Record<string, number>;
      firstBodies: Record<string, number>;
      otherBodies: number;
      rounds: number;
      converged: boolean;
    }
  | { type: 'error'; message: string };
