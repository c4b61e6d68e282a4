/**
 * `diagnose`: for a notification that does not verify, try the known failure modes
 * (protocol.md §8, P1–P16) by transforming the body or the key and verifying again with the
 * library. A mode "explains" the failure only when its transform makes the signature verify;
 * everything else is reported as ruled out, not applicable, or a note.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createVerifier, type NotifyBody, type NotifyVerifier, type SignType, type VerifierOptions } from '../../index.js';
import { nodeCrypto } from '../../crypto/node.js';
import { binaryToBytes, bytesToBinary } from '../../keys/bytes.js';
import { checkAlipayCertificate, parseAlipayCertificate } from '../../keys/cert.js';
import { loadRootBundle, type RootBundle } from '../../keys/cert-chain.js';
import { readAlipayCertificate } from '../../keys/cert-keys.js';
import { parsePublicKey } from '../../keys/key-input.js';
import { normalizeCharset } from '../../parse/charset.js';
import { encodeGbk, serializeForm } from '../../testing/index.js';
import { signStringOf } from '../summary.js';
import { KNOWN_ALIPAY_PARAMS } from './known-params.js';
import {
  joinRaw,
  keyOf,
  splitRaw,
  strictUtf8,
  textOf,
  valueBytesOf,
  withValue,
  type Segment,
} from './raw-form.js';

export interface DiagnoseKey {
  /** Where it came from, for messages (a file name). Never the key itself. */
  label: string;
  /** Key text as configured (PEM / base64 / whatever was pasted), or a KeyObject. */
  input: string | KeyObject;
}

export interface DiagnoseCert {
  /** Where it came from, for messages (a file name). */
  label: string;
  /** The certificate file as configured (PEM text, or PEM / DER bytes), for alipayPublicCert. */
  input: string | Uint8Array;
}

export interface DiagnoseInput {
  /** Raw body bytes, or params a framework parsed (verified as UTF-8 text, like the library). */
  body: Uint8Array | Readonly<Record<string, string>>;
  /** The key(s) configured as the Alipay public key. */
  alipayKeys: readonly DiagnoseKey[];
  /** The certificate(s) configured as the Alipay public-key certificate (alipayPublicCert). */
  alipayCerts?: readonly DiagnoseCert[];
  /** The root bundle alipayRootCert.crt as configured (alipayRootCert): the certificates must chain to it. */
  alipayRootCert?: string | Uint8Array;
  /** The app's own public key(s) (应用公钥), to recognise P1. */
  appPublicKeys?: readonly DiagnoseKey[];
  /** The app's private key(s) (应用私钥): only their public halves are compared, never shown. */
  appPrivateKeys?: readonly DiagnoseKey[];
  /** Keys that came from the query string or route (P4). */
  queryKeys?: readonly string[];
  /** The configured allow-list. Default ['RSA2']. */
  signTypes?: readonly SignType[];
}

export type CheckStatus = 'explains' | 'ruled-out' | 'not-applicable' | 'note';

export interface Check {
  id: string;
  pitfall: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** How to fix it (for 'explains' and notes). */
  fix?: string;
  /** The sign string of the body that verified after the fix. */
  signString?: string;
}

export interface DiagnoseReport {
  /** Whether the body verifies as given with the configured key(s) and sign types. */
  valid: boolean;
  initial: { ok: true; signType: SignType; signedContent: 'v1' | 'v2' } | { ok: false; code: string; message: string; hint: string };
  /** The modes that explain the failure, most specific first. Empty when valid or unexplained. */
  causes: Check[];
  /** Everything that was checked, in order. */
  checks: Check[];
  /** The v1 sign string of the body as received (undefined when it does not parse). */
  signString?: string;
  /** A summary sentence. */
  conclusion: string;
}

const ALL_TYPES: SignType[] = ['RSA2', 'RSA'];

function derOf(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Key text cleaned of everything that is not base64: armor, quotes, escapes, chat-app spaces, full-width forms. */
function repairKeyText(text: string): KeyObject | undefined {
  const cleaned = text
    .normalize('NFKC')
    .replace(/\\[nrt]/g, ' ')
    .replace(/-*\s*(BEGIN|END)\s+(RSA\s+)?PUBLIC\s+KEY\s*-*/g, ' ')
    .replace(/[^A-Za-z0-9+/=]/g, '');
  const body = cleaned.replace(/=+(?=.)/g, '');
  if (body.length < 100) return undefined;
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type });
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // next form
    }
  }
  return undefined;
}

function publicHalfOfPrivate(input: string | KeyObject): KeyObject | undefined {
  try {
    if (typeof input !== 'string') return input.type === 'private' ? createPublicKey(input) : undefined;
    const pem = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(input);
    if (pem) return createPublicKey(createPrivateKey(input));
    const der = Buffer.from(input.replace(/\\[nr]/g, '').replace(/\s+/g, ''), 'base64');
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      try {
        return createPublicKey(createPrivateKey({ key: der, format: 'der', type }));
      } catch {
        // next
      }
    }
  } catch {
    // not a private key
  }
  return undefined;
}

function anyPublicKey(input: string | KeyObject): KeyObject | undefined {
  try {
    return parsePublicKey(input, 'key', nodeCrypto).handle as KeyObject;
  } catch {
    return publicHalfOfPrivate(input) ?? (typeof input === 'string' ? repairKeyText(input) : undefined);
  }
}

interface KeyAnalysis {
  /** Keys to verify with (alipayPublicKey). */
  usable: KeyObject[];
  /** Certificates the library accepts and that are valid now (alipayPublicCert). */
  certs: Array<string | Uint8Array>;
  checks: Check[];
  /** Labels of keys that only parsed after repair. */
  repaired: string[];
}

/** The configured root bundle, read once: undefined when none is configured, null when it is refused (a check says why). */
function rootBundleOf(input: DiagnoseInput, checks: Check[]): RootBundle | undefined | null {
  if (input.alipayRootCert === undefined || (input.alipayCerts ?? []).length === 0) return undefined;
  try {
    return loadRootBundle(input.alipayRootCert);
  } catch (error) {
    checks.push({
      id: 'root-bundle',
      pitfall: 'P14',
      title: 'the root bundle is refused',
      status: 'explains',
      detail: `${error instanceof Error ? error.message : String(error)} createVerifier refuses this alipayRootCert.`,
      fix: 'Configure alipayRootCert.crt as downloaded from the Alipay open platform (接口加签方式), unmodified.',
    });
    return null;
  }
}

function analyseKeys(input: DiagnoseInput): KeyAnalysis {
  const checks: Check[] = [];
  const usable: KeyObject[] = [];
  const certs: Array<string | Uint8Array> = [];
  const certKeys: KeyObject[] = [];
  const repaired: string[] = [];
  for (const key of input.alipayKeys) {
    try {
      usable.push(parsePublicKey(key.input, key.label, nodeCrypto).handle as KeyObject);
      continue;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const text = typeof key.input === 'string' ? key.input : '';
      if (/private key/.test(message)) {
        const half = publicHalfOfPrivate(key.input);
        if (half) usable.push(half);
        checks.push({
          id: 'private-key-as-alipay-key',
          pitfall: 'P1',
          title: 'a private key is configured as the Alipay public key',
          status: 'explains',
          detail: `${key.label} is a private key (most likely your 应用私钥, the app private key). The library refuses it; other SDKs fail every verification with it.`,
          fix: 'Configure the 支付宝公钥 (Alipay public key) shown in the Alipay console (开发设置 → 接口加签方式 → 查看支付宝公钥). Keep private keys out of verifier configuration.',
        });
        continue;
      }
      if (/-----BEGIN CERTIFICATE-----/.test(text)) {
        try {
          usable.push(new X509Certificate(text).publicKey);
        } catch {
          // reported below as unparseable
        }
        checks.push({
          id: 'certificate-as-key',
          pitfall: 'P14',
          title: 'a certificate is configured as the Alipay public key',
          status: 'explains',
          detail: `${key.label} is an X.509 certificate, not a public key.`,
          fix: 'In certificate mode pass alipayCertPublicKey_RSA2.crt as a certificate (--alipay-cert here); make sure it is the Alipay certificate, not appCertPublicKey_*.crt.',
        });
        continue;
      }
      const fixed = repairKeyText(text);
      if (fixed) {
        usable.push(fixed);
        repaired.push(key.label);
        continue;
      }
      checks.push({
        id: 'key-unparseable',
        pitfall: 'P13',
        title: 'the Alipay public key does not parse',
        status: 'explains',
        detail: `${key.label}: ${message} It does not parse even after removing armor, quotes, escapes and stray characters: it is truncated or not a key.`,
        fix: 'Copy the 支付宝公钥 again from the Alipay console, in full (about 392 base64 characters for RSA2), without going through a chat app.',
      });
    }
  }

  // The library's own certificate reading: app and root certificates are refused, dates checked,
  // and with a root bundle the chain (and the dates of its intermediates).
  const rootBundle = rootBundleOf(input, checks);
  for (const cert of input.alipayCerts ?? []) {
    let parsed;
    try {
      parsed = readAlipayCertificate(cert.input);
    } catch (error) {
      // An app or root certificate still holds a key: the checks below use it.
      try {
        usable.push(parseAlipayCertificate(cert.input).publicKey);
      } catch {
        // not a certificate at all
      }
      checks.push({
        id: 'certificate-refused',
        pitfall: 'P14',
        title: 'the Alipay certificate is refused',
        status: 'explains',
        detail: `${cert.label}: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'Configure alipayCertPublicKey_RSA2.crt (the 支付宝公钥证书) as the Alipay certificate; appCertPublicKey_<appid>.crt only serves app_cert_sn in your requests, and alipayRootCert.crt is the root bundle (alipayRootCert).',
      });
      continue;
    }
    const problem = rootBundle === null ? undefined : checkAlipayCertificate(parsed, rootBundle ? { rootBundle } : {});
    if (rootBundle === null || problem?.code === 'CERT_UNTRUSTED') {
      usable.push(parsed.publicKey);
      checks.push({
        id: 'certificate-untrusted',
        pitfall: 'P14',
        title: 'the Alipay certificate does not chain to the root bundle',
        status: 'explains',
        detail: `${cert.label}: ${problem?.message ?? 'the root bundle is unreadable (see root-bundle).'} The verifier refuses it (CERT_UNTRUSTED).`,
        fix: 'Configure the alipayCertPublicKey_RSA2.crt and alipayRootCert.crt downloaded together from the Alipay open platform (接口加签方式), as shipped: the Alipay certificate file also holds its intermediate CA.',
      });
      continue;
    }
    if (problem) {
      // CERT_EXPIRED: the certificate's own dates, or those of an intermediate of its chain.
      usable.push(parsed.publicKey);
      checks.push({
        id: 'certificate-expired',
        pitfall: 'P14',
        title: 'the Alipay certificate is outside its validity period',
        status: 'explains',
        detail: `${cert.label}: ${problem.message} The verifier does not use it (CERT_EXPIRED).`,
        fix: 'Download the current alipayCertPublicKey_RSA2.crt from the Alipay open platform (接口加签方式); during a renewal configure both, the notification picks its certificate by alipay_cert_sn. Check the system clock too.',
      });
      continue;
    }
    certs.push(cert.input);
    certKeys.push(parsed.publicKey);
  }

  // P1: the configured "Alipay" key is the app's own public key.
  const given = [...(input.appPublicKeys ?? []), ...(input.appPrivateKeys ?? [])];
  if (given.length === 0) {
    checks.push({
      id: 'app-public-key',
      pitfall: 'P1',
      title: 'app public key instead of Alipay public key',
      status: 'not-applicable',
      detail: 'Give --app-public-key or --private-key (your app key) to check whether the configured key is your own app key.',
    });
  } else {
    const appDers = new Map<string, string>();
    for (const k of input.appPublicKeys ?? []) {
      const key = anyPublicKey(k.input);
      if (key) appDers.set(derOf(key), k.label);
    }
    for (const k of input.appPrivateKeys ?? []) {
      const key = publicHalfOfPrivate(k.input);
      if (key) appDers.set(derOf(key), `the public half of ${k.label}`);
    }
    const clash = [...usable, ...certKeys].map((key, i) => ({ i, match: appDers.get(derOf(key)) })).filter((x) => x.match !== undefined);
    checks.push(
      clash.length > 0
        ? {
            id: 'app-public-key',
            pitfall: 'P1',
            title: 'app public key instead of Alipay public key',
            status: 'explains',
            detail: `The key configured as the Alipay public key is your app's own key (${clash[0]!.match}). Alipay signs notifications with its own key, so they never verify with yours.`,
            fix: 'Use the 支付宝公钥 (Alipay public key) from the Alipay console, not the 应用公钥 you uploaded. This is the most common cause of 验签失败.',
          }
        : {
            id: 'app-public-key',
            pitfall: 'P1',
            title: 'app public key instead of Alipay public key',
            status: 'ruled-out',
            detail: 'The configured key differs from the app key(s) given.',
          },
    );
  }
  return { usable, certs, checks, repaired };
}

interface Candidate {
  id: string;
  detail: string;
  body: NotifyBody;
}

function rawOf(body: DiagnoseInput['body']): { raw: string; fromObject: boolean } {
  if (body instanceof Uint8Array) return { raw: bytesToBinary(body), fromObject: false };
  // Parsed params: transforms work on their UTF-8 form encoding (same signed bytes).
  return { raw: bytesToBinary(new TextEncoder().encode(serializeForm({ ...body }))), fromObject: true };
}

const ENTITY_SOURCE = /&(quot|amp|lt|gt|apos|#\d{1,5}|#x[0-9a-f]{1,4});/.source;
/** For `test` (not global: no lastIndex state between calls). */
const HAS_ENTITY = new RegExp(ENTITY_SOURCE, 'i');
/** For `replace` (global). */
const ENTITY = new RegExp(ENTITY_SOURCE, 'gi');
const NAMED: Readonly<Record<string, string>> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(ENTITY, (_m, name: string) => {
    const lower = name.toLowerCase();
    if (NAMED[lower] !== undefined) return NAMED[lower];
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code < 0x80 ? String.fromCharCode(code) : `&${name};`;
  });
}

function segmentIndex(segments: readonly Segment[], key: string): number[] {
  return segments.flatMap((s, i) => (keyOf(s) === key ? [i] : []));
}

/** Re-encodes a body that was already URL-decoded, so the verifier's decoding is the only one. */
function asDecodedText(raw: string): string {
  return joinRaw(splitRaw(raw).map((s) => withValue({ rawKey: s.rawKey, rawValue: undefined }, binaryToBytes(s.rawValue ?? ''))));
}

const BLANK_RENDERINGS = new Set(['null', 'NULL', 'Null', 'undefined', 'None', 'nil']);

function* bodyCandidates(raw: string, input: DiagnoseInput): Generator<Candidate> {
  const segments = splitRaw(raw);
  const sign = segments.findIndex((s) => keyOf(s) === 'sign');

  // P16-ish: line breaks, tabs, a BOM or surrounding spaces from copying a log.
  const trimmed = raw.replace(/^\xef\xbb\xbf/, '').replace(/[\r\n\t]/g, '').trim();
  if (trimmed !== raw) yield { id: 'whitespace', detail: 'Removing line breaks / BOM / surrounding spaces', body: binaryToBytes(trimmed) };

  // P8: HTML-escaped values (ThinkPHP-style &quot; in fund_bill_list), escaped before or after encoding.
  if (HAS_ENTITY.test(raw)) {
    const unescaped = unescapeHtml(raw);
    yield { id: 'html-escaped', detail: 'Un-escaping HTML entities in the body', body: binaryToBytes(unescaped) };
    // A body logged after decoding and escaping: un-escape, then read it as decoded text.
    yield { id: 'html-escaped', detail: 'Un-escaping HTML entities in the body, which had also been URL-decoded already', body: binaryToBytes(asDecodedText(unescaped)) };
  }
  const escaped = segments.map((s) => {
    const text = bytesToBinary(valueBytesOf(s));
    return HAS_ENTITY.test(text) ? withValue(s, binaryToBytes(unescapeHtml(text))) : s;
  });
  if (escaped.some((s, i) => s !== segments[i])) {
    const names = escaped.flatMap((s, i) => (s !== segments[i] ? [keyOf(s)] : []));
    yield { id: 'html-escaped', detail: `Un-escaping HTML entities in ${names.join(', ')}`, body: binaryToBytes(joinRaw(escaped)) };
  }

  // P3: the body was URL-decoded before it reached the verifier, so decoding it again is one time too many.
  if (/[+%\x20\x80-\xff]/.test(raw)) {
    yield { id: 'double-decoded', detail: 'Reading the body as already URL-decoded text (no second decoding)', body: binaryToBytes(asDecodedText(raw)) };
  }

  // P2: "+" turned into a space in sign (and possibly in other values).
  if (sign >= 0) {
    const signBytes = valueBytesOf(segments[sign]!);
    if (signBytes.includes(0x20)) {
      const fixedSign = withValue(segments[sign]!, signBytes.map((b) => (b === 0x20 ? 0x2b : b)));
      const base = segments.map((s, i) => (i === sign ? fixedSign : s));
      yield { id: 'plus-to-space', detail: 'Turning the spaces in sign back into "+"', body: binaryToBytes(joinRaw(base)) };
      for (let i = 0; i < segments.length; i++) {
        const bytes = valueBytesOf(segments[i]!);
        if (i === sign || !bytes.includes(0x20)) continue;
        const both = base.map((s, j) => (j === i ? withValue(s, bytes.map((b) => (b === 0x20 ? 0x2b : b))) : s));
        yield { id: 'plus-to-space', detail: `Turning the spaces in sign and in ${keyOf(segments[i]!)} back into "+"`, body: binaryToBytes(joinRaw(both)) };
      }
    }
  }

  // P7: a GBK notification whose text was re-encoded as UTF-8 (charset param still says gbk).
  const charsetIndex = segmentIndex(segments, 'charset')[0];
  const charset = charsetIndex === undefined ? 'utf-8' : normalizeCharset(textOf(valueBytesOf(segments[charsetIndex]!)));
  if (charset !== undefined && charset !== 'utf-8') {
    let nonAscii = false;
    let transcoded: Segment[] | undefined = [];
    for (const s of segments) {
      const bytes = valueBytesOf(s);
      const text = strictUtf8(bytes);
      if (text === undefined) {
        transcoded = undefined;
        break;
      }
      if (bytes.some((b) => b >= 0x80)) nonAscii = true;
      try {
        transcoded.push(s.rawValue === undefined ? s : withValue(s, encodeGbk(text)));
      } catch {
        transcoded = undefined;
        break;
      }
    }
    if (transcoded && nonAscii) {
      yield { id: 'charset', detail: 'Re-encoding the UTF-8 text as GBK, the charset the body declares', body: binaryToBytes(joinRaw(transcoded)) };
    }
  }

  // P10: empty values rendered as "null"/"undefined" by a framework or a re-serialisation.
  const blanks = segments.map((s) => (BLANK_RENDERINGS.has(textOf(valueBytesOf(s))) ? withValue(s, new Uint8Array()) : s));
  if (blanks.some((s, i) => s !== segments[i])) {
    const names = blanks.flatMap((s, i) => (s !== segments[i] ? [keyOf(s)] : []));
    yield { id: 'empty-values', detail: `Restoring the empty value of ${names.join(', ')} (sent as "null"/"undefined")`, body: binaryToBytes(joinRaw(blanks)) };
    yield {
      id: 'empty-values',
      detail: `Dropping ${names.join(', ')} (empty values rendered as "null"/"undefined")`,
      body: binaryToBytes(joinRaw(segments.filter((s, i) => blanks[i] === s))),
    };
  }

  // P4: parameters merged in from the query string or the route; also duplicates.
  const queryKeys = [...new Set(input.queryKeys ?? [])].filter((k) => segmentIndex(segments, k).length > 0);
  const drop = (indexes: readonly number[]) => joinRaw(segments.filter((_s, i) => !indexes.includes(i)));
  if (queryKeys.length > 0) {
    const all = queryKeys.flatMap((k) => segmentIndex(segments, k));
    yield { id: 'extra-params', detail: `Dropping the query parameter(s) ${queryKeys.join(', ')}`, body: binaryToBytes(drop(all)) };
    if (queryKeys.length > 1) {
      for (const k of queryKeys) yield { id: 'extra-params', detail: `Dropping the query parameter ${k}`, body: binaryToBytes(drop(segmentIndex(segments, k))) };
    }
  }
  const counts = new Map<string, number>();
  for (const s of segments) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1);
  const unknown = [...counts.keys()].filter((k) => !KNOWN_ALIPAY_PARAMS.has(k) && !queryKeys.includes(k));
  for (const k of unknown) {
    yield { id: 'extra-params', detail: `Dropping ${k} (not a parameter Alipay sends)`, body: binaryToBytes(drop(segmentIndex(segments, k))) };
  }
  if (unknown.length > 1) {
    const all = unknown.flatMap((k) => segmentIndex(segments, k));
    yield { id: 'extra-params', detail: `Dropping ${unknown.join(', ')} (not parameters Alipay sends)`, body: binaryToBytes(drop(all)) };
  }
  for (let i = 0; i < segments.length; i++) {
    const k = keyOf(segments[i]!);
    if (k === 'sign' || (unknown.includes(k) && counts.get(k) === 1) || queryKeys.includes(k)) continue;
    const occurrence = counts.get(k)! > 1 ? ` (occurrence ${segmentIndex(segments, k).indexOf(i) + 1} of ${counts.get(k)})` : '';
    yield { id: 'extra-params', detail: `Dropping ${k}${occurrence}`, body: binaryToBytes(drop([i])) };
  }

  // P5: the signature uses the other algorithm than sign_type says (sign_type is not signed in v1).
  const typeIndex = segmentIndex(segments, 'sign_type');
  if (typeIndex.length === 1) {
    const value = textOf(valueBytesOf(segments[typeIndex[0]!]!));
    const other = value === 'RSA2' ? 'RSA' : value === 'RSA' ? 'RSA2' : undefined;
    if (other) {
      const swapped = segments.map((s, i) => (i === typeIndex[0] ? { rawKey: s.rawKey, rawValue: other } : s));
      yield { id: 'algorithm', detail: `Checking the signature as ${other} instead of ${value}`, body: binaryToBytes(joinRaw(swapped)) };
    }
  } else if (typeIndex.length === 0) {
    // P6: sign_type removed before verification; a v2-signed body needs it back.
    for (const t of ALL_TYPES) {
      yield { id: 'sign-type-removed', detail: `Putting sign_type=${t} back`, body: binaryToBytes(`${joinRaw(segments)}&sign_type=${t}`) };
    }
  }
}

const MODES: Readonly<Record<string, { pitfall: string; title: string; explains: string; fix: string }>> = {
  whitespace: {
    pitfall: 'P16',
    title: 'line breaks or a BOM in the body',
    explains: 'The body verifies once line breaks, tabs, a BOM or surrounding spaces are removed: it was copied from a log or an editor.',
    fix: 'Verify the raw request body bytes, not a copy from logs; log bodies on one line.',
  },
  'html-escaped': {
    pitfall: 'P8',
    title: 'HTML-escaped JSON (&quot;)',
    explains: 'The body verifies once HTML entities (&quot; …) are un-escaped: a framework input filter (ThinkPHP htmlspecialchars, XSS filters) escaped the values, e.g. the JSON of fund_bill_list.',
    fix: 'Verify the raw body (or disable the input filter for the notify route); never re-serialise or escape values before verification.',
  },
  'double-decoded': {
    pitfall: 'P3',
    title: 'double URL-decoding',
    explains: 'The body verifies when read as already-decoded text: it was URL-decoded once before it reached the verifier, which then decoded it a second time.',
    fix: 'Pass the body exactly as received (req.rawBody / the bytes of the request), or the params of a single decoding; never decodeURIComponent values again.',
  },
  'plus-to-space': {
    pitfall: 'P2',
    title: '"+" turned into space in sign',
    explains: 'The body verifies once the spaces in sign (base64 has none) are turned back into "+": a "%2B" was decoded twice, or a query-string parser read "+" as a space.',
    fix: 'Decode the body exactly once with a form parser and pass the raw body to the verifier; do not run urldecode/decodeURIComponent on values.',
  },
  charset: {
    pitfall: 'P7',
    title: 'GBK notification re-encoded as UTF-8',
    explains: 'The body declares a GBK charset but its bytes are UTF-8; re-encoding them as GBK makes it verify. Something decoded the GBK body and re-encoded it as UTF-8 (or verified parsed text as UTF-8).',
    fix: 'Verify the raw body bytes: the signature covers the GBK bytes. Do not let the framework transcode the body, and do not hand over parsed text for GBK notifications.',
  },
  'extra-params': {
    pitfall: 'P4',
    title: 'extra parameters merged into the body',
    explains: 'The body verifies once a parameter Alipay did not send is dropped: query-string or route parameters were merged into the notification params ($_REQUEST, ThinkPHP s=, Laravel route params…).',
    fix: 'Verify the POST body only; never merge query or route parameters into it.',
  },
  'empty-values': {
    pitfall: 'P10',
    title: 'empty values changed',
    explains: 'The body verifies once values rendered as "null"/"undefined" are empty again: a framework converted "" to null (Laravel ConvertEmptyStringsToNull) and it was re-serialised.',
    fix: 'Verify the raw body, or exclude the notify route from empty-string-to-null middleware.',
  },
  algorithm: {
    pitfall: 'P5',
    title: 'algorithm does not match sign_type',
    explains: 'The signature verifies with the other algorithm than the body\'s sign_type (RSA = SHA1withRSA, RSA2 = SHA256withRSA): the body was altered, or the signer used the wrong sign type.',
    fix: 'Check which sign type the app is configured for in the Alipay console and configure signTypes accordingly.',
  },
  'sign-type-removed': {
    pitfall: 'P6',
    title: 'sign_type removed (v2 notification)',
    explains: 'The body has no sign_type; putting it back makes it verify. This notification is signed V2 (sign_type included), and sign_type was deleted before verification.',
    fix: 'Pass every parameter Alipay sent, sign_type included; the library decides whether it is part of the signed string (it tries V1 and V2).',
  },
};

export async function diagnose(input: DiagnoseInput): Promise<DiagnoseReport> {
  const signTypes = input.signTypes && input.signTypes.length > 0 ? [...input.signTypes] : (['RSA2'] as SignType[]);
  const keys = analyseKeys(input);
  const checks: Check[] = [...keys.checks];
  const originalBody: NotifyBody = input.body instanceof Uint8Array ? input.body : { ...input.body };
  const { raw, fromObject } = rawOf(input.body);

  if (keys.usable.length === 0 && keys.certs.length === 0) {
    const causes = checks.filter((c) => c.status === 'explains');
    return {
      valid: false,
      initial: { ok: false, code: 'KEY_NOT_FOUND', message: 'No usable Alipay public key.', hint: 'See the key checks.' },
      causes,
      checks,
      ...optional('signString', signStringOf(originalBody, undefined)),
      conclusion: causes.length > 0 ? `No usable key: ${causes[0]!.title}.` : 'No usable key was given.',
    };
  }

  // Certificates stay certificates, so the library selects them by alipay_cert_sn.
  const source: VerifierOptions = {
    ...(keys.usable.length > 0 ? { alipayPublicKey: keys.usable } : {}),
    ...(keys.certs.length > 0 ? { alipayPublicCert: keys.certs } : {}),
    ...(keys.certs.length > 0 && input.alipayRootCert !== undefined ? { alipayRootCert: input.alipayRootCert } : {}),
  };
  const configured: NotifyVerifier = createVerifier({ ...source, signTypes });
  const lenient: NotifyVerifier = createVerifier({ ...source, signTypes: ALL_TYPES });
  const initial = await configured.verify(originalBody);
  const keyProblems = checks.filter((c) => c.status === 'explains');
  const keyFormat = (explains: boolean): Check => ({
    id: 'key-format',
    pitfall: 'P13',
    title: 'Alipay public key with broken formatting',
    status: explains ? 'explains' : 'note',
    detail: `${keys.repaired.join(', ')} only parses after removing stray characters (quotes, escaped "\\n", zero-width or full-width characters, broken armor).${explains ? ' With the cleaned key the notification verifies.' : ''}`,
    fix: 'Store the key as the bare base64 from the Alipay console or as a clean PEM block; avoid copying keys through chat apps or JSON with escaped line breaks.',
  });

  // createVerifier would throw (TypeError) with the key as configured: a private key, a
  // certificate, a refused certificate, or a key that only parses after repair; or the
  // verifier skips an expired certificate. The checks below use its usable form.
  const keyUnusable = keys.repaired.length > 0 || keyProblems.some((c) => c.id !== 'app-public-key');
  const onlyExpired = keys.repaired.length === 0 && keyProblems.every((c) => c.id === 'app-public-key' || c.id === 'certificate-expired');
  const unusable = (detail: string) => ({
    ok: false as const,
    code: 'KEY_UNUSABLE',
    message: `${onlyExpired ? 'the verifier does not use an expired certificate' : 'createVerifier rejects the configured key (TypeError)'}; ${detail}`,
    hint: 'See the key checks below.',
  });

  if (initial.ok) {
    demoteAppKeyClash(checks);
    if (keys.repaired.length > 0) checks.push(keyFormat(true));
    checks.push({
      id: 'v1-v2',
      pitfall: 'P6',
      title: 'v1 vs v2 sign string',
      status: 'note',
      detail: `Signed ${initial.signedContent.toUpperCase()} (${initial.signedContent === 'v1' ? 'sign_type not signed' : 'sign_type signed'}). The library tries both, so this is never the cause of a failure.`,
    });
    const causes = checks.filter((c) => c.status === 'explains');
    const signString = optional('signString', signStringOf(originalBody, initial));
    if (!keyUnusable) {
      return {
        valid: true,
        initial: { ok: true, signType: initial.signType, signedContent: initial.signedContent },
        causes: [],
        checks,
        ...signString,
        conclusion: `The notification verifies (${initial.signType}, ${initial.signedContent}); there is nothing to diagnose.`,
      };
    }
    return {
      valid: false,
      initial: unusable(`with its usable form the notification verifies (${initial.signType}, ${initial.signedContent}).`),
      causes,
      checks,
      ...signString,
      conclusion: `The body is fine; the key is the problem: ${causes.map((c) => `${c.title} (${c.pitfall})`).join('; ')}.`,
    };
  }

  const initialInfo = keyUnusable
    ? unusable(`with its usable form: ${initial.error.code} (${initial.error.message})`)
    : { ok: false as const, code: initial.error.code, message: initial.error.message, hint: initial.error.hint };

  // The configured allow-list refuses the body's sign_type, but the signature is fine.
  if (initial.error.code === 'SIGN_TYPE_NOT_ALLOWED') {
    const other = await lenient.verify(originalBody);
    if (other.ok) {
      checks.push({
        id: 'sign-type-not-allowed',
        pitfall: 'P5',
        title: `sign_type ${other.signType} is not in signTypes`,
        status: 'explains',
        detail: `The notification is genuine and signed ${other.signType}${other.signType === 'RSA' ? ' (SHA1withRSA)' : ''}, but signTypes allows only ${signTypes.join(', ')}.`,
        fix: `Add '${other.signType}' to signTypes only if your app really signs with it (--sign-types ${[...signTypes, other.signType].join(',')}).`,
        ...optional('signString', signStringOf(originalBody, other)),
      });
    }
  }

  // Body transforms, verified with the usable keys and both algorithms.
  const explained = new Set<string>();
  const tried = new Set<string>();
  for (const candidate of bodyCandidates(raw, input)) {
    tried.add(candidate.id);
    if (explained.has(candidate.id)) continue;
    const result = await lenient.verify(candidate.body);
    if (!result.ok) continue;
    explained.add(candidate.id);
    const mode = MODES[candidate.id]!;
    const typeNote = signTypes.includes(result.signType) ? '' : ` (it is signed ${result.signType}: also add it to signTypes)`;
    checks.push({
      id: candidate.id,
      pitfall: mode.pitfall,
      title: mode.title,
      status: 'explains',
      detail: `${mode.explains} Fix applied: ${candidate.detail}.${typeNote}`,
      fix: mode.fix,
      ...optional('signString', signStringOf(candidate.body, result)),
    });
  }
  for (const [id, mode] of Object.entries(MODES)) {
    if (explained.has(id)) continue;
    checks.push(
      tried.has(id)
        ? { id, pitfall: mode.pitfall, title: mode.title, status: 'ruled-out', detail: 'Tried; the signature still does not verify.' }
        : { id, pitfall: mode.pitfall, title: mode.title, status: 'not-applicable', detail: 'Nothing in this body to try it on.' },
    );
  }
  if (keys.repaired.length > 0) checks.push(keyFormat(explained.size > 0));

  // Notes that never explain a failure on their own.
  checks.push({
    id: 'v1-v2',
    pitfall: 'P6',
    title: 'v1 vs v2 sign string',
    status: 'ruled-out',
    detail: 'The library tries V1 (sign_type excluded) and V2 (sign_type included) for every notification, so this is not the cause.',
  });
  const segments = splitRaw(raw);
  if (segments.some((s) => s.rawValue === '' || (s.rawValue !== undefined && /^(\+|%20)+$/.test(s.rawValue)))) {
    checks.push({
      id: 'empty-values-forms',
      pitfall: 'P10',
      title: 'empty values',
      status: 'ruled-out',
      detail: 'The body has empty values; the library tries both the Java form (skipped) and the key= form.',
    });
  }
  if (fromObject) {
    checks.push({
      id: 'parsed-input',
      pitfall: 'P9',
      title: 'parsed params instead of the raw body',
      status: 'note',
      detail: 'The input is a JSON object of parsed params: it is verified as UTF-8 text, and what the parser changed cannot be undone. Capture the raw body for a reliable diagnosis.',
    });
  }
  if (initial.error.code === 'DUPLICATE_PARAM' && !explained.has('extra-params')) {
    checks.push({
      id: 'duplicate-param',
      pitfall: 'P4',
      title: 'duplicate parameter',
      status: 'note',
      detail: `${initial.error.message} Alipay never sends duplicates; dropping either copy does not make the body verify, so it was forged or altered.`,
    });
  }

  // A key that verifies the notification once the body is fixed is the signer's key: whatever
  // app key it matches, it is not the cause (e.g. one test key pair used for both roles).
  if (explained.size > 0) demoteAppKeyClash(checks);
  const keyIds = new Set(keyProblems.map((c) => c.id));
  const explaining = checks.filter((c) => c.status === 'explains');
  const causes = [...explaining.filter((c) => keyIds.has(c.id)), ...explaining.filter((c) => !keyIds.has(c.id))];
  const conclusion =
    causes.length > 0
      ? `Explained: ${causes.map((c) => `${c.title} (${c.pitfall})`).join('; ')}.`
      : 'No known failure mode explains it. The most likely causes: the key is not the Alipay public key of this app (sandbox vs production, another app, or your app key: pass --app-public-key/--private-key to check), or the body was altered or forged.';
  return {
    valid: false,
    initial: initialInfo,
    causes,
    checks,
    ...optional('signString', signStringOf(originalBody, undefined)),
    conclusion,
  };
}

function demoteAppKeyClash(checks: Check[]): void {
  const index = checks.findIndex((c) => c.id === 'app-public-key' && c.status === 'explains');
  if (index < 0) return;
  const check = checks[index]!;
  checks[index] = {
    id: check.id,
    pitfall: check.pitfall,
    title: check.title,
    status: 'note',
    detail: 'The configured key equals the app key given, yet it verifies this notification, so it is the key that signed it. Unusual in production (Alipay and the app have different key pairs); normal when one test key pair plays both roles.',
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

