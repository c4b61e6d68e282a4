/**
 * Parameter names Alipay sends (protocol.md §2.1, §6), as constant strings with a slot
 * number each. Reusing the constants instead of slicing a fresh string per key saves an
 * allocation per parameter and the engine's string-table lookup each time a fresh key
 * becomes a property name (the params map); the slot lets the typed model read its fields
 * from an array instead of looking each name up in the params map.
 */
export const KNOWN_NAMES = [
  'notify_time', 'notify_type', 'notify_id', 'app_id', 'auth_app_id', 'charset', 'version', 'sign_type', 'sign',
  'trade_no', 'out_trade_no', 'out_biz_no', 'buyer_id', 'buyer_open_id', 'buyer_logon_id', 'seller_id', 'seller_email',
  'trade_status', 'total_amount', 'receipt_amount', 'invoice_amount', 'buyer_pay_amount', 'point_amount', 'refund_fee',
  'subject', 'body', 'gmt_create', 'gmt_payment', 'gmt_refund', 'gmt_close', 'fund_bill_list', 'passback_params',
  'voucher_detail_list', 'merchant_app_id', 'alipay_cert_sn', 'msg_method', 'biz_content', 'utc_timestamp',
] as const;

export type KnownName = (typeof KNOWN_NAMES)[number];

/** Slot of each known name: `values[SLOT.total_amount]`. */
export const SLOT = Object.fromEntries(KNOWN_NAMES.map((name, slot) => [name, slot])) as { readonly [K in KnownName]: number };

/**
 * By slot: the name's place among the known names in Java's String order (UTF-16 code
 * units, which is also the default order of Array#sort), so two known names compare as
 * two small integers.
 */
export const SORT_RANK: readonly number[] = (() => {
  const order = [...KNOWN_NAMES].sort();
  return KNOWN_NAMES.map((name) => order.indexOf(name));
})();

const slotByName = new Map<string, number>(KNOWN_NAMES.map((name, slot) => [name, slot]));

// (length, first char, second-to-last char) tells the known names apart. Hashed with a
// multiplier chosen here so that no two names share an entry of a 256-slot table: one
// table read finds the only candidate, one native comparison confirms it.
const TABLE_MASK = 255;
const table = new Int8Array(TABLE_MASK + 1);
const hashWith = (m: number, length: number, first: number, secondLast: number): number => ((length * m + first) * m + secondLast) & TABLE_MASK;
const shortest = Math.min(...KNOWN_NAMES.map((name) => name.length));
const longest = Math.max(...KNOWN_NAMES.map((name) => name.length));
const MULTIPLIER = (() => {
  for (let m = 1; m < 256; m++) {
    table.fill(-1);
    let free = true;
    for (let slot = 0; slot < KNOWN_NAMES.length && free; slot++) {
      const name = KNOWN_NAMES[slot]!;
      const h = hashWith(m, name.length, name.charCodeAt(0), name.charCodeAt(name.length - 2));
      if (table[h] !== -1) free = false;
      else table[h] = slot;
    }
    if (free) return m;
  }
  throw new Error('known-keys: no collision-free table for the known names');
})();

/**
 * The slot of the known name spelled by `text[start..end)`, else -1. `text` holds one char
 * per byte (the body as latin1), so only ASCII spellings can match.
 */
export function knownSlot(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < shortest || length > longest) return -1;
  const slot = table[hashWith(MULTIPLIER, length, text.charCodeAt(start), text.charCodeAt(end - 2))]!;
  if (slot < 0) return -1;
  const name = KNOWN_NAMES[slot]!;
  return name.length === length && text.startsWith(name, start) ? slot : -1;
}

/** The slot of a key given as text (parsed-object input), else -1. */
export function slotOfName(name: string): number {
  return slotByName.get(name) ?? -1;
}
