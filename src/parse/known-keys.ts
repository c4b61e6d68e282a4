/**
 * Parameter names Alipay sends (protocol.md §2.1, §6), as constant strings. Reusing them
 * instead of slicing a fresh string per key saves an allocation per parameter and the
 * engine's string-table lookup each time a fresh key becomes a property name (the params
 * map, the model): about 4% of a verification. Unknown names are sliced as usual.
 */
const NAMES = [
  'notify_time', 'notify_type', 'notify_id', 'app_id', 'auth_app_id', 'charset', 'version', 'sign_type', 'sign',
  'trade_no', 'out_trade_no', 'out_biz_no', 'buyer_id', 'buyer_open_id', 'buyer_logon_id', 'seller_id', 'seller_email',
  'trade_status', 'total_amount', 'receipt_amount', 'invoice_amount', 'buyer_pay_amount', 'point_amount', 'refund_fee',
  'subject', 'body', 'gmt_create', 'gmt_payment', 'gmt_refund', 'gmt_close', 'fund_bill_list', 'passback_params',
  'voucher_detail_list', 'merchant_app_id', 'alipay_cert_sn', 'msg_method', 'biz_content', 'utc_timestamp',
];
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = end - start;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  return hash;
}
function hashText(text: string): number {
  let hash = text.length;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}
const byHash = new Map<number, string>();
// A hash collision between two names only makes one of them "unknown": still correct.
for (const name of NAMES) if (!byHash.has(hashText(name))) byHash.set(hashText(name), name);
/** The constant string for a known parameter name spelled by these ASCII bytes, else undefined. */
export function knownKey(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > 24) return undefined;
  const name = byHash.get(hashBytes(bytes, start, end));
  if (name === undefined || name.length !== end - start) return undefined;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return undefined;
  return name;
}
