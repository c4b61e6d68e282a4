/**
 * The two root entries: the same exports with the same types, and the WebCrypto one reaches
 * no node:* module, no node-forge and no qs (checked on the sources here; `npm run
 * check:package` checks the built files the same way).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as nodeBuild from '../../src/index.js';
import * as webBuild from '../../src/index.web.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every source file reachable through value imports, and the packages/builtins they import. */
function graph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gms)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.add(spec);
    }
  };
  visit(join(src, entry));
  return { files: [...files].map((f) => f.slice(src.length + 1)).sort(), external: [...external].sort() };
}

describe('root entries', () => {
  it('export the same names, with the same kinds of values', () => {
    expect(Object.keys(webBuild).sort()).toEqual(Object.keys(nodeBuild).sort());
    for (const name of Object.keys(nodeBuild) as Array<keyof typeof nodeBuild>) {
      expect(typeof webBuild[name], name).toBe(typeof nodeBuild[name]);
    }
    // Shared values are the very same objects (one NotifyError class for both builds).
    expect(webBuild.NotifyError).toBe(nodeBuild.NotifyError);
    expect(webBuild.parseNotifyBody).toBe(nodeBuild.parseNotifyBody);
  });

  it('have identical types (checked by tsc)', () => {
    // Strict identity per export (expectTypeOf's deep brand trips over readonly tuples).
    type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
    type Node = typeof nodeBuild;
    type Web = typeof webBuild;
    type PerExport = { [K in keyof Node]: K extends keyof Web ? Identical<Node[K], Web[K]> : false };
    expectTypeOf<keyof Web>().toEqualTypeOf<keyof Node>();
    expectTypeOf<PerExport[keyof PerExport]>().toEqualTypeOf<true>();
  });

  it('the WebCrypto entry reaches no node:* module, node-forge, qs or commander', () => {
    const web = graph('index.web.ts');
    expect(web.external).toEqual(['decimal.js']);
    expect(web.files).toContain('crypto/webcrypto.ts');
    expect(web.files.filter((f) => /crypto\/node|runtime\/node|keys\/(cert|cert-keys|cert-chain|cert-sn|x509|forge)\.ts$/.test(f))).toEqual([]);
  });

  it('the Node entry reaches node:crypto, and node-forge only through its lazy loader', () => {
    const node = graph('index.ts');
    expect(node.external).toEqual(['decimal.js', 'node:crypto', 'node:module']);
    expect(node.files).toContain('crypto/node.ts');
    expect(node.files).not.toContain('crypto/webcrypto.ts');
  });
});

describe('package.json export conditions of the root entry', () => {
  type Target = string | { [condition: string]: Target };
  const exportsMap = (JSON.parse(readFileSync(resolve(src, '../package.json'), 'utf8')) as { exports: Record<string, Target> }).exports;

  /** Node's conditional-exports rule: the first key, in object order, that is an active condition. */
  function resolveFor(active: readonly string[], target: Target = exportsMap['.']!): string {
    if (typeof target === 'string') return target;
    for (const [condition, next] of Object.entries(target)) if (active.includes(condition)) return resolveFor(active, next);
    throw new Error(`no match for ${active.join(',')}`);
  }

  it.each([
    ['node', ['node', 'import', 'default'], './dist/index.js'],
    ['node, require', ['node', 'require', 'default'], './dist/index.cjs'],
    ['workerd (Cloudflare, bundlers add node)', ['workerd', 'worker', 'node', 'import', 'default'], './dist/index.web.js'],
    ['worker', ['worker', 'import', 'default'], './dist/index.web.js'],
    ['browser', ['browser', 'import', 'default'], './dist/index.web.js'],
    ['deno (Deno also sets node)', ['deno', 'node', 'import', 'default'], './dist/index.web.js'],
    ['a bundler with import only', ['import', 'default'], './dist/index.web.js'],
    ['a bundler with require only', ['require', 'default'], './dist/index.web.cjs'],
    ['default only', ['default'], './dist/index.web.js'],
  ])('%s: conditions %j resolve to %s', (_name, conditions, file) => {
    expect(resolveFor(conditions)).toBe(file);
  });

  it('every condition has types next to its code', () => {
    for (const conditions of [['node', 'import'], ['node', 'require'], ['browser', 'import'], ['deno', 'require'], ['default']]) {
      expect(resolveFor(['types', ...conditions])).toMatch(/^\.\/dist\/index\.d\.c?ts$/);
    }
  });
});
