/**
 * Distinguished names written like Java's `X500Principal.getName()` (RFC 2253), which is
 * what Alipay hashes for cert SNs (protocol.md §4.2). Java's rules, reproduced here:
 * - RDNs in reverse DER order, joined with `,` (no spaces); multi-valued RDNs joined with `+`.
 * - Only CN, C, L, ST, O, OU, STREET, DC and UID have keywords; other types are written as
 *   the dotted OID with `#` + hex of the DER value (e.g. emailAddress).
 * - A value that is not a string type (UTF8, Printable, T61, IA5, General, BMP) is `#hex` too.
 * - String values are decoded as UTF-8 whatever their tag (Java does the same), then
 *   `,=+<>#;"\` get a backslash, NUL becomes `\00`, and leading or trailing spaces and CRs
 *   get a backslash each.
 */
import { bytesToHex, decodeUtf8Lenient } from './bytes.js';
import type { X509Attribute, X509Name } from './x509.js';

const RFC2253_KEYWORDS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

// UTF8String, PrintableString, T61String, IA5String, GeneralString, BMPString (Java AVA.isDerString).
const STRING_TAGS = new Set([12, 19, 20, 22, 27, 30]);
const ESCAPED = ',=+<>#;"\\';
const COMMON_NAME = '2.5.4.3';

function escapeChars(value: string): string {
  let out = '';
  for (const c of value) {
    if (ESCAPED.includes(c)) out += `\\${c}`;
    else if (c === '\u0000') out += '\\00';
    else out += c;
  }
  return out;
}

/** Java escapes each leading and trailing space or CR (after the escaping above). */
function escapeEdges(value: string): string {
  const isEdge = (c: string | undefined) => c === ' ' || c === '\r';
  let lead = 0;
  while (lead < value.length && isEdge(value[lead])) lead++;
  let trail = value.length - 1;
  while (trail >= 0 && isEdge(value[trail])) trail--;
  let out = '';
  for (let i = 0; i < value.length; i++) out += i < lead || i > trail ? `\\${value[i]}` : value[i];
  return out;
}

function formatAttribute(attr: X509Attribute): string {
  const keyword = RFC2253_KEYWORDS[attr.oid];
  if (keyword === undefined || !STRING_TAGS.has(attr.tag)) {
    return `${keyword ?? attr.oid}=#${bytesToHex(attr.der)}`;
  }
  return `${keyword}=${escapeEdges(escapeChars(decodeUtf8Lenient(attr.data)))}`;
}

/** The RFC 2253 string of a name, as Java `X500Principal.getName()` writes it. */
export function formatRfc2253(name: X509Name): string {
  return name.rdns
    .map((rdn) => rdn.map(formatAttribute).join('+'))
    .reverse()
    .join(',');
}

/** Decodes a value for display (by its tag, unlike the Java-compatible SN form). */
function displayValue(attr: X509Attribute): string {
  if (attr.tag !== 30) return decodeUtf8Lenient(attr.data);
  let out = '';
  for (let i = 0; i + 1 < attr.data.length; i += 2) {
    out += String.fromCharCode(((attr.data[i] ?? 0) << 8) | (attr.data[i + 1] ?? 0));
  }
  return out;
}

/** The most specific CN of a name (the last one in DER order), for messages. */
export function commonName(name: X509Name): string | undefined {
  const cns = name.rdns.flat().filter((a) => a.oid === COMMON_NAME);
  const last = cns[cns.length - 1];
  return last ? displayValue(last) : undefined;
}
