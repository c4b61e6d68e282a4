import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NotifyErrorCode } from '../errors.js';
import type { TradeNotificationKind } from '../model/types.js';
import type { SignType, SignedContent, VerifierOptions } from '../types.js';

/** What verifying a fixture must give. */
export interface FixtureExpectation {
  ok: boolean;
  /** Error code when ok is false. */
  code?: NotifyErrorCode;
  signType?: SignType;
  signedContent?: SignedContent;
  /** notification.type (notify_type, msg_method, ...). */
  type?: string;
  /** notification.kind for trade notifications. */
  kind?: TradeNotificationKind;
}

/** The verifier options a fixture is replayed with (besides its public key). */
export interface FixtureVerifierOptions {
  signTypes?: SignType[];
  appId?: string | string[];
  sellerId?: string | string[];
}

/** One recorded notification: `fixtures/notifications/<name>.json`. */
export interface NotifyFixture {
  name: string;
  description: string;
  /** Where the notification comes from: a real Alipay-signed vector, or the script that signed it. */
  provenance: string;
  /** The HTTP body exactly as POSTed (form-encoded, ASCII). */
  rawBody: string;
  /** PEM public key to verify with. For synthetic fixtures a TEST key (see keyNote). */
  publicKey: string;
  /** What publicKey is: "TEST KEY ..." for synthetic fixtures, Alipay's key for real ones. */
  keyNote: string;
  verifierOptions: FixtureVerifierOptions;
  expected: FixtureExpectation;
}

export interface FixtureLoadOptions {
  /** Folder holding the `<name>.json` files. Default: the package's `fixtures/notifications`. */
  dir?: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The package's `fixtures/notifications` folder. It is found next to the package root,
 * whether this module runs from `src/testing/`, `dist/testing/` or a bundled chunk in `dist/`.
 */
export function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 3; level++) {
    const candidate = join(dir, 'fixtures', 'notifications');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('alipay-notify: the fixtures/notifications folder was not found next to the package.');
}

/** Names of the recorded notifications, sorted. */
export function listFixtures(options: FixtureLoadOptions = {}): string[] {
  const dir = options.dir ?? fixturesDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function invalid(name: string, problem: string): Error {
  return new Error(`Fixture ${JSON.stringify(name)} is invalid: ${problem}.`);
}

function isStringList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

function check(name: string, data: unknown): NotifyFixture {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(name, 'not a JSON object');
  const f = data as Record<string, unknown>;
  for (const field of ['name', 'description', 'provenance', 'rawBody', 'publicKey', 'keyNote'] as const) {
    if (typeof f[field] !== 'string' || f[field] === '') throw invalid(name, `${field} must be a non-empty string`);
  }
  if (f['name'] !== name) throw invalid(name, `its name field is ${JSON.stringify(f['name'])}`);
  const options = f['verifierOptions'] ?? {};
  if (typeof options !== 'object' || options === null) throw invalid(name, 'verifierOptions must be an object');
  const o = options as Record<string, unknown>;
  if (o['signTypes'] !== undefined && !(Array.isArray(o['signTypes']) && o['signTypes'].every((t) => t === 'RSA2' || t === 'RSA'))) {
    throw invalid(name, 'verifierOptions.signTypes must list "RSA2" and/or "RSA"');
  }
  for (const id of ['appId', 'sellerId']) {
    if (o[id] !== undefined && !isStringList(o[id])) throw invalid(name, `verifierOptions.${id} must be a string or a list`);
  }
  const expected = f['expected'];
  if (typeof expected !== 'object' || expected === null || typeof (expected as { ok?: unknown }).ok !== 'boolean') {
    throw invalid(name, 'expected.ok must be a boolean');
  }
  if ((expected as FixtureExpectation).ok === false && typeof (expected as FixtureExpectation).code !== 'string') {
    throw invalid(name, 'a failing fixture needs expected.code');
  }
  return { ...(f as unknown as NotifyFixture), verifierOptions: o as FixtureVerifierOptions };
}

/** Loads one recorded notification by name (see listFixtures()). */
export function loadFixture(name: string, options: FixtureLoadOptions = {}): NotifyFixture {
  if (!NAME.test(name)) throw new Error(`Invalid fixture name ${JSON.stringify(name)} (lower-case letters, digits, ".", "-", "_").`);
  const dir = options.dir ?? fixturesDir();
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`No fixture named ${JSON.stringify(name)} in ${dir}. Known: ${listFixtures({ dir }).join(', ')}.`);
  }
  return check(name, JSON.parse(readFileSync(file, 'utf8')));
}

/** The createVerifier options that replay a fixture: its public key plus its verifierOptions. */
export function fixtureVerifierOptions(fixture: NotifyFixture): VerifierOptions {
  return { ...fixture.verifierOptions, alipayPublicKey: fixture.publicKey };
}
