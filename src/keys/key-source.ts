import { KeyObject } from 'node:crypto';
import { NotifyError } from '../errors.js';
import type { KeyInput, KeyProvider, KeyProviderContext, VerifierOptions } from '../types.js';
import { parsePublicKey, type VerificationKey } from './key-input.js';

export type KeyLookup = { ok: true; keys: readonly VerificationKey[] } | { ok: false; error: NotifyError };

/** Resolves the candidate keys for one notification. */
export type KeySource = (ctx: KeyProviderContext) => KeyLookup | Promise<KeyLookup>;

const MAX_CACHED_KEYS = 256;

/**
 * Parsed keys by key material, so a provider that returns the same PEM on every call
 * costs one parse per distinct key, not one per request (PEM parsing is ~5x a verify,
 * performance.md row 7). Bounded, least-recently-used first out.
 */
class KeyCache {
  private readonly strings = new Map<string, VerificationKey>();
  private readonly objects = new WeakMap<KeyObject, VerificationKey>();

  get(input: KeyInput, option: string): VerificationKey {
    if (input instanceof KeyObject) {
      let key = this.objects.get(input);
      if (!key) {
        key = parsePublicKey(input, option);
        this.objects.set(input, key);
      }
      return key;
    }
    const id = typeof input === 'string' ? input : `\0der:${Buffer.from(input).toString('base64')}`;
    let key = this.strings.get(id);
    if (key) {
      this.strings.delete(id);
    } else {
      key = parsePublicKey(input, option);
      if (this.strings.size >= MAX_CACHED_KEYS) this.strings.delete(this.strings.keys().next().value!);
    }
    this.strings.set(id, key);
    return key;
  }
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Parses the static `alipayPublicKey` option once; throws TypeError naming the bad entry. */
export function parseStaticKeys(option: KeyInput | KeyInput[]): VerificationKey[] {
  const list = asList(option);
  if (list.length === 0) throw new TypeError('alipayPublicKey is an empty list.');
  return list.map((input, i) => parsePublicKey(input, Array.isArray(option) ? `alipayPublicKey[${i}]` : 'alipayPublicKey'));
}

function providerKeys(
  result: KeyInput | KeyInput[] | undefined,
  cache: KeyCache,
  fallback: readonly VerificationKey[] | undefined,
  ctx: KeyProviderContext,
): KeyLookup {
  if (result === undefined || (Array.isArray(result) && result.length === 0)) {
    if (fallback) return { ok: true, keys: fallback };
    return {
      ok: false,
      error: new NotifyError('KEY_NOT_FOUND', 'keyProvider returned no key for this notification.', {
        hint: `keyProvider has no Alipay public key for app_id ${ctx.appId === undefined ? '(none in the body)' : JSON.stringify(ctx.appId.slice(0, 40))} and sign_type ${ctx.signType}${ctx.certSn === undefined ? '' : ` (alipay_cert_sn ${JSON.stringify(ctx.certSn.slice(0, 40))})`}.`,
      }),
    };
  }
  try {
    return { ok: true, keys: asList(result).map((input, i) => cache.get(input, `keyProvider result [${i}]`)) };
  } catch (cause) {
    return {
      ok: false,
      error: new NotifyError('KEY_NOT_FOUND', 'keyProvider returned a key that does not parse.', {
        hint: cause instanceof Error ? cause.message : 'keyProvider returned an invalid key.',
        cause,
      }),
    };
  }
}

function providerFailed(cause: unknown): KeyLookup {
  return {
    ok: false,
    error: new NotifyError('KEY_NOT_FOUND', 'keyProvider threw while looking up the key.', {
      hint: 'The keyProvider threw or rejected (see error.cause). Reply "fail" so Alipay retries once your key store is back.',
      cause,
    }),
  };
}

/** Builds the key source from the options, parsing static keys now (fail fast). */
export function createKeySource(options: VerifierOptions): KeySource {
  const staticKeys = options.alipayPublicKey === undefined ? undefined : parseStaticKeys(options.alipayPublicKey);
  const provider: KeyProvider | undefined = options.keyProvider;
  if (provider === undefined) {
    if (staticKeys === undefined) {
      throw new TypeError(
        'createVerifier needs a key source: set alipayPublicKey (the 支付宝公钥) or keyProvider.',
      );
    }
    const lookup: KeyLookup = { ok: true, keys: staticKeys };
    return () => lookup;
  }
  if (typeof provider !== 'function') throw new TypeError('keyProvider must be a function.');
  const cache = new KeyCache();
  return (ctx) => {
    let result: ReturnType<KeyProvider>;
    try {
      result = provider(ctx);
    } catch (cause) {
      return providerFailed(cause);
    }
    if (result instanceof Promise) {
      return result.then((value) => providerKeys(value, cache, staticKeys, ctx), providerFailed);
    }
    return providerKeys(result, cache, staticKeys, ctx);
  };
}
