/**
 * Alipay times are China Standard Time without an offset: `yyyy-MM-dd HH:mm:ss`, and
 * `yyyy-MM-dd HH:mm:ss.S` (1–3 fraction digits) for gmt_refund (protocol.md §1).
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

const UTC_PLUS_8_MS = 8 * 60 * 60 * 1000;

/** Parses an Alipay time as UTC+8; undefined when the format or a field is invalid. */
export function parseAlipayTime(text: string): Date | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  // Date.UTC rolls over (Feb 30 -> Mar 2): refuse instead.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return new Date(utc - UTC_PLUS_8_MS);
}
