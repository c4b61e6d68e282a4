import { NotifyError, isNotifyError } from '../errors.js';
import { loadCertificateKey, type Runtime } from '../runtime/types.js';
import type { KeyInput, KeyProvider, KeyProviderContext, VerifierOptions } from '../types.js';
import { bytesToBinary } from './bytes.js';
import { certificateDateError, configError, hasExpired, isCertificatePem, type CertInput } from './cert-common.js';
import type { RootBundle } from './cert-chain.js';
import { parsePublicKey, type VerificationKey } from './key-input.js';
import { KeyTable, quoted, selectBySn, type KeyLookup } from './key-table.js';
import { preparedProviderOf } from './keys-by-app.js';

export type { KeyLookup };

/** Resolves the candidate keys for one notification. */
export type KeySource = (ctx: KeyProviderContext) => KeyLookup | Promise<KeyLookup>;

const MAX_CACHED_KEYS = 256;

/**
 * Parsed keys by key material, so a provider that returns the same PEM on every call
 * costs one parse per distinct key, not one per request (PEM parsing is ~5x a verify,
 * performance.md row 7; a certificate costs more). Failures are cached too, so their
 * messages name no position ("The key …"): the caller says which entry it was. Bounded,
 * least-recently-used first out.
 */
class KeyCache {
  private readonly strings = new Map<string, VerificationKey | Error>();
  private readonly objects = new WeakMap<object, VerificationKey | Error>();

  constructor(
    private readonly runtime: Runtime,
    private readonly rootBundle: RootBundle | undefined,
  ) {}

  private load(input: KeyInput): VerificationKey | Error {
    try {
      // A PEM certificate is loaded as a certificate (checked against alipayRootCert).
      return isCertificatePem(input)
        ? loadCertificateKey(this.runtime, input, this.rootBundle)
        : parsePublicKey(input, 'The key', this.runtime.crypto);
    } catch (error) {
      return error instanceof Error ? error : new TypeError(String(error));
    }
  }

  /** The parsed key; throws the (cached) TypeError or NotifyError when the input is bad. */
  get(input: KeyInput): VerificationKey {
    const key = typeof input === 'string' || input instanceof Uint8Array ? this.byMaterial(input) : this.byIdentity(input);
    if (key instanceof Error) throw key;
    return key;
  }

  /** Text or bytes, by content. */
  private byMaterial(input: string | Uint8Array): VerificationKey | Error {
    const id = typeof input === 'string' ? input : derId(input);
    let key = this.strings.get(id);
    if (key) {
      this.strings.delete(id); // re-inserted below: most recently used
    } else {
      key = this.load(input);
      if (this.strings.size >= MAX_CACHED_KEYS) this.strings.delete(this.strings.keys().next().value!);
    }
    this.strings.set(id, key);
    return key;
  }

  /** A KeyObject, by identity; anything else (null, a number) fails to load, uncached. */
  private byIdentity(input: Exclude<KeyInput, string | Uint8Array>): VerificationKey | Error {
    if (typeof input !== 'object' || input === null) return this.load(input);
    let key = this.objects.get(input);
    if (!key) {
      key = this.load(input);
      this.objects.set(input, key);
    }
    return key;
  }
}

/** A cache key for DER bytes: one char per byte (no PEM or base64 text looks like this). */
function derId(der: Uint8Array): string {
  return `\0der:${bytesToBinary(der)}`;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Parses the static `alipayPublicKey` option once; throws TypeError naming the bad entry. */
function parseStaticKeys(runtime: Runtime, option: KeyInput | KeyInput[]): VerificationKey[] {
  const list = asList(option);
  if (list.length === 0) throw new TypeError('alipayPublicKey is an empty list.');
  return list.map((input, i) =>
    parsePublicKey(input, Array.isArray(option) ? `alipayPublicKey[${i}]` : 'alipayPublicKey', runtime.crypto),
  );
}

/**
 * Loads the static `alipayPublicCert` option once: each certificate must parse, be an Alipay
 * certificate (not the app certificate, not a root) and, with alipayRootCert, chain to it.
 * Throws a TypeError naming the entry. Expired certificates are kept (skipped at verify
 * time), unless every one of them has expired: then nothing could ever verify.
 */
function loadStaticCertificates(
  runtime: Runtime,
  option: CertInput | CertInput[],
  rootBundle: RootBundle | undefined,
): VerificationKey[] {
  const list = asList(option);
  if (list.length === 0) throw new TypeError('alipayPublicCert is an empty list.');
  const name = (i: number) => (Array.isArray(option) ? `alipayPublicCert[${i}]` : 'alipayPublicCert');
  const keys = list.map((input, i) => {
    try {
      return loadCertificateKey(runtime, input, rootBundle);
    } catch (error) {
      throw configError(name(i), error);
    }
  });
  const now = Date.now();
  const errors = keys.flatMap((k) => (k.window !== undefined && hasExpired(k, now) ? [certificateDateError(k, now)] : []));
  if (errors.length === keys.length) {
    const what = keys.length === 1 ? 'The certificate has expired' : 'Every certificate has expired';
    throw new TypeError(
      `alipayPublicCert: ${what}: ${errors.map((e, i) => (keys.length === 1 ? e.message : `[${i}] ${e.message}`)).join(' ')} Download the current alipayCertPublicKey_RSA2.crt ` +
        'from the Alipay open platform (接口加签方式). (CERT_EXPIRED)',
      { cause: errors[0] },
    );
  }
  return keys;
}

function providerNotFound(ctx: KeyProviderContext): KeyLookup {
  return {
    ok: false,
    error: new NotifyError('KEY_NOT_FOUND', 'keyProvider returned no key for this notification.', {
      hint: `keyProvider has no Alipay public key for app_id ${ctx.appId === undefined ? '(none in the body)' : quoted(ctx.appId)} and sign_type ${ctx.signType}${ctx.certSn === undefined ? '' : ` (alipay_cert_sn ${quoted(ctx.certSn)})`}.`,
    }),
  };
}

function providerKeys(
  result: KeyInput | KeyInput[] | undefined,
  cache: KeyCache,
  fallback: KeyTable | undefined,
  ctx: KeyProviderContext,
): KeyLookup {
  if (result === undefined || (Array.isArray(result) && result.length === 0)) {
    return fallback ? fallback.select(ctx) : providerNotFound(ctx);
  }
  const list = asList(result);
  const keys: VerificationKey[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      keys.push(cache.get(list[i]!));
    } catch (cause) {
      if (isNotifyError(cause)) {
        // A certificate that does not load: CERT_INVALID or CERT_UNTRUSTED, with its reason.
        return { ok: false, error: new NotifyError(cause.code, `keyProvider result [${i}]: ${cause.message}`, { cause }) };
      }
      return {
        ok: false,
        error: new NotifyError('KEY_NOT_FOUND', 'keyProvider returned a key that does not parse.', {
          hint: `keyProvider result [${i}]: ${cause instanceof Error ? cause.message : 'not a key.'}`,
          cause,
        }),
      };
    }
  }
  return selectBySn(keys, ctx);
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

/** alipayPublicKey and alipayPublicCert as one table (keys first); undefined when neither is set. */
function staticTable(runtime: Runtime, options: VerifierOptions, rootBundle: RootBundle | undefined): KeyTable | undefined {
  const keys = options.alipayPublicKey === undefined ? [] : parseStaticKeys(runtime, options.alipayPublicKey);
  const certs =
    options.alipayPublicCert === undefined ? [] : loadStaticCertificates(runtime, options.alipayPublicCert, rootBundle);
  if (keys.length + certs.length === 0) return undefined;
  return new KeyTable([...keys.map((key, index) => ({ key, index })), ...certs.map((key, index) => ({ key, index }))]);
}

/** Builds the key source from the options, loading static keys and certificates now (fail fast). */
export function createKeySource(runtime: Runtime, options: VerifierOptions): KeySource {
  const rootBundle =
    options.alipayRootCert === undefined
      ? undefined
      : runtime.certificates.readRootBundleOption(options.alipayRootCert, 'alipayRootCert');
  const table = staticTable(runtime, options, rootBundle);
  const provider: KeyProvider | undefined = options.keyProvider;
  if (provider === undefined) {
    if (table === undefined) {
      throw new TypeError(
        'createVerifier needs a key source: set alipayPublicKey (the 支付宝公钥), alipayPublicCert (公钥证书模式) or keyProvider.',
      );
    }
    if (rootBundle && !table.hasCertificates) {
      throw new TypeError(
        'alipayRootCert is set but no certificate uses it: in certificate mode (公钥证书模式) also set alipayPublicCert ' +
          '(alipayCertPublicKey_RSA2.crt), or return certificates from keyProvider.',
      );
    }
    if (!table.hasCertificates) {
      const lookup = table.all;
      return () => lookup;
    }
    return (ctx) => table.select(ctx);
  }
  if (typeof provider !== 'function') throw new TypeError('keyProvider must be a function.');

  // keysByApp(): keys parsed when it was created; a request costs a Map lookup.
  const prepared = preparedProviderOf(provider, rootBundle, runtime);
  if (prepared) return (ctx) => prepared(ctx) ?? (table ? table.select(ctx) : providerNotFound(ctx));

  const cache = new KeyCache(runtime, rootBundle);
  return (ctx) => {
    let result: ReturnType<KeyProvider>;
    try {
      result = provider(ctx);
    } catch (cause) {
      return providerFailed(cause);
    }
    if (result instanceof Promise) {
      return result.then((value) => providerKeys(value, cache, table, ctx), providerFailed);
    }
    return providerKeys(result, cache, table, ctx);
  };
}
