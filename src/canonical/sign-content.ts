import type { FormParam, ParsedNotifyBody } from '../parse/form.js';
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
  /** The params covered, sorted by key. */
  params: readonly FormParam[];
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

/** Keys sorted the way Java's `Collections.sort` orders Strings: by UTF-16 code unit. */
function byKey(a: FormParam, b: FormParam): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Params that take part in a sign string, sorted, for one rule. */
export function signedParams(
  params: readonly FormParam[],
  signedContent: SignedContent,
  emptyValues: EmptyValues,
): FormParam[] {
  return params
    .filter(
      (p) =>
        p.key !== 'sign' &&
        (signedContent === 'v2' || p.key !== 'sign_type') &&
        (emptyValues === 'keep' || !isBlankValue(p.value)),
    )
    .sort(byKey);
}

/** `k=v` pairs joined with `&`, over the received bytes (no transcoding). */
export function joinSignBytes(sorted: readonly FormParam[]): Uint8Array {
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

export interface SignRule {
  signedContent: SignedContent;
  emptyValues: EmptyValues;
}

/**
 * The sign-string rules worth trying for this body, most likely first: v1-skip, v1-keep,
 * v2-skip, v2-keep. A 'keep' rule is listed only when it differs from its 'skip' rule, and
 * v2 only when the body has sign_type, so a body without empty values and without
 * sign_type has one rule (protocol.md §10 items 4 and 5).
 */
export function signRules(body: ParsedNotifyBody): SignRule[] {
  let blankInV1 = false;
  for (const p of body.params) {
    if (p.key !== 'sign' && p.key !== 'sign_type' && isBlankValue(p.value)) blankInV1 = true;
  }
  const signType = body.byKey['sign_type'];
  const blankInV2 = blankInV1 || (signType !== undefined && isBlankValue(signType.value));
  const rules: SignRule[] = [{ signedContent: 'v1', emptyValues: 'skip' }];
  if (blankInV1) rules.push({ signedContent: 'v1', emptyValues: 'keep' });
  if (signType !== undefined) {
    rules.push({ signedContent: 'v2', emptyValues: 'skip' });
    if (blankInV2) rules.push({ signedContent: 'v2', emptyValues: 'keep' });
  }
  return rules;
}

/** Builds the candidate for one rule. */
export function signContentCandidate(body: ParsedNotifyBody, rule: SignRule): SignContentCandidate {
  const params = signedParams(body.params, rule.signedContent, rule.emptyValues);
  return { ...rule, params, bytes: joinSignBytes(params) };
}
