// The adapter subpaths: exports map, tsup entries, optional peers, and no runtime import of a
// framework (they are optional peer dependencies: the adapters use their types only).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  dependencies: Record<string, string>;
};
const adapters = ['express', 'koa', 'fastify', 'web', 'hono'];
const frameworks = ['express', 'koa', 'fastify', 'hono'];
const source = (name: string): string => readFileSync(join(root, 'src/adapters', name), 'utf8');

describe('adapter entry points', () => {
  it('each adapter is a subpath export with import/require types, and a tsup entry', () => {
    const tsup = readFileSync(join(root, 'tsup.config.ts'), 'utf8');
    for (const name of adapters) {
      expect(pkg.exports[`./${name}`]).toEqual({
        import: { types: `./dist/${name}/index.d.ts`, default: `./dist/${name}/index.js` },
        require: { types: `./dist/${name}/index.d.cts`, default: `./dist/${name}/index.cjs` },
      });
      expect(tsup).toContain(`'${name}/index': 'src/adapters/${name}.ts'`);
    }
  });

  it('frameworks are optional peer dependencies, never dependencies', () => {
    for (const name of frameworks) {
      expect(pkg.peerDependencies[name]).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
      expect(pkg.dependencies[name]).toBeUndefined();
    }
  });

  it('no adapter imports a framework at runtime (type imports only)', () => {
    for (const file of readdirSync(join(root, 'src/adapters'))) {
      const text = source(file);
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const from = m[2]!;
        if (frameworks.includes(from) || frameworks.some((f) => from.startsWith(`${f}/`))) {
          expect(m[1], `${file} imports ${from}`).toBe('type ');
        }
      }
    }
  });

  it('the web-side modules import nothing from node: (they run on Workers, Deno, Bun)', () => {
    for (const file of ['web.ts', 'hono.ts', 'web-handler.ts', 'core.ts', 'read-body.ts', 'reply.ts']) {
      expect(source(file)).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'node:/m);
    }
  });

  it('each subpath exports its API', async () => {
    expect(Object.keys(await import('../../src/adapters/express.js')).sort()).toEqual(['alipayNotify', 'sendNotifyReply']);
    expect(Object.keys(await import('../../src/adapters/koa.js')).sort()).toEqual(['alipayNotify']);
    expect(Object.keys(await import('../../src/adapters/fastify.js')).sort()).toEqual(['alipayBodyParser', 'alipayNotify', 'alipayNotifyRoute']);
    expect(Object.keys(await import('../../src/adapters/web.js')).sort()).toEqual(['alipayNotify', 'notifyResponse']);
    expect(Object.keys(await import('../../src/adapters/hono.js')).sort()).toEqual(['alipayNotify']);
  });
});
