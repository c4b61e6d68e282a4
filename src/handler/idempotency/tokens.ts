import type { BeginOptions, ClaimOptions } from './types.js';

/** A random claim token (Web Crypto, so it also runs outside Node). */
export function newClaimToken(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Remembers the tokens of claims begun without one, so that `complete`/`abort` called
 * without a token still act only on this caller's claim. The handler always passes a
 * token; this is for people who use a store directly.
 */
export class ClaimTokens {
  private readonly local = new Map<string, string>();

  /** The token to claim with. */
  forBegin(opts: BeginOptions): string {
    return opts.token ?? newClaimToken();
  }

  /** Call after a successful claim. */
  started(key: string, opts: BeginOptions, token: string): void {
    if (opts.token === undefined) this.local.set(key, token);
  }

  /** The token of this caller's claim on key, if it has one; forgets a remembered token. */
  release(key: string, opts?: ClaimOptions): string | undefined {
    const remembered = this.local.get(key);
    const token = opts?.token ?? remembered;
    if (remembered !== undefined && remembered === token) this.local.delete(key);
    return token;
  }
}

export function checkTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TypeError('ttlMs must be a positive, finite number of milliseconds.');
  }
  return Math.ceil(ttlMs);
}

/** SQL identifiers we accept for table names: `name` or `schema.name`, letters, digits, underscores. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Validates and double-quotes a table name (never interpolate user input otherwise). */
export function quoteTable(table: string): string {
  if (typeof table !== 'string' || !IDENT.test(table)) {
    throw new TypeError('table must be an identifier like "alipay_notify_events" or "schema.table".');
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

export const DEFAULT_TABLE = 'alipay_notify_idempotency';
