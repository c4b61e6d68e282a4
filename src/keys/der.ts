/**
 * Just enough DER to read and wrap RSA public keys without node:crypto: the WebCrypto build
 * parses keys with this, and so does the Node build (one parser, the same messages on both).
 * Strict: definite minimal lengths, no trailing bytes.
 */

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;

interface Tlv {
  readonly tag: number;
  /** First byte of the TLV (the tag). */
  readonly start: number;
  /** Content, [contentStart, end). */
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags: never in a key
  let length = der[offset + 1]!;
  let p = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[p++]!;
    if (length < 0x80 || der[offset + 2] === 0) return undefined; // not minimal
  }
  if (p + length > limit) return undefined;
  return { tag, start: offset, contentStart: p, end: p + length };
}

/** The TLVs filling [start, end) exactly, or undefined. */
function readAll(der: Uint8Array, start: number, end: number): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let p = start; p < end; ) {
    const tlv = readTlv(der, p, end);
    if (!tlv) return undefined;
    out.push(tlv);
    p = tlv.end;
  }
  return out;
}

function children(der: Uint8Array, tlv: Tlv | undefined): Tlv[] | undefined {
  if (!tlv || tlv.tag !== SEQUENCE) return undefined;
  return readAll(der, tlv.contentStart, tlv.end);
}

/** Dotted OID text of an OBJECT IDENTIFIER's content. */
function oidText(der: Uint8Array, tlv: Tlv): string | undefined {
  if (tlv.tag !== OID || tlv.end === tlv.contentStart) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let p = tlv.contentStart; p < tlv.end; p++) {
    const b = der[p]!;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return arcs.join('.');
}

/** Bits of a positive INTEGER; undefined for zero, negative or non-minimal encodings. */
function positiveIntegerBits(der: Uint8Array, tlv: Tlv | undefined): number | undefined {
  if (!tlv || tlv.tag !== INTEGER || tlv.end === tlv.contentStart) return undefined;
  let p = tlv.contentStart;
  if (der[p]! & 0x80) return undefined; // negative
  if (der[p] === 0) {
    if (p + 1 === tlv.end || !(der[p + 1]! & 0x80)) return undefined; // zero, or a needless leading 0
    p++;
  }
  return (tlv.end - p - 1) * 8 + (32 - Math.clz32(der[p]!));
}

function smallInteger(der: Uint8Array, tlv: Tlv | undefined): number | undefined {
  if (!tlv || tlv.tag !== INTEGER || tlv.end - tlv.contentStart !== 1) return undefined;
  return der[tlv.contentStart];
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** node:crypto's asymmetricKeyType names, so both builds word "is a … key" alike. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.110': 'x25519',
  '1.3.101.111': 'x448',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
  '1.2.840.10040.4.1': 'dsa',
  '1.2.840.113549.1.3.1': 'dh',
  '1.2.840.113549.1.1.10': 'rsa-pss',
};

/** What a DER blob is, as far as configuring an Alipay public key goes. */
export type KeyDer =
  | { readonly kind: 'rsa-public'; readonly spki: Uint8Array; readonly modulusBits: number }
  | { readonly kind: 'other-public'; readonly keyType: string }
  | { readonly kind: 'private' }
  | { readonly kind: 'certificate' }
  | { readonly kind: 'unknown' };

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }: the modulus bits. */
function rsaPublicKeyBits(der: Uint8Array, tlv: Tlv | undefined): number | undefined {
  const parts = children(der, tlv);
  if (!parts || parts.length !== 2) return undefined;
  const bits = positiveIntegerBits(der, parts[0]);
  return bits !== undefined && positiveIntegerBits(der, parts[1]) !== undefined ? bits : undefined;
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

function tlvBytes(tag: number, content: Uint8Array): Uint8Array {
  const header = [tag, ...lengthBytes(content.length)];
  const out = new Uint8Array(header.length + content.length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

// SEQUENCE { OID rsaEncryption, NULL }
const RSA_ALGORITHM = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);

/**
 * Wraps a PKCS#1 RSAPublicKey (`BEGIN RSA PUBLIC KEY`) into a SubjectPublicKeyInfo, the
 * form WebCrypto imports: SEQUENCE { AlgorithmIdentifier rsaEncryption, BIT STRING { 0, key } }.
 */
function rsaPublicKeyToSpki(rsaPublicKey: Uint8Array): Uint8Array {
  const bits = new Uint8Array(rsaPublicKey.length + 1);
  bits.set(rsaPublicKey, 1); // no unused bits
  const bitString = tlvBytes(BIT_STRING, bits);
  const content = new Uint8Array(RSA_ALGORITHM.length + bitString.length);
  content.set(RSA_ALGORITHM, 0);
  content.set(bitString, RSA_ALGORITHM.length);
  return tlvBytes(SEQUENCE, content);
}

function fromSpki(der: Uint8Array, parts: Tlv[]): KeyDer {
  const [algorithm, key] = parts as [Tlv, Tlv];
  const algorithmParts = children(der, algorithm);
  const oid = algorithmParts?.[0] && oidText(der, algorithmParts[0]);
  if (!oid || key.tag !== BIT_STRING || key.end === key.contentStart || der[key.contentStart] !== 0) return { kind: 'unknown' };
  if (oid !== RSA_ENCRYPTION) {
    const keyType = KEY_TYPES[oid];
    return keyType ? { kind: 'other-public', keyType } : { kind: 'unknown' };
  }
  const params = algorithmParts.slice(1);
  if (params.length > 1 || (params[0] && (params[0].tag !== NULL || params[0].end !== params[0].contentStart))) return { kind: 'unknown' };
  const inner = readAll(der, key.contentStart + 1, key.end);
  if (!inner || inner.length !== 1) return { kind: 'unknown' };
  const rsaKey = inner[0]!;
  const modulusBits = rsaPublicKeyBits(der, rsaKey);
  if (modulusBits === undefined) return { kind: 'unknown' };
  // Re-wrapped canonically (rsaEncryption with its NULL parameter), which every importer takes.
  return { kind: 'rsa-public', spki: rsaPublicKeyToSpki(der.subarray(rsaKey.start, rsaKey.end)), modulusBits };
}

/**
 * Classifies DER bytes: an RSA public key (SPKI or PKCS#1, returned as SPKI with its modulus
 * length), another kind of public key, a private key (PKCS#8, encrypted PKCS#8, PKCS#1,
 * SEC1), an X.509 certificate, or something else.
 */
export function classifyKeyDer(der: Uint8Array): KeyDer {
  const top = readTlv(der, 0, der.length);
  if (!top || top.end !== der.length) return { kind: 'unknown' };
  const parts = children(der, top);
  if (!parts || parts.length < 2) return { kind: 'unknown' };
  const [first, second] = parts as [Tlv, Tlv];

  // RSAPublicKey (PKCS#1): two positive INTEGERs.
  if (parts.length === 2 && first.tag === INTEGER && second.tag === INTEGER) {
    const modulusBits = rsaPublicKeyBits(der, top);
    return modulusBits === undefined ? { kind: 'unknown' } : { kind: 'rsa-public', spki: rsaPublicKeyToSpki(der), modulusBits };
  }
  // SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING.
  if (parts.length === 2 && first.tag === SEQUENCE && second.tag === BIT_STRING) return fromSpki(der, parts);
  // EncryptedPrivateKeyInfo: AlgorithmIdentifier, OCTET STRING.
  if (parts.length === 2 && first.tag === SEQUENCE && second.tag === OCTET_STRING) return { kind: 'private' };
  // Certificate: tbsCertificate, signatureAlgorithm, signature.
  if (parts.length === 3 && first.tag === SEQUENCE && second.tag === SEQUENCE && parts[2]!.tag === BIT_STRING) {
    return { kind: 'certificate' };
  }
  const version = smallInteger(der, first);
  if (version === 0 || version === 1) {
    // PrivateKeyInfo / OneAsymmetricKey (PKCS#8): version, AlgorithmIdentifier, OCTET STRING.
    if (second.tag === SEQUENCE && parts[2]?.tag === OCTET_STRING) return { kind: 'private' };
    // RSAPrivateKey (PKCS#1): version, n, e, d, p, q, dp, dq, qinv.
    if (parts.length >= 9 && parts.slice(1, 9).every((p) => p.tag === INTEGER)) return { kind: 'private' };
    // ECPrivateKey (SEC1): version 1, OCTET STRING privateKey, ...
    if (version === 1 && second.tag === OCTET_STRING) return { kind: 'private' };
  }
  return { kind: 'unknown' };
}
