import { ambiguousParam, coveredParams, planSigning, signContentCandidate, type SignContentCandidate, type SigningPlan } from './canonical/sign-content.js';
import { decodeBase64Strict, type Base64Problem } from './crypto/base64.js';
import type { CryptoProvider } from './crypto/provider.js';
import { NotifyError } from './errors.js';
import { certificateDateError, outsideWindow } from './keys/cert-common.js';
import type { CertificateKey, VerificationKey } from './keys/key-input.js';
import { createKeySource, type KeyLookup, type KeySource } from './keys/key-source.js';
import { buildNotification, type KnownValues } from './model/build.js';
import { detachBody, parseBody, slotsOf, type ParsedNotifyBody } from './parse/form.js';
import { KNOWN_NAMES, SLOT } from './parse/known-keys.js';
import { describeKey } from './parse/result.js';
import type { Runtime } from './runtime/types.js';
import type { KeyProviderContext, NotifyBody, NotifyVerifier, SignType, VerifierOptions, VerifyResult } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const SIGN_TYPES: readonly SignType[] = ['RSA2', 'RSA'];

interface Config {
  crypto: CryptoProvider;
  keys: KeySource;
  signTypes: ReadonlySet<SignType>;
  appIds?: ReadonlySet<string>;
  sellerIds?: ReadonlySet<string>;
  maxBodyBytes: number;
}

const failure = (error: NotifyError): VerifyResult => ({ ok: false, error });

function idSet(value: string | string[] | undefined, option: string): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`${option} must be a non-empty string or a non-empty list of them.`);
  }
  return new Set(list);
}

function readConfig(runtime: Runtime, options: VerifierOptions): Config {
  if (typeof options !== 'object' || options === null) throw new TypeError('createVerifier needs an options object.');
  const signTypes = options.signTypes ?? ['RSA2'];
  if (!Array.isArray(signTypes) || signTypes.length === 0 || signTypes.some((t) => !SIGN_TYPES.includes(t))) {
    throw new TypeError('signTypes must be a non-empty list of "RSA2" and/or "RSA".');
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError('maxBodyBytes must be a positive integer.');
  }
  const config: Config = {
    crypto: runtime.crypto,
    keys: createKeySource(runtime, options),
    signTypes: new Set(signTypes),
    maxBodyBytes,
  };
  const appIds = idSet(options.appId, 'appId');
  if (appIds) config.appIds = appIds;
  const sellerIds = idSet(options.sellerId, 'sellerId');
  if (sellerIds) config.sellerIds = sellerIds;
  return config;
}

const BASE64_HINTS: Readonly<Record<Base64Problem, string>> = {
  space:
    'The sign contains a space: a "+" was turned into a space upstream (double URL-decoding, or a query-string parser). Pass the raw body.',
  whitespace: 'The sign contains whitespace or line breaks; pass the raw body exactly as received.',
  alphabet: 'The sign contains characters outside standard base64 (was it URL-safe encoded or HTML-escaped?).',
  length: 'The sign is truncated or padded wrongly (its length is not a multiple of 4).',
  padding: 'The sign has misplaced or non-canonical "=" padding.',
};

/** The sign_type of the body, checked against the allow-list (the payload never widens it). */
function checkSignType(body: ParsedNotifyBody, allowed: ReadonlySet<SignType>): SignType | NotifyError {
  const param = body.get('sign_type');
  if (param === undefined) {
    return new NotifyError('SIGN_TYPE_NOT_ALLOWED', 'The body has no sign_type.', {
      hint: 'Alipay always sends sign_type (RSA2); a body without one was altered or forged.',
    });
  }
  const value = param.value as SignType;
  // allowed holds sign types only, so this also refuses values that are none ("rsa2").
  if (!allowed.has(value)) {
    return new NotifyError('SIGN_TYPE_NOT_ALLOWED', 'The sign_type of the body is not allowed by signTypes.', {
      hint: SIGN_TYPES.includes(value)
        ? `sign_type ${value} is not in signTypes [${[...allowed].join(', ')}]. Add it only if your app really signs with it (RSA is SHA-1).`
        : 'sign_type must be exactly "RSA2" or "RSA" (case-sensitive) and in signTypes.',
    });
  }
  return value;
}

function checkIds(values: KnownValues, config: Config): NotifyError | undefined {
  if (config.appIds) {
    const appId = values[SLOT.app_id];
    const authAppId = values[SLOT.auth_app_id];
    const matches = (appId !== undefined && config.appIds.has(appId)) || (authAppId !== undefined && config.appIds.has(authAppId));
    if (!matches) return new NotifyError('APP_ID_MISMATCH', 'The notification is for an app_id that is not configured.', { param: 'app_id' });
  }
  if (config.sellerIds) {
    const sellerId = values[SLOT.seller_id];
    if (sellerId === undefined || !config.sellerIds.has(sellerId)) {
      return new NotifyError('SELLER_ID_MISMATCH', 'The notification is for a seller_id that is not configured.', { param: 'seller_id' });
    }
  }
  return undefined;
}

function verifyWith(config: Config, input: NotifyBody): VerifyResult | Promise<VerifyResult> {
  const parsed = parseBody(input, false, config.maxBodyBytes);
  if (!parsed.ok) return parsed;
  const body = parsed.body;

  const signParam = body.get('sign');
  if (signParam === undefined || signParam.value === '') {
    return failure(new NotifyError('SIGN_MISSING', signParam === undefined ? 'The body has no sign parameter.' : 'The sign parameter is empty.'));
  }
  const signType = checkSignType(body, config.signTypes);
  if (signType instanceof NotifyError) return failure(signType);
  const signature = decodeBase64Strict(signParam.value);
  if (typeof signature === 'string') {
    return failure(new NotifyError('SIGN_MALFORMED', 'The sign is not strict base64.', { param: 'sign', hint: BASE64_HINTS[signature] }));
  }

  const appId = body.get('app_id')?.value;
  const certSn = body.get('alipay_cert_sn')?.value;
  const ctx: KeyProviderContext = { signType };
  if (appId !== undefined) ctx.appId = appId;
  if (certSn !== undefined) ctx.certSn = certSn;
  const lookup = config.keys(ctx);
  // Stay synchronous unless the key provider is async: no needless microtask hops.
  if (lookup instanceof Promise) {
    // Another verification may run while we wait: keep our own copy of the received bytes.
    const own = detachBody(body);
    return lookup.then((keys) => verifySignature(config, own, signType, signature, keys));
  }
  return verifySignature(config, body, signType, signature, lookup);
}

function verifySignature(
  config: Config,
  body: ParsedNotifyBody,
  signType: SignType,
  signature: Uint8Array,
  lookup: KeyLookup,
): VerifyResult | Promise<VerifyResult> {
  if (!lookup.ok) return lookup;
  // One pass: drop certificates outside their validity window, then keys of the wrong size.
  const keys: VerificationKey[] = [];
  const positions: number[] = [];
  let usable = 0;
  let now = 0;
  let expired: CertificateKey | undefined;
  for (let i = 0; i < lookup.keys.length; i++) {
    const key = lookup.keys[i]!;
    if (key.window !== undefined) {
      now ||= Date.now();
      if (outsideWindow(key, now)) {
        expired ??= key;
        continue;
      }
    }
    usable++;
    if (key.signatureLength !== signature.length) continue;
    keys.push(key);
    positions.push(lookup.indexes?.[i] ?? i);
  }
  if (usable === 0 && expired) return failure(certificateDateError(expired, now));
  if (keys.length === 0) {
    return failure(
      new NotifyError('SIGN_MALFORMED', `The sign is ${signature.length} bytes; the configured key(s) sign ${[...new Set(lookup.keys.map((k) => k.signatureLength))].join(' or ')} bytes.`, {
        param: 'sign',
        hint: 'The signature length does not fit the key: it was truncated, or the key is not the one this notification was signed with (RSA vs RSA2 keys differ in size).',
      }),
    );
  }

  const plan = planSigning(body);
  const crypto = config.crypto;
  for (let r = 0; r < plan.rules.length; r++) {
    const candidate = signContentCandidate(plan, plan.rules[r]!);
    for (let i = 0; i < keys.length; i++) {
      const key: VerificationKey = keys[i]!;
      const verified = crypto.verify(signType, key.handle, candidate.bytes, signature);
      if (verified === false) continue;
      // node:crypto answers synchronously: this path never awaits. WebCrypto answers with a
      // promise: the rest of the search continues asynchronously from here.
      if (verified !== true) return verifyRest(verified, config, plan, r, i, candidate, keys, positions, signType, signature, expired);
      return accepted(config, plan, candidate, signType, key, positions[i]!);
    }
  }
  return failure(signatureInvalid(expired));
}

/** The result for the candidate and key that verified: the signed params, checked and modelled. */
function accepted(
  config: Config,
  plan: SigningPlan,
  candidate: SignContentCandidate,
  signType: SignType,
  key: VerificationKey,
  index: number,
): VerifyResult {
  const body = plan.body;
  const covered = coveredParams(plan, candidate);
  const ambiguous = ambiguousParam(covered);
  if (ambiguous) {
    return failure(
      new NotifyError('BODY_MALFORMED', `Parameter ${describeKey(ambiguous.key)} makes the signed string read as more than one set of parameters.`, {
        param: ambiguous.key,
        hint:
          'The signature holds, but a signed name contains "=" or "&", or a value contains "&name=" for a name that sorts right after it, ' +
          'so the same signature also covers a different set of parameters (merged or split across "&"). Not accepted. ' +
          'If Alipay really sent this, a value you set (subject, body, passback_params) contains "&name=": URL-encode it.',
      }),
    );
  }
  // Only what the signature covers reaches the caller (plus sign_type, for the record).
  const params: Record<string, string> = Object.create(null);
  const values: Array<string | undefined> = new Array(KNOWN_NAMES.length);
  const slots = slotsOf(body);
  for (const p of covered) {
    params[p.key] = p.value;
    const slot = slots[p.position]!;
    if (slot >= 0) values[slot] = p.value;
  }
  if (candidate.signedContent === 'v1') params['sign_type'] = values[SLOT.sign_type] = signType;
  const idError = checkIds(values, config);
  if (idError) return failure(idError);
  const notify = buildNotification(params, body.charset, values);
  if (notify instanceof NotifyError) return failure(notify);
  return {
    ok: true,
    notify,
    params,
    signType,
    signedContent: candidate.signedContent,
    key: key.certSn === undefined ? { index } : { index, certSn: key.certSn },
  };
}

function signatureInvalid(expired: VerificationKey | undefined): NotifyError {
  const skipped = expired ? ` (certificates outside their validity period were skipped, e.g. SN ${expired.certSn})` : '';
  return new NotifyError('SIGNATURE_INVALID', `The signature does not verify with the configured Alipay public key(s)${skipped}.`);
}

/**
 * The asynchronous continuation of the search (WebCrypto): the same order of rules and keys,
 * starting with the pending answer for rule `r`, key `i`. The body and the sign string live
 * in scratch memory that the next notification reuses, so both are copied before yielding.
 * A key the runtime cannot use (import rejected) is skipped; if nothing verifies, that is
 * reported as KEY_NOT_FOUND rather than as a bad signature.
 */
async function verifyRest(
  pending: Promise<boolean>,
  config: Config,
  plan: SigningPlan,
  r: number,
  i: number,
  candidate: SignContentCandidate,
  keys: readonly VerificationKey[],
  positions: readonly number[],
  signType: SignType,
  signature: Uint8Array,
  expired: VerificationKey | undefined,
): Promise<VerifyResult> {
  // The same plan over our own copy of the bytes (sorted, blank and rules do not depend on them).
  const own: SigningPlan = { ...plan, body: detachBody(plan.body) };
  let current: SignContentCandidate = { ...candidate, bytes: candidate.bytes.slice() };
  let unusable: unknown;
  let answer: Promise<boolean> | undefined = pending;
  for (;;) {
    const key = keys[i]!;
    try {
      if (await (answer ?? config.crypto.verify(signType, key.handle, current.bytes, signature))) {
        return accepted(config, own, current, signType, key, positions[i]!);
      }
    } catch (cause) {
      unusable ??= cause;
    }
    answer = undefined;
    if (++i === keys.length) {
      i = 0;
      if (++r === own.rules.length) break;
      const next = signContentCandidate(own, own.rules[r]!);
      current = { ...next, bytes: next.bytes.slice() };
    }
  }
  if (unusable !== undefined) {
    return failure(
      new NotifyError('KEY_NOT_FOUND', `The runtime's crypto (${config.crypto.name}) could not use a configured Alipay public key.`, {
        hint: 'WebCrypto refused to import the key (see error.cause); check that the key is the RSA 支付宝公钥, or verify under Node.',
        cause: unusable,
      }),
    );
  }
  return failure(signatureInvalid(expired));
}

/** Defence in depth: verify never throws, whatever the body or a provider does. */
function unexpected(cause: unknown): VerifyResult {
  return failure(new NotifyError('BODY_MALFORMED', 'The notification could not be processed.', { cause }));
}

/**
 * Creates a verifier. Keys are parsed here, once; reuse the verifier for every request.
 * Throws a TypeError when the configuration is wrong (no key source, a key that does not
 * parse, an unknown sign type), naming the option.
 */
export function createVerifierWith(runtime: Runtime, options: VerifierOptions): NotifyVerifier {
  const config = readConfig(runtime, options);
  return {
    verify(body: NotifyBody): Promise<VerifyResult> {
      try {
        const result = verifyWith(config, body);
        return result instanceof Promise ? result.catch(unexpected) : Promise.resolve(result);
      } catch (cause) {
        return Promise.resolve(unexpected(cause));
      }
    },
  };
}

/** One-off verification. Prefer createVerifier() and reuse it: it parses the keys once. */
export function verifyNotifyWith(runtime: Runtime, body: NotifyBody, options: VerifierOptions): Promise<VerifyResult> {
  return createVerifierWith(runtime, options).verify(body);
}
