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
  type NotifyFixture,
  type ParamOverrides,
  type SignedNotify,
  type TestCharset,
} from '../testing/index.js';
import { applyOverrides, setParam } from '../testing/params.js';
import { collect, parseParamsJson, readInput, splitList, UsageError } from './io.js';

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

/** What --alipay-public-key and --alipay-cert give the library: key texts and certificate files. */
export interface VerificationSources {
  /** --alipay-public-key files as text (parsed by the library), for alipayPublicKey. */
  keys: string[];
  /** --alipay-cert files as bytes (PEM or DER), for alipayPublicCert: the library checks them. */
  certs: Uint8Array[];
  /** --alipay-root-cert as bytes, for alipayRootCert (only with --alipay-cert). */
  rootCert?: Uint8Array;
}

export function verificationSources(options: KeyOptions): VerificationSources {
  const sources: VerificationSources = {
    keys: (options.alipayPublicKey ?? []).map((file) => readKeyText(file, 'the Alipay public key')),
    certs: (options.alipayCert ?? []).map((file) => readInput(file, 'the Alipay certificate')),
  };
  const rootCert = rootCertOption(options);
  if (rootCert !== undefined) sources.rootCert = rootCert;
  return sources;
}

/** --alipay-root-cert as bytes; it only makes sense with --alipay-cert. */
export function rootCertOption(options: KeyOptions): Uint8Array | undefined {
  if (options.alipayRootCert === undefined) return undefined;
  if ((options.alipayCert ?? []).length === 0) throw new UsageError('--alipay-root-cert checks the chain of --alipay-cert: give --alipay-cert <file> too');
  return readInput(options.alipayRootCert, 'the root bundle');
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
