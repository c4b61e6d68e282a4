import { createPrivateKey } from 'node:crypto';
import type { Command } from 'commander';
import type { SignType, SignedContent } from '../types.js';
import {
  closeNotifyParams,
  loadFixture,
  messageNotifyParams,
  refundNotifyParams,
  signNotify,
  tradeNotifyParams,
  type FixtureVerifierOptions,
  type NotifyFixture,
  type ParamOverrides,
  type SignedNotify,
  type TestCharset,
} from '../testing/index.js';
import { applyOverrides, setParam } from '../testing/params.js';
import { bodyOrParams, collect, parseParamsJson, readBody, readInput, splitList, UsageError } from './io.js';

export const SIGN_TYPES: readonly SignType[] = ['RSA2', 'RSA'];

/** Reads a key or certificate file as text (never printed). */
export function readKeyText(file: string, what: string): string {
  return readInput(file, what).toString('utf8');
}

/** The recorded notification named by --fixture; an unknown or broken fixture is a usage error. */
export function fixtureOption(name: string): NotifyFixture {
  try {
    return loadFixture(name);
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface KeyOptions {
  alipayPublicKey?: string[];
  alipayCert?: string[];
  alipayRootCert?: string;
  signTypes?: string[];
  fixture?: string;
}

/** The key options of `verify` and `diagnose`: what the verifier is (or would be) configured with. */
export function addKeyOptions(command: Command): Command {
  return command
    .option('-k, --alipay-public-key <file>', 'the 支付宝公钥 (PEM or bare base64; repeatable for rotation)', collect)
    .option('--alipay-cert <file>', 'the Alipay public-key certificate (alipayCertPublicKey_RSA2.crt, PEM or DER; repeatable)', collect)
    .option('--alipay-root-cert <file>', 'the root bundle (alipayRootCert.crt): the Alipay certificate must chain to one of its RSA roots, as with the alipayRootCert option')
    .option('--sign-types <list>', 'allowed sign types, e.g. RSA2 or RSA2,RSA (default RSA2, like the library)', collect)
    .option('--fixture <name>', 'use a recorded notification (body, key and options) from the package fixtures');
}

/** A file given on the command line: its name (for messages, never its content) and what it holds. */
export interface Labelled<T> {
  label: string;
  input: T;
}

/** What `verify` and `diagnose` check, read once from the [file] argument and addKeyOptions. */
export interface NotificationInput {
  /** The body file or stdin (raw bytes, or a JSON object of params), or the --fixture body. */
  body: Buffer | Record<string, string>;
  /** --alipay-public-key files as text (parsed by the library), or the fixture's key. */
  keys: Array<Labelled<string>>;
  /** --alipay-cert files as bytes (PEM or DER), for alipayPublicCert: the library checks them. */
  certs: Array<Labelled<Uint8Array>>;
  /** --alipay-root-cert as bytes, for alipayRootCert (only with --alipay-cert). */
  rootCert?: Uint8Array;
  /** --sign-types, else the fixture's signTypes, else RSA2 (the library's default). */
  signTypes: SignType[];
  /** The fixture's verifier options (appId, sellerId...); empty without --fixture. */
  fixtureOptions: FixtureVerifierOptions;
}

/** Key files (repeatable options) as text, labelled by file name. */
export function keyFiles(files: readonly string[] | undefined, what: string): Array<Labelled<string>> {
  return (files ?? []).map((label) => ({ label, input: readKeyText(label, what) }));
}

export function notificationInput(file: string | undefined, options: KeyOptions): NotificationInput {
  const keys = keyFiles(options.alipayPublicKey, 'the Alipay public key');
  const certs = (options.alipayCert ?? []).map((label) => ({ label, input: readInput(label, 'the Alipay certificate') }));
  if (options.alipayRootCert !== undefined && certs.length === 0) {
    throw new UsageError('--alipay-root-cert checks the chain of --alipay-cert: give --alipay-cert <file> too');
  }
  const rootCert = options.alipayRootCert === undefined ? undefined : readInput(options.alipayRootCert, 'the root bundle');
  let body: Buffer | Record<string, string>;
  let fixtureOptions: FixtureVerifierOptions = {};
  if (options.fixture !== undefined) {
    if (file !== undefined) throw new UsageError('give either a body file or --fixture, not both');
    const fixture = fixtureOption(options.fixture);
    body = Buffer.from(fixture.rawBody, 'utf8');
    fixtureOptions = fixture.verifierOptions;
    if (keys.length === 0 && certs.length === 0) keys.push({ label: `fixture ${fixture.name} key`, input: fixture.publicKey });
  } else {
    body = bodyOrParams(readBody(file));
  }
  if (keys.length === 0 && certs.length === 0) throw new UsageError('no key: give --alipay-public-key <file> or --alipay-cert <file>');
  return {
    body,
    keys,
    certs,
    ...(rootCert === undefined ? {} : { rootCert }),
    signTypes: parseSignTypes(options.signTypes, fixtureOptions.signTypes ?? ['RSA2']),
    fixtureOptions,
  };
}

export function parseSignTypes(value: string[] | string | undefined, fallback: SignType[]): SignType[] {
  const list = splitList(value);
  if (list.length === 0) return fallback;
  for (const t of list) {
    if (!SIGN_TYPES.includes(t as SignType)) throw new UsageError(`unknown sign type ${JSON.stringify(t)} (use RSA2 and/or RSA)`);
  }
  return [...new Set(list)] as SignType[];
}

const TEMPLATES: Readonly<Record<string, (o: ParamOverrides) => Record<string, string>>> = {
  trade: tradeNotifyParams,
  payment: tradeNotifyParams,
  refund: refundNotifyParams,
  close: closeNotifyParams,
  message: messageNotifyParams,
};
export const TEMPLATE_NAMES = Object.keys(TEMPLATES);

export interface ParamOptions {
  template?: string;
  params?: string;
  param?: string[];
  unset?: string[];
}

/** Params from --template, --params <file|->, --param k=v and --unset k, applied in that order. */
export function collectParams(options: ParamOptions, defaultTemplate?: string): Record<string, string> {
  const overrides: Record<string, string | undefined> = {};
  if (options.params !== undefined) {
    const json = parseParamsJson(readInput(options.params, 'the params JSON').toString('utf8'), 'the params file');
    for (const [k, v] of Object.entries(json)) setParam(overrides, k, v);
  }
  for (const pair of options.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param needs key=value, got ${JSON.stringify(pair)}`);
    setParam(overrides, pair.slice(0, eq), pair.slice(eq + 1));
  }
  for (const key of options.unset ?? []) setParam(overrides, key, undefined);
  // A default template (send) applies unless a params file gives the whole set; --param overrides it.
  const templateName = options.template ?? (options.params === undefined ? defaultTemplate : undefined);
  if (templateName === undefined) {
    if (options.params === undefined && (options.param ?? []).length === 0) {
      throw new UsageError('no params: use --template <trade|refund|close|message>, --params <file|->, or --param key=value');
    }
    return applyOverrides({}, overrides);
  }
  const template = Object.hasOwn(TEMPLATES, templateName) ? TEMPLATES[templateName] : undefined;
  if (template === undefined) throw new UsageError(`unknown template ${JSON.stringify(templateName)} (use ${TEMPLATE_NAMES.join(', ')})`);
  return template(overrides);
}

export interface SignOptions {
  privateKey?: string;
  signType?: string;
  charset?: string;
  signedContent?: string;
  emptyValues?: string;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Signs params with the TEST private key of --private-key, like Alipay would. */
export function signWithOptions(params: Record<string, string>, options: SignOptions): SignedNotify {
  if (options.privateKey === undefined) throw new UsageError('--private-key <file> is required to sign');
  const text = readKeyText(options.privateKey, 'the private key');
  try {
    createPrivateKey(text);
  } catch {
    throw new UsageError(`${JSON.stringify(options.privateKey)} is not a PEM private key (use \`alipay-notify keygen\` to make a test pair)`);
  }
  const signType = oneOf(options.signType, SIGN_TYPES, '--sign-type');
  const charset = oneOf<TestCharset>(options.charset?.toLowerCase(), ['utf-8', 'gbk'], '--charset');
  const signedContent = oneOf<SignedContent>(options.signedContent, ['v1', 'v2'], '--signed-content');
  const emptyValues = oneOf(options.emptyValues, ['skip', 'keep'] as const, '--empty-values');
  try {
    return signNotify(params, {
      privateKey: text,
      ...(signType === undefined ? {} : { signType }),
      ...(charset === undefined ? {} : { charset }),
      ...(signedContent === undefined ? {} : { signedContent }),
      ...(emptyValues === undefined ? {} : { emptyValues }),
    });
  } catch (cause) {
    if (cause instanceof RangeError) throw new UsageError(`cannot sign in GBK: ${cause.message}`);
    throw cause;
  }
}
