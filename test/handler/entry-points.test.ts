import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every source file reachable through relative value imports (type-only imports are erased). */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
      visit(join(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return seen;
}

describe('entry points', () => {
  it.each(['index.ts', 'index.web.ts'])('the root entry %s reaches the handler but no PostgreSQL, Redis or SQLite store', (entry) => {
    const files = [...reachable(join(src, entry))].map((f) => f.slice(src.length + 1));
    expect(files).toContain('handler/handler.ts');
    expect(files).toContain('handler/idempotency/memory.ts');
    expect(files.filter((f) => /postgres|redis|sqlite/.test(f))).toEqual([]);
  });

  it('no store imports a database driver: they take structurally typed clients', () => {
    for (const name of ['postgres', 'redis', 'sqlite', 'memory']) {
      const text = readFileSync(join(src, `handler/idempotency/${name}.ts`), 'utf8');
      expect(text).not.toMatch(/from '(pg|redis|ioredis|better-sqlite3)'/);
    }
  });

  it('the idempotency subpath exports every store', async () => {
    const mod = await import('../../src/handler/idempotency/index.js');
    expect(Object.keys(mod).sort()).toEqual(
      [
        'DEFAULT_CLAIM_TTL_MS',
        'memoryIdempotencyStore',
        'pgIdempotencySchema',
        'pgIdempotencyStore',
        'redisIdempotencyStore',
        'sqliteIdempotencySchema',
        'sqliteIdempotencyStore',
      ].sort(),
    );
  });

  it('the handler barrel exports the handler API; each root entry adds createNotifyHandler on its runtime', async () => {
    const mod = await import('../../src/handler/index.js');
    expect(Object.keys(mod).sort()).toEqual(['DEFAULT_CLAIM_TTL_MS', 'amountEquals', 'isPaid', 'memoryIdempotencyStore'].sort());
    for (const root of [await import('../../src/index.js'), await import('../../src/index.web.js')]) {
      expect(typeof root.createNotifyHandler).toBe('function');
      for (const name of Object.keys(mod)) expect(root).toHaveProperty(name);
    }
  });
});
