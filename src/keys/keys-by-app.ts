/**
 * keysByApp(): the key provider for the common multi-app shape, `{ [appId]: keys }`.
 * Everything is parsed and checked when it is created; the verifier then picks the keys of
 * a notification with one Map lookup (by app_id, then by alipay_cert_sn).
 */
import type { Runtime } from '../runtime/types.js';
import type { KeyInput, KeyProvider, KeyProviderContext } from '../types.js';
import { configError, isCertificatePem, type CertInput } from './cert-common.js';
import type { RootBundle } from './cert-chain.js';
import type { AlipayCertificate } from './cert.js';
import { parsePublicKey, type VerificationKey } from './key-input.js';
import { KeyTable, type KeyLookup } from './key-table.js';

/** Certificate mode (公钥证书模式) for one app. */
export interface AppCertificates {
  /** The app's 支付宝公钥证书 (alipayCertPublicKey_RSA2.crt), PEM; a list during a renewal. */
  cert: CertInput | CertInput[];
  /**
   * alipayRootCert.crt to check `cert` against. Default: the `rootCert` option of keysByApp,
   * else the verifier's `alipayRootCert`, else no chain check.
   */
  rootCert?: CertInput;
}

/**
 * The keys of one app: an Alipay public key (any KeyInput form), a rotation list, or its
 * certificates. A PEM certificate inside a key list is loaded as a certificate too.
 */
export type AppKeys = KeyInput | KeyInput[] | AppCertificates;

export interface KeysByAppOptions {
  /** alipayRootCert.crt for every certificate of the map without a `rootCert` of its own. */
  rootCert?: CertInput;
}

interface Entry {
  readonly key: VerificationKey;
  /** Set for a certificate that no root bundle has checked yet. */
  readonly unchecked?: AlipayCertificate;
}

interface App {
  /** What calling the provider directly returns: the configured inputs, in order. */
  readonly inputs: KeyInput[];
  readonly entries: readonly Entry[];
}

type Resolver = (ctx: KeyProviderContext) => KeyLookup | undefined;
type Prepare = (verifierRoot: RootBundle | undefined, runtime: Runtime) => Resolver | undefined;

const PREPARED = Symbol('alipay-notify.keysByApp');

function isCertificates(value: unknown): value is AppCertificates {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    'cert' in value
  );
}

function certificateEntry(runtime: Runtime, input: CertInput, root: RootBundle | undefined, option: string): Entry {
  try {
    const cert = runtime.certificates.readAlipayCertificate(input);
    const key = runtime.certificates.certificateKey(cert, root);
    return root === undefined ? { key, unchecked: cert } : { key };
  } catch (error) {
    throw configError(option, error);
  }
}

/**
 * A key provider that picks the keys of a notification by its app_id, for setups with
 * several Alipay apps. Each value is the app's Alipay public key, a rotation list of keys,
 * or `{ cert, rootCert? }` in certificate mode.
 *
 * Everything is parsed and checked now, and a TypeError names the app id of a bad entry
 * (a private key, an app certificate, a certificate that does not chain to its root...).
 * An expired certificate is not an error here (one stale app must not stop the others):
 * its notifications get `CERT_EXPIRED`. An app id that is not in the map gives
 * `KEY_NOT_FOUND` naming it.
 *
 * Passed as `keyProvider`, a notification costs a Map lookup. Called directly (to wrap it
 * in your own provider), it returns the configured inputs of the app, which the verifier
 * then parses once per distinct key.
 *
 * @example
 * createVerifier({
 *   keyProvider: keysByApp({
 *     '2021000000000001': process.env.ALIPAY_PUBLIC_KEY_SHOP!,
 *     '2021000000000002': { cert: [alipayCertNew, alipayCertOld] },
 *   }, { rootCert: alipayRootCert }),
 * });
 */
export function keysByAppWith(
  runtime: Runtime,
  map: Readonly<Record<string, AppKeys>>,
  options: KeysByAppOptions = {},
): KeyProvider {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new TypeError('keysByApp needs an object mapping each app id to its keys: { "2021…": alipayPublicKey }.');
  }
  const appIds = Object.keys(map);
  if (appIds.length === 0) throw new TypeError('keysByApp: the map has no app id.');
  const bundles = new Map<CertInput, RootBundle>();
  const bundle = (input: CertInput, option: string): RootBundle => {
    let parsed = bundles.get(input);
    if (!parsed) {
      parsed = runtime.certificates.readRootBundleOption(input, option);
      bundles.set(input, parsed);
    }
    return parsed;
  };
  const defaultRoot = options.rootCert === undefined ? undefined : bundle(options.rootCert, 'keysByApp options.rootCert');

  const apps = new Map<string, App>();
  for (const appId of appIds) {
    const label = `keysByApp[${JSON.stringify(appId)}]`;
    const value = map[appId];
    if (isCertificates(value)) {
      const root = value.rootCert === undefined ? defaultRoot : bundle(value.rootCert, `${label}.rootCert`);
      const many = Array.isArray(value.cert);
      const certs = many ? (value.cert as CertInput[]) : [value.cert as CertInput];
      if (certs.length === 0) throw new TypeError(`${label}.cert is an empty list.`);
      const entries = certs.map((c, i) => certificateEntry(runtime, c, root, many ? `${label}.cert[${i}]` : `${label}.cert`));
      apps.set(appId, { inputs: certs, entries });
      continue;
    }
    if (value === undefined || value === null) throw new TypeError(`${label} has no key.`);
    const many = Array.isArray(value);
    const inputs = many ? value : [value];
    if (inputs.length === 0) throw new TypeError(`${label} is an empty list.`);
    const entries = inputs.map((input, i): Entry => {
      const option = many ? `${label}[${i}]` : label;
      return isCertificatePem(input)
        ? certificateEntry(runtime, input, defaultRoot, option)
        : { key: parsePublicKey(input, option, runtime.crypto) };
    });
    apps.set(appId, { inputs, entries });
  }

  const provider: KeyProvider = (ctx) => (ctx.appId === undefined ? undefined : apps.get(ctx.appId)?.inputs);
  const prepare: Prepare = (verifierRoot, verifierRuntime) => {
    // Keys made by the other build (keysByApp and createVerifier imported from different
    // entry points): let the verifier parse the inputs itself, once per key.
    if (verifierRuntime !== runtime) return undefined;
    const tables = new Map<string, KeyTable>();
    for (const [appId, app] of apps) {
      const indexed = app.entries.map((entry, index) => {
        if (!entry.unchecked || !verifierRoot) return { key: entry.key, index };
        // Not checked by keysByApp: the verifier's alipayRootCert applies.
        try {
          return { key: runtime.certificates.certificateKey(entry.unchecked, verifierRoot), index };
        } catch (error) {
          throw configError(`keysByApp[${JSON.stringify(appId)}] key ${index} (checked against alipayRootCert)`, error);
        }
      });
      tables.set(appId, new KeyTable(indexed));
    }
    return (ctx) => (ctx.appId === undefined ? undefined : tables.get(ctx.appId)?.select(ctx));
  };
  Object.defineProperty(provider, PREPARED, { value: prepare });
  return provider;
}

/** The Map-lookup resolver of a keysByApp() provider; undefined for any other provider. */
export function preparedProviderOf(
  provider: KeyProvider,
  verifierRoot: RootBundle | undefined,
  runtime: Runtime,
): Resolver | undefined {
  const prepare = (provider as KeyProvider & { [PREPARED]?: Prepare })[PREPARED];
  return typeof prepare === 'function' ? prepare(verifierRoot, runtime) : undefined;
}
