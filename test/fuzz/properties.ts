/*
 * The fuzz properties and their runner, shared by the vitest slice (test/fuzz/fuzz.test.ts,
 * fixed seed) and the long run (scripts/fuzz.ts, `npm run fuzz`).
 */
import fc from 'fast-check';
import { createVerifier, type NotifyVerifier } from '../../src/index.js';
import { buildCorpus, type Seed } from './corpus.js';
import { binaryToBytes as toBytes, bytesToBinary as fromBytes } from '../../src/keys/bytes.js';
import { applyMutation, equivalence, mutation } from './mutate.js';
import { checkVerify, HANG_MS, newStats, type FuzzStats } from './oracle.js';
import { FUZZ_TEST_PUBLIC_KEY } from './test-key.js';

type InputForm = 'string' | 'bytes' | 'arraybuffer' | 'buffer' | 'search';

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** The same binary-string body in one of the accepted input forms. */
function asInput(binary: string, form: InputForm): unknown {
  const bytes = toBytes(binary);
  switch (form) {
    case 'string':
      // A JS string body is UTF-8 encoded by the verifier: use it only when that keeps the bytes.
      return isAscii(binary) ? binary : bytes;
    case 'bytes':
      return bytes;
    case 'arraybuffer':
      return bytes.buffer;
    case 'buffer':
      return Buffer.from(bytes);
    case 'search':
      return new URLSearchParams(binary);
  }
}

const inputForm = fc.constantFrom<InputForm>('string', 'string', 'bytes', 'arraybuffer', 'buffer', 'search');

const throwing = (): never => {
  throw new Error('hostile');
};

/** Marks a hostile object, built only when the case runs. */
class Hostile {
  constructor(readonly index: number) {}
  toString(): string {
    return `hostile object #${this.index}`;
  }
}

/** Objects that misbehave when read. */
export function hostileObjects(): unknown[] {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  return [
    new Proxy({}, { ownKeys: throwing }),
    new Proxy({ a: '1' }, { get: throwing, getOwnPropertyDescriptor: throwing }),
    revocable.proxy,
    Object.defineProperty({ sign: 'AAAA' }, 'sign_type', { enumerable: true, get: throwing }),
    { [Symbol('sign')]: 'x', sign: 'AAAA' },
    Object.create({ sign: 'inherited', sign_type: 'RSA2' }),
    Object.freeze({ sign: 'AAAA', sign_type: 'RSA2' }),
    { toString: throwing, valueOf: throwing },
    Promise.resolve('sign=AAAA'),
    () => 'sign=AAAA',
    new Date(0),
    new Map([['sign', 'AAAA']]),
    new Set(['sign']),
    [['sign', 'AAAA']],
    new Int16Array(8),
    new DataView(new ArrayBuffer(8)),
    new SharedArrayBuffer(8),
    new String('sign=AAAA'),
    Symbol('body'),
    10n,
    NaN,
    null,
    undefined,
  ];
}

export interface FuzzProperty {
  name: string;
  /** Share of the total run count. */
  weight: number;
  property: fc.IAsyncProperty<never[]> | fc.IAsyncProperty<unknown[]>;
}

export async function buildProperties(stats: FuzzStats): Promise<FuzzProperty[]> {
  const corpus = await buildCorpus();
  const real = corpus.filter((s) => s.name.startsWith('real '));
  const signedSeeds = corpus.filter((s) => !s.name.startsWith('real '));
  const bodies = corpus.map((s) => s.body);
  const ctx = { others: bodies };
  const anyVerifier: NotifyVerifier = createVerifier({ alipayPublicKey: FUZZ_TEST_PUBLIC_KEY, signTypes: ['RSA2', 'RSA'] });
  const signs = corpus.map((s) => encodeURIComponent(s.sent['sign']!));
  // Printed by name in a counterexample (not as the whole seed object).
  const seedOf = (list: readonly Seed[]) =>
    fc.nat({ max: list.length - 1 }).map((i) => Object.assign(Object.create(list[i]!) as Seed, { [fc.toStringMethod]: () => `seed "${list[i]!.name}"` }));

  const formByte = fc.constantFrom(...'&=%+02AFaf sign_type RSA2\x00\x7f\xff'.split('').map((c) => c.charCodeAt(0)));
  const bytes = fc.oneof(
    { weight: 5, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 4, arbitrary: fc.array(formByte, { maxLength: 512 }).map((a) => Uint8Array.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom(65535, 65536, 65537, 300_000).chain((n) => fc.integer({ min: 0, max: 255 }).map((b) => new Uint8Array(n).fill(b))) },
  );

  const unit = fc.constantFrom('&', '=', '%', '+', 'a', 'Z', '0', 'F', '%2', '%41', '%zz', 'sign', 'sign_type', 'RSA2', 'charset', 'gbk', '\0', '\uD800', '\uDFFF', '语', '\u{1F600}', ' ', '\n', '[', ']');
  const formLike = fc
    .tuple(
      fc.array(fc.tuple(fc.string({ unit, maxLength: 8 }), fc.string({ unit, maxLength: 12 })), { maxLength: 12 }),
      fc.nat({ max: signs.length - 1 }),
      fc.boolean(),
    )
    .map(([pairs, s, withSign]) => {
      const parts = pairs.map(([k, v]) => `${k}=${v}`);
      if (withSign) parts.push(`sign=${signs[s]}`, 'sign_type=RSA2');
      return parts.join('&');
    });
  const strings = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit, maxLength: 120 }),
    formLike,
  );

  const objects = fc.oneof(
    fc.anything({
      maxDepth: 3,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      stringUnit: 'binary',
    }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 20 }), { maxKeys: 30 }),
    fc.dictionary(fc.string({ unit, maxLength: 10 }), fc.oneof(fc.string({ unit, maxLength: 10 }), fc.anything({ maxDepth: 1 }))),
    fc.array(fc.tuple(fc.string({ unit, maxLength: 10 }), fc.string({ unit, maxLength: 10 })), { maxLength: 20 }).map((pairs) => new URLSearchParams(pairs)),
    // Built inside the property: fast-check itself cannot inspect a revoked proxy.
    fc.nat({ max: hostileObjects().length - 1 }).map((index) => new Hostile(index)),
  );

  const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });
  const mutationsOf = (list: readonly Seed[]) =>
    fc.asyncProperty(seedOf(list), mutations, inputForm, async (seed, ms, form) => {
      let body = seed.body;
      for (const m of ms) body = applyMutation(body, m, ctx);
      await checkVerify(seed.verifier, asInput(body, form), seed.expected, stats);
    });

  // Object-level mutations of a seed's params (what a framework-parsed body could carry).
  const objectMutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), i: fc.nat(), value: fc.string({ unit: 'binary', maxLength: 12 }) }),
    fc.record({ kind: fc.constant('delete' as const), i: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), key: fc.string({ unit, maxLength: 10 }), value: fc.string({ maxLength: 10 }) }),
    fc.record({ kind: fc.constant('merge' as const), i: fc.nat() }),
    fc.record({ kind: fc.constant('nonString' as const), i: fc.nat(), value: fc.anything({ maxDepth: 1 }) }),
    fc.record({ kind: fc.constant('identity' as const) }),
  );

  return [
    {
      name: 'arbitrary bytes',
      weight: 15,
      property: fc.asyncProperty(bytes, fc.constantFrom<InputForm>('bytes', 'arraybuffer', 'buffer', 'string'), async (b, form) => {
        await checkVerify(anyVerifier, b.length > 70_000 ? b : asInput(fromBytes(b), form), undefined, stats);
      }),
    },
    {
      name: 'arbitrary strings',
      weight: 15,
      property: fc.asyncProperty(strings, async (s) => checkVerify(anyVerifier, s, undefined, stats)),
    },
    {
      name: 'arbitrary objects',
      weight: 10,
      property: fc.asyncProperty(objects, async (o) =>
        checkVerify(anyVerifier, o instanceof Hostile ? hostileObjects()[o.index] : o, undefined, stats),
      ),
    },
    { name: 'mutations of real Alipay-signed bodies', weight: 20, property: mutationsOf(real) },
    { name: 'mutations of signed bodies', weight: 25, property: mutationsOf(signedSeeds) },
    {
      name: 'equivalent re-encodings still verify to the same params',
      weight: 10,
      property: fc.asyncProperty(seedOf(corpus), fc.array(equivalence, { minLength: 1, maxLength: 3 }), fc.constantFrom<InputForm>('string', 'bytes'), async (seed, ms, form) => {
        let body = seed.body;
        for (const m of ms) body = applyMutation(body, m, ctx);
        await checkVerify(seed.verifier, asInput(body, form), seed.expected, stats, true);
      }),
    },
    {
      name: 'mutations of parsed-object bodies',
      weight: 5,
      property: fc.asyncProperty(seedOf(corpus), fc.array(objectMutation, { maxLength: 3 }), async (seed, ms) => {
        const entries: Array<[string, unknown]> = Object.entries(seed.sent);
        for (const m of ms) {
          const i = 'i' in m ? m.i % entries.length : 0;
          if (m.kind === 'set') entries[i] = [entries[i]![0], m.value];
          else if (m.kind === 'delete') entries.splice(i, 1);
          else if (m.kind === 'add') entries.push([m.key, m.value]);
          else if (m.kind === 'nonString') entries[i] = [entries[i]![0], m.value];
          else if (m.kind === 'merge' && entries.length > 1) {
            const j = (i + 1) % entries.length;
            entries[i] = [entries[i]![0], `${String(entries[i]![1])}&${entries[j]![0]}=${String(entries[j]![1])}`];
            entries.splice(j, 1);
          }
          if (entries.length === 0) break;
        }
        const object: Record<string, unknown> = {};
        for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
        await checkVerify(seed.verifier, object, seed.expected, stats);
      }),
    },
  ];
}

export interface FuzzRun {
  seed: number;
  total: number;
  ms: number;
  stats: FuzzStats;
  perProperty: Array<{ name: string; runs: number; ms: number }>;
}

/** Runs every property with its share of `total` cases; throws (fast-check report) on the first failure. */
export async function runFuzz(total: number, seed: number, log: (line: string) => void = () => {}): Promise<FuzzRun> {
  const stats = newStats();
  const properties = await buildProperties(stats);
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  const start = performance.now();
  const perProperty: FuzzRun['perProperty'] = [];
  for (const [index, { name, weight, property }] of properties.entries()) {
    const runs = Math.ceil((total * weight) / weights);
    const t = performance.now();
    await fc.assert(property as fc.IAsyncProperty<unknown[]>, { numRuns: runs, seed: seed + index, timeout: HANG_MS, endOnFailure: true });
    const ms = performance.now() - t;
    perProperty.push({ name, runs, ms });
    log(`  ${name}: ${runs} cases in ${(ms / 1000).toFixed(1)} s (seed ${seed + index})`);
  }
  return { seed, total: perProperty.reduce((sum, p) => sum + p.runs, 0), ms: performance.now() - start, stats, perProperty };
}
