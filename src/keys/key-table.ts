/** Candidate key lists and the alipay_cert_sn selection. */
import { NotifyError } from '../errors.js';
import type { KeyProviderContext } from '../types.js';
import type { VerificationKey } from './key-input.js';

/**
 * The candidate keys for one notification. `indexes[i]` is what `result.key.index` reports
 * for `keys[i]` (its position in the list it was configured in); without it, `i`.
 */
export type KeyLookup =
  | { ok: true; keys: readonly VerificationKey[]; indexes?: readonly number[] }
  | { ok: false; error: NotifyError };

export function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function snNotFound(sn: string, known: readonly string[]): KeyLookup {
  return {
    ok: false,
    error: new NotifyError('KEY_NOT_FOUND', `No configured Alipay certificate has alipay_cert_sn ${quoted(sn)}.`, {
      param: 'alipay_cert_sn',
      hint:
        `The notification names alipay_cert_sn ${quoted(sn)}; the configured certificates have ${known.join(', ')}. ` +
        'Alipay has probably re-issued its certificate: download the current alipayCertPublicKey_RSA2.crt and add it to the list ' +
        '(keep the old one during the switch).',
    }),
  };
}

/** A configured key with the index `result.key.index` reports for it. */
export interface IndexedKey {
  readonly key: VerificationKey;
  readonly index: number;
}

/**
 * A fixed list of keys with the `alipay_cert_sn` selection precomputed, so picking the
 * keys of a notification is one Map lookup.
 */
export class KeyTable {
  readonly all: KeyLookup;
  private readonly bySn: ReadonlyMap<string, KeyLookup> | undefined;
  private readonly sns: readonly string[];

  constructor(entries: readonly IndexedKey[]) {
    const keys = entries.map((e) => e.key);
    const identity = entries.every((e, i) => e.index === i);
    this.all = identity ? { ok: true, keys } : { ok: true, keys, indexes: entries.map((e) => e.index) };
    const groups = new Map<string, IndexedKey[]>();
    for (const entry of entries) {
      const sn = entry.key.certSn;
      if (sn !== undefined) groups.set(sn, [...(groups.get(sn) ?? []), entry]);
    }
    this.sns = [...groups.keys()];
    this.bySn =
      groups.size === 0
        ? undefined
        : new Map([...groups].map(([sn, list]) => [sn, { ok: true, keys: list.map((e) => e.key), indexes: list.map((e) => e.index) }]));
  }

  /** True when some key comes from a certificate. */
  get hasCertificates(): boolean {
    return this.bySn !== undefined;
  }

  /** The keys for a notification: with alipay_cert_sn and certificates, only the certificate with that SN. */
  select(ctx: KeyProviderContext): KeyLookup {
    if (this.bySn === undefined || ctx.certSn === undefined) return this.all;
    return this.bySn.get(ctx.certSn) ?? snNotFound(ctx.certSn, this.sns);
  }
}

/** The alipay_cert_sn selection over a list returned by a key provider (per request). */
export function selectBySn(keys: readonly VerificationKey[], ctx: KeyProviderContext): KeyLookup {
  const sn = ctx.certSn;
  if (sn === undefined || !keys.some((k) => k.certSn !== undefined)) return { ok: true, keys };
  const picked: VerificationKey[] = [];
  const indexes: number[] = [];
  keys.forEach((k, i) => {
    if (k.certSn === sn) {
      picked.push(k);
      indexes.push(i);
    }
  });
  if (picked.length > 0) return { ok: true, keys: picked, indexes };
  return snNotFound(sn, [...new Set(keys.flatMap((k) => (k.certSn === undefined ? [] : [k.certSn])))]);
}
