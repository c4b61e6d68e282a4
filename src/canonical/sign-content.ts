import type { FormParam, ParsedNotifyBody } from '../parse/form.js';
import { signScratch } from '../parse/scratch.js';
import type { SignedContent } from '../types.js';

/**
 * How empty values are treated. Alipay's Java signer skips params whose value is empty or
 * whitespace-only (`StringUtils.areNotEmpty`, protocol.md §3.2): 'skip'. The PHP and Node
 * SDKs keep them as `key=`: 'keep'. No official statement settles which one Alipay signs,
 * so the verifier tries 'skip' first and 'keep' when the body has such values (§10 item 5).
 */
export type EmptyValues = 'skip' | 'keep';

export interface SignContentCandidate {
  signedContent: SignedContent;
  emptyValues: EmptyValues;
  /** The exact bytes the signature must cover. */
  bytes: Uint8Array;
}

/** Java's `Character.isWhitespace`, which `StringUtils.isEmpty` uses (not JS `\s`: no NBSP, no BOM). */
function isJavaWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x2006) ||
    (code >= 0x2008 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Whether Java's signer would skip this value. */
export function isBlankValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isJavaWhitespace(value.charCodeAt(i))) return false;
  return true;
}

export interface SignRule {
  readonly signedContent: SignedContent;
  readonly emptyValues: EmptyValues;
}

const V1_SKIP: SignRule = { signedContent: 'v1', emptyValues: 'skip' };
const V1_KEEP: SignRule = { signedContent: 'v1', emptyValues: 'keep' };
const V2_SKIP: SignRule = { signedContent: 'v2', emptyValues: 'skip' };
const V2_KEEP: SignRule = { signedContent: 'v2', emptyValues: 'keep' };
// The rule lists a body can need, shared (see SigningPlan.rules).
const ONLY_V1: readonly SignRule[] = [V1_SKIP];
const V1_THEN_V2: readonly SignRule[] = [V1_SKIP, V2_SKIP];

/** Work shared by every candidate of one body: finding sign/sign_type and blank values, done once. */
export interface SigningPlan {
  readonly body: ParsedNotifyBody;
  /** The params sorted by key as Java's `Collections.sort` orders Strings (UTF-16 code units); `sign` is never covered. */
  readonly sorted: readonly FormParam[];
  /** blank[i] = 1: Java's signer would skip sorted[i]. Undefined when no value is blank. */
  readonly blank: Uint8Array | undefined;
  /**
   * The rules worth trying, most likely first: v1-skip, v1-keep, v2-skip, v2-keep. A 'keep'
   * rule is listed only when it differs from its 'skip' rule, and v2 only when the body has
   * sign_type, so a body without empty values and without sign_type has one rule
   * (protocol.md §10 items 4 and 5).
   */
  readonly rules: readonly SignRule[];
}

export function planSigning(body: ParsedNotifyBody): SigningPlan {
  const sorted = body.sorted;
  let blank: Uint8Array | undefined;
  let blankInV1 = false;
  let signType: boolean | undefined; // undefined: absent; else whether its value is blank
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.key === 'sign') continue;
    const isBlank = isBlankValue(p.value);
    if (isBlank) (blank ??= new Uint8Array(sorted.length))[i] = 1;
    if (p.key === 'sign_type') signType = isBlank;
    else if (isBlank) blankInV1 = true;
  }
  let rules: readonly SignRule[];
  if (!blankInV1 && !signType) {
    rules = signType === undefined ? ONLY_V1 : V1_THEN_V2;
  } else {
    const list: SignRule[] = [V1_SKIP];
    if (blankInV1) list.push(V1_KEEP);
    if (signType !== undefined) {
      list.push(V2_SKIP);
      list.push(V2_KEEP);
    }
    rules = list;
  }
  return { body, sorted, blank, rules };
}

/** Whether a rule covers sorted[i]. */
function covers(plan: SigningPlan, rule: SignRule, i: number): boolean {
  const key = plan.sorted[i]!.key;
  if (key === 'sign' || (key === 'sign_type' && rule.signedContent === 'v1')) return false;
  return rule.emptyValues === 'keep' || plan.blank === undefined || plan.blank[i] === 0;
}

/** `k=v` pairs joined with `&` over the received bytes, copied from the decoded body (no transcoding). */
function joinReceivedBytes(plan: SigningPlan, rule: SignRule, received: NonNullable<ParsedNotifyBody['received']>): Uint8Array {
  const { bytes, ranges } = received;
  const sorted = plan.sorted;
  // Scratch memory: the candidate is verified before anything else runs. The decoded body
  // plus two separators per param bounds the sign string.
  const out = signScratch.get(bytes.length + 2 * sorted.length);
  let offset = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (!covers(plan, rule, i)) continue;
    const r = sorted[i]!.position * 4;
    if (offset > 0) out[offset++] = 0x26; // &
    // Plain loops: components are short, and subarray()+set() allocates a view per copy.
    for (let j = ranges[r]!, end = ranges[r + 1]!; j < end; j++) out[offset++] = bytes[j]!;
    out[offset++] = 0x3d; // =
    for (let j = ranges[r + 2]!, end = ranges[r + 3]!; j < end; j++) out[offset++] = bytes[j]!;
  }
  return out.subarray(0, offset);
}

/** `k=v` pairs of byte arrays joined with `&` (used by the testing kit's signer). */
export function joinSignBytes(sorted: ReadonlyArray<{ readonly keyBytes: Uint8Array; readonly valueBytes: Uint8Array }>): Uint8Array {
  let length = sorted.length === 0 ? 0 : sorted.length - 1;
  for (const p of sorted) length += p.keyBytes.length + 1 + p.valueBytes.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (i > 0) out[offset++] = 0x26; // &
    out.set(p.keyBytes, offset);
    offset += p.keyBytes.length;
    out[offset++] = 0x3d; // =
    out.set(p.valueBytes, offset);
    offset += p.valueBytes.length;
  }
  return out;
}

/** The sign string as text (`k=v&k=v`), for object input and for display. */
export function joinSignText(sorted: readonly FormParam[]): string {
  let text = '';
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    text += i === 0 ? `${p.key}=${p.value}` : `&${p.key}=${p.value}`;
  }
  return text;
}

/** The params one rule covers, in sign-string order. */
export function coveredParams(plan: SigningPlan, rule: SignRule): FormParam[] {
  const out: FormParam[] = [];
  for (let i = 0; i < plan.sorted.length; i++) if (covers(plan, rule, i)) out.push(plan.sorted[i]!);
  return out;
}

/** Builds the candidate for one rule: the exact bytes to verify (coveredParams lists the params). */
export function signContentCandidate(plan: SigningPlan, rule: SignRule): SignContentCandidate {
  const received = plan.body.received;
  // Raw bodies: the received bytes, whatever the charset. Parsed objects: their text, as UTF-8.
  // Either way in scratch memory: the candidate is verified before anything else runs.
  const bytes = received ? joinReceivedBytes(plan, rule, received) : signScratch.utf8(joinSignText(coveredParams(plan, rule)));
  return { signedContent: rule.signedContent, emptyValues: rule.emptyValues, bytes };
}

/**
 * The sign string has no escaping (protocol.md §7 item 7): `a=1&b=2` sent as two params and
 * `a=1%26b%3D2` sent as one param sign the same bytes. So anyone can merge a signed param
 * into its predecessor in sort order (making it vanish from `params`), or split a value that
 * contains `&name=`. Returns the param of the matched candidate that allows such a second
 * reading (a key with `=` or `&`, or a value with `&name=` where `name` sorts between its key
 * and the next signed key), or undefined when the signed string reads one way only.
 */
export function ambiguousParam(sorted: readonly FormParam[]): FormParam | undefined {
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.key.includes('=') || p.key.includes('&')) return p;
    const value = p.value;
    if (!value.includes('&')) continue;
    const next = sorted[i + 1]?.key;
    // One pass: after each '&', the text up to the first '=' is the name a split would create.
    let amp = -1;
    for (let j = 0; j < value.length; j++) {
      const code = value.charCodeAt(j);
      if (code === 0x26) {
        amp = j;
      } else if (code === 0x3d && amp >= 0) {
        const name = value.slice(amp + 1, j);
        if (name !== '' && name > p.key && (next === undefined || name < next)) return p;
        amp = -1;
      }
    }
  }
  return undefined;
}
