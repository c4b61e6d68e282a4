import Decimal from 'decimal.js';

/** Alipay amounts are Number(9,2) yuan strings ("0.10", "20"); protocol.md §7 item 8. */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

export function isAmount(text: string): boolean {
  return AMOUNT.test(text);
}

/** Parses an amount exactly (never through a float); undefined when the format is wrong. */
export function parseAmount(text: string): Decimal | undefined {
  return AMOUNT.test(text) ? new Decimal(text) : undefined;
}
