/**
 * Minimal X.509 reader on node-forge's ASN.1 parser. forge's `pki.certificateFromPem`
 * only accepts RSA keys, and Alipay's root bundle mixes RSA, SM2 and ECDSA certificates
 * (protocol.md §4.2), so the TBSCertificate fields are read here directly. Nothing is
 * verified: this only reads.
 */
import { forge, type Forge } from './forge.js';
import { NotifyError } from '../errors.js';
import { binaryToBytes, bytesToBinary, bytesToHex } from './bytes.js';

type Asn1 = Forge.asn1.Asn1;

const UNIVERSAL = 0x00;
const CONTEXT = 0x80;
const T = { INTEGER: 2, BITSTRING: 3, OID: 6, BMP: 30, SEQUENCE: 16, SET: 17, UTCTIME: 23, GENTIME: 24 } as const;

/** One attribute (type and value) of a distinguished name. */
export interface X509Attribute {
  /** Dotted OID of the attribute type, e.g. `2.5.4.3` for CN. */
  readonly oid: string;
  /** Universal tag of the value, e.g. 12 UTF8String, 19 PrintableString. */
  readonly tag: number;
  /** Content bytes of the value (without tag and length). */
  readonly data: Uint8Array;
  /** The whole DER TLV of the value (used for `OID=#hex`). */
  readonly der: Uint8Array;
}

/** A distinguished name: RDNs in DER order (least specific first), each a set of attributes. */
export interface X509Name {
  readonly rdns: readonly (readonly X509Attribute[])[];
}

export interface X509Info {
  readonly der: Uint8Array;
  /** Serial number as a signed integer (DER two's complement, like Java BigInteger). */
  readonly serial: bigint;
  /** OID of the outer signatureAlgorithm (Java `getSigAlgOID()`). */
  readonly signatureAlgorithmOid: string;
  readonly issuer: X509Name;
  readonly subject: X509Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** OID of the key algorithm in the SPKI (1.2.840.113549.1.1.1 for RSA). */
  readonly publicKeyAlgorithmOid: string;
}

class ShapeError extends Error {}

function expect(node: Asn1 | undefined, type: number, what: string, tagClass = UNIVERSAL): Asn1 {
  if (!node || node.tagClass !== tagClass || node.type !== type) throw new ShapeError(what);
  return node;
}

function children(node: Asn1, what: string): Asn1[] {
  if (!Array.isArray(node.value)) throw new ShapeError(what);
  return node.value;
}

function primitive(node: Asn1, what: string): string {
  if (typeof node.value !== 'string') throw new ShapeError(what);
  return node.value;
}

function readOid(node: Asn1 | undefined, what: string): string {
  return forge().asn1.derToOid(primitive(expect(node, T.OID, what), what));
}

function readAlgorithmOid(node: Asn1 | undefined, what: string): string {
  return readOid(children(expect(node, T.SEQUENCE, what), what)[0], what);
}

/** DER INTEGER content as a signed bigint (two's complement). */
export function readSerial(content: string): bigint {
  if (content.length === 0) throw new ShapeError('serialNumber');
  const unsigned = BigInt(`0x${bytesToHex(binaryToBytes(content))}`);
  const negative = (content.charCodeAt(0) & 0x80) !== 0;
  return negative ? unsigned - (1n << BigInt(content.length * 8)) : unsigned;
}

function readTime(node: Asn1 | undefined, what: string): Date {
  const raw = node && typeof node.value === 'string' ? node.value : undefined;
  let date: Date | undefined;
  if (raw !== undefined && node?.type === T.UTCTIME) date = forge().asn1.utcTimeToDate(raw);
  if (raw !== undefined && node?.type === T.GENTIME) date = forge().asn1.generalizedTimeToDate(raw);
  if (!date || Number.isNaN(date.getTime())) throw new ShapeError(what);
  return date;
}

/** Content bytes of a primitive value. forge turns BMPString into UTF-16 text: undo that. */
function valueBytes(node: Asn1): Uint8Array {
  if (typeof node.value !== 'string') return new Uint8Array(0);
  if (node.type !== T.BMP) return binaryToBytes(node.value);
  const out = new Uint8Array(node.value.length * 2);
  for (let i = 0; i < node.value.length; i++) {
    const c = node.value.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

function toDerBytes(node: Asn1): Uint8Array {
  return binaryToBytes(forge().asn1.toDer(node).getBytes());
}

function readAttribute(node: Asn1): X509Attribute {
  const [type, value] = children(expect(node, T.SEQUENCE, 'AttributeTypeAndValue'), 'AttributeTypeAndValue');
  if (!value) throw new ShapeError('AttributeTypeAndValue');
  const oid = readOid(type, 'AttributeType');
  return { oid, tag: value.tagClass === UNIVERSAL ? value.type : -1, data: valueBytes(value), der: toDerBytes(value) };
}

function readName(node: Asn1 | undefined, what: string): X509Name {
  const rdns = children(expect(node, T.SEQUENCE, what), what).map((rdn) =>
    children(expect(rdn, T.SET, what), what).map(readAttribute),
  );
  return { rdns };
}

function parseDer(der: Uint8Array): Asn1 {
  const buffer = forge().util.createBuffer(bytesToBinary(der));
  // decodeBitStrings:false keeps the key and signature BIT STRINGs as raw bytes.
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
  return (forge().asn1.fromDer as unknown as (b: Forge.util.ByteBuffer, o: object) => Asn1)(buffer, options);
}

function readCertificate(der: Uint8Array): X509Info {
  const [tbsNode, sigAlg] = children(expect(parseDer(der), T.SEQUENCE, 'Certificate'), 'Certificate');
  const tbs = children(expect(tbsNode, T.SEQUENCE, 'tbsCertificate'), 'tbsCertificate');
  let i = tbs[0]?.tagClass === CONTEXT && tbs[0].type === 0 ? 1 : 0; // optional [0] version
  const serial = readSerial(primitive(expect(tbs[i++], T.INTEGER, 'serialNumber'), 'serialNumber'));
  readAlgorithmOid(tbs[i++], 'signature');
  const issuer = readName(tbs[i++], 'issuer');
  const [nb, na] = children(expect(tbs[i++], T.SEQUENCE, 'validity'), 'validity');
  const subject = readName(tbs[i++], 'subject');
  const spkiNode = expect(tbs[i], T.SEQUENCE, 'subjectPublicKeyInfo');
  const [keyAlg, keyBits] = children(spkiNode, 'subjectPublicKeyInfo');
  expect(keyBits, T.BITSTRING, 'subjectPublicKey');
  return {
    der,
    serial,
    signatureAlgorithmOid: readAlgorithmOid(sigAlg, 'signatureAlgorithm'),
    issuer,
    subject,
    notBefore: readTime(nb, 'notBefore'),
    notAfter: readTime(na, 'notAfter'),
    spki: toDerBytes(spkiNode),
    publicKeyAlgorithmOid: readAlgorithmOid(keyAlg, 'subjectPublicKeyInfo.algorithm'),
  };
}

/** Reads the fields this library needs from a DER certificate. Throws `CERT_INVALID`. */
export function parseX509(der: Uint8Array): X509Info {
  try {
    return readCertificate(der);
  } catch (cause) {
    const where = cause instanceof ShapeError ? ` (at ${cause.message})` : '';
    return throwInvalid(`Not a readable X.509 certificate${where}.`, cause);
  }
}

function throwInvalid(message: string, cause: unknown): never {
  throw new NotifyError('CERT_INVALID', message, { cause });
}
