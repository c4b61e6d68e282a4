import { Decimal } from 'decimal.js';

/** Alipay amounts are Number(9,2) yuan strings ("0.10", "20"); protocol.md §7 item 8. */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

// Decimals are immutable, so equal amounts can share one instance: a notification carries the
// same amount in four or five fields, and "0.00" is everywhere. Bounded, oldest out first.
const cache = new Map<string, Decimal>();
const CACHE_SIZE = 512;

/** Parses an amount exactly (never through a float); undefined when the format is wrong. */
export function parseAmount(text: string): Decimal | undefined {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  if (!AMOUNT.test(text)) return undefined;
  const amount = new Decimal(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, amount);
  return amount;
}
