/**
 * Alipay times are China Standard Time without an offset: `yyyy-MM-dd HH:mm:ss`, and
 * `yyyy-MM-dd HH:mm:ss.S` (1–3 fraction digits) for gmt_refund (protocol.md §1).
 */
const UTC_PLUS_8_MS = 8 * 60 * 60 * 1000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Formats a Date as an Alipay time: China Standard Time (UTC+8), no offset,
 * `yyyy-MM-dd HH:mm:ss`, or `yyyy-MM-dd HH:mm:ss.SSS` with `{ millis: true }` (gmt_refund).
 */
export function formatAlipayTime(date: Date, options: { millis?: boolean } = {}): string {
  const cst = new Date(date.getTime() + UTC_PLUS_8_MS).toISOString();
  return cst.slice(0, options.millis === true ? 23 : 19).replace('T', ' ');
}

/** Reads `count` ASCII digits at `at`; -1 when any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Parses an Alipay time as UTC+8; undefined when the format or a field is invalid. */
export function parseAlipayTime(text: string): Date | undefined {
  const length = text.length;
  if (
    (length !== 19 && (length < 21 || length > 23 || text.charCodeAt(19) !== 0x2e)) ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x20 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const fraction = length === 19 ? 0 : digits(text, 20, length - 20);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (second < 0 || second > 59 || fraction < 0) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // Refuse impossible dates (Feb 30) instead of letting Date.UTC roll them over.
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  const millis = fraction * 10 ** (3 - (length === 19 ? 3 : length - 20));
  const seconds = ((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60 + second;
  return new Date(seconds * 1000 + millis - UTC_PLUS_8_MS);
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in plain
 * arithmetic: the same value as Date.UTC(year, month - 1, day) / 864e5, without the builtin call.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
