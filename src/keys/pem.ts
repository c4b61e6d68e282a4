import { decodeBase64Loose } from '../crypto/base64.js';
import { NotifyError } from '../errors.js';

// Any PEM block; the label is checked afterwards. Tolerates spaces around the armour words.
const PEM_BLOCK = /-----\s*BEGIN\s+([A-Z0-9 ]+?)\s*-----([\s\S]*?)-----\s*END\s+([A-Z0-9 ]+?)\s*-----/g;
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function invalid(message: string): NotifyError {
  return new NotifyError('CERT_INVALID', message);
}

/** Strips every whitespace (CRLF, tabs, spaces pasted from chat clients) and checks base64. */
function cleanBase64(body: string, where: string): string {
  const b64 = body.replace(/\s+/g, '');
  if (b64.length === 0 || b64.length % 4 === 1 || !BASE64.test(b64)) {
    throw invalid(`${where} is not valid base64.`);
  }
  return b64;
}

function wrapPem(b64: string): string {
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The `BEGIN CERTIFICATE` blocks of a PEM text, in file order, re-wrapped as clean PEM
 * (64-column base64, `\n` line ends). Accepts CRLF, stray spaces and missing line breaks;
 * ignores text between blocks and blocks of other types. Throws `CERT_INVALID` when a
 * certificate block is not base64.
 */
export function splitPemCertificates(text: string): string[] {
  return pemCertificateBodies(text).map(wrapPem);
}

function pemCertificateBodies(text: string): string[] {
  const bodies: string[] = [];
  let n = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    const [, begin = '', body = '', end = ''] = m;
    if (!CERT_LABELS.has(begin) || begin !== end) continue;
    n += 1;
    bodies.push(cleanBase64(body, `Certificate block ${n}`));
  }
  return bodies;
}

/** A sentence saying what the text looks like when it holds no certificate. */
function describeNonCertificate(text: string): string {
  if (/PRIVATE KEY-----/.test(text)) {
    return 'This is a private key, not a certificate: never configure a private key here.';
  }
  if (/PUBLIC KEY-----/.test(text)) {
    return 'This is a public key, not a certificate: pass it as alipayPublicKey instead.';
  }
  if (!/[\r\n]/.test(text) && /\.(crt|pem|cer)\s*$/i.test(text)) {
    return 'This looks like a file path: pass the content of the file, not its name.';
  }
  return 'No BEGIN CERTIFICATE block found.';
}

function bareBase64Der(text: string): Uint8Array | undefined {
  const b64 = text.replace(/\s+/g, '');
  if (b64.length < 64 || b64.length % 4 === 1 || !BASE64.test(b64)) return undefined;
  const der = decodeBase64Loose(b64);
  return der[0] === 0x30 ? der : undefined;
}

/**
 * DER of every certificate in the input, in order. Input: PEM text (one or several
 * blocks), PEM text as bytes, raw DER bytes, or the bare base64 body of one certificate.
 */
export function readCertificateDers(input: string | Uint8Array): Uint8Array[] {
  if (input instanceof Uint8Array) {
    if (input[0] === 0x30) return [input];
    input = new TextDecoder('utf-8').decode(input);
  }
  if (typeof input !== 'string') throw invalid('A certificate must be PEM text or bytes.');
  const bodies = pemCertificateBodies(input);
  if (bodies.length > 0) return bodies.map((b64) => decodeBase64Loose(b64));
  const bare = /-----/.test(input) ? undefined : bareBase64Der(input);
  if (bare) return [bare];
  throw invalid(describeNonCertificate(input));
}
