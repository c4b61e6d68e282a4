import { Decimal } from 'decimal.js';
import type { Notification } from '../model/types.js';

/** Plain decimal notation only: no exponent, hex, 'NaN' or 'Infinity', no spaces. */
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/**
 * Reads an amount exactly: a finite Decimal, a finite number (through its shortest string,
 * so `88.88` is exactly 88.88, never its binary approximation), or a string in plain decimal
 * notation (`"0.10"`, `"20"`). Anything else (NaN, Infinity, `"1e2"`, `" 1"`, `""`) is undefined.
 */
export function toAmount(value: unknown): Decimal | undefined {
  if (Decimal.isDecimal(value)) {
    const d = value as Decimal;
    return d.isFinite() ? d : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (typeof value === 'string') return PLAIN_DECIMAL.test(value) ? new Decimal(value) : undefined;
  return undefined;
}

/**
 * True when a notification amount (a `Decimal` from the verifier, e.g. `n.totalAmount`)
 * equals the expected order amount, compared exactly: `0.1` equals `"0.10"`, `88.88` (number)
 * equals `"88.88"`, `88.88` does not equal `88.89`. The expected amount may be a string of
 * yuan, a number of yuan or a Decimal. Invalid input (NaN, Infinity, a missing amount, a
 * string that is not plain decimal notation) is never equal to anything.
 */
export function amountEquals(actual: Decimal | undefined, expected: string | number | Decimal): boolean {
  const a = toAmount(actual);
  const e = toAmount(expected);
  return a !== undefined && e !== undefined && a.equals(e);
}

/**
 * True when the notification reports a completed payment: a trade notification whose
 * trade_status is TRADE_SUCCESS or TRADE_FINISHED and which is not a refund notification
 * (a partial refund also carries TRADE_SUCCESS). Alipay: only these two statuses mean
 * the buyer has paid.
 */
export function isPaid(n: Notification): boolean {
  if (n.kind === undefined || n.kind === 'refund') return false;
  return n.tradeStatus === 'TRADE_SUCCESS' || n.tradeStatus === 'TRADE_FINISHED';
}
