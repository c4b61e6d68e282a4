import { ClaimTokens, checkTtl } from './tokens.js';
import type { BeginOptions, BeginResult, ClaimOptions, IdempotencyStore } from './types.js';

/**
 * The one method this store needs: send a raw command, get the reply. node-redis v4/v5
 * clients have it (`client.sendCommand([...])`); for ioredis pass
 * `{ sendCommand: (args) => redis.call(args[0]!, ...args.slice(1)) }`.
 */
export interface RedisCommanderLike {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisIdempotencyStoreOptions {
  /** Prefix of every key. Default `alipay-notify:idem:`. */
  keyPrefix?: string;
  /**
   * How long a `done` marker is kept, in ms. Default 30 days: Alipay stops retrying after
   * about 25 hours, so this covers every retry with a wide margin. Redis is memory: a marker
   * without expiry would be kept forever.
   */
  doneTtlMs?: number;
}

const DONE = 'done';
const CLAIM_PREFIX = 'claimed:';
const DEFAULT_DONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes the key only if it still holds our claim (a worker whose lease expired must not free its successor's). */
const RELEASE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * An idempotency store in Redis. Safe for any number of processes sharing one Redis primary
 * (like any Redis lock it is not safe across a failover that loses recent writes).
 *
 * Claim: `SET key claimed:<token> NX PX ttlMs` (the lease expires by itself when a worker
 * dies). Complete: overwrite with `done` and a long expiry (`doneTtlMs`). Abort: a Lua script
 * deletes the key only if it still holds this caller's token.
 */
export function redisIdempotencyStore(
  client: RedisCommanderLike,
  options: RedisIdempotencyStoreOptions = {},
): IdempotencyStore {
  const prefix = options.keyPrefix ?? 'alipay-notify:idem:';
  const doneTtlMs = checkTtl(options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
  const tokens = new ClaimTokens();

  return {
    async begin(key: string, opts: BeginOptions): Promise<BeginResult> {
      const ttlMs = checkTtl(opts?.ttlMs);
      const token = tokens.forBegin(opts);
      const k = prefix + key;
      // Two rounds: if the key vanishes between SET NX and GET (claim expired or aborted), try once more.
      for (let round = 0; round < 2; round++) {
        const set = await client.sendCommand(['SET', k, CLAIM_PREFIX + token, 'NX', 'PX', String(ttlMs)]);
        if (set === 'OK') {
          tokens.started(key, opts, token);
          return 'started';
        }
        const value = await client.sendCommand(['GET', k]);
        if (value === DONE) return 'done';
        if (value !== null && value !== undefined) return 'busy';
      }
      return 'busy';
    },
    async complete(key: string, opts?: ClaimOptions): Promise<void> {
      tokens.release(key, opts);
      await client.sendCommand(['SET', prefix + key, DONE, 'PX', String(doneTtlMs)]);
    },
    async abort(key: string, opts?: ClaimOptions): Promise<void> {
      const token = tokens.release(key, opts);
      if (token === undefined) return;
      await client.sendCommand(['EVAL', RELEASE_SCRIPT, '1', prefix + key, CLAIM_PREFIX + token]);
    },
  };
}
