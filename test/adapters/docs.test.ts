// docs/frameworks.md: every ```ts block type-checks against the sources (the NestJS recipe
// with legacy decorators, as Nest projects compile it), and each framework has its example.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typeCheckFiles } from '../helpers/type-check.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/frameworks.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/frameworks.md', () => {
  it('explains the raw-body pitfall once, at the top, and has one example per framework', () => {
    expect(doc.match(/^## The raw-body pitfall$/gm)).toHaveLength(1);
    expect(doc.indexOf('## The raw-body pitfall')).toBeLessThan(doc.indexOf('## Express'));
    for (const from of ['alipay-notify/express', 'alipay-notify/koa', 'alipay-notify/fastify', 'alipay-notify/web', 'alipay-notify/hono', '@nestjs/common']) {
      expect(blocks.some((b) => b.includes(`from '${from}'`))).toBe(true);
    }
    expect(doc).toContain('rawBody: true');
    for (const code of ['BODY_TOO_LARGE', 'BODY_CONSUMED', 'BODY_READ_FAILED', 'ON_VERIFIED_FAILED']) expect(doc).toContain(`\`${code}\``);
  });

  it('every ts block type-checks', () => {
    const dir = join(root, '.tmp/frameworks-snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    blocks.forEach((code, i) => {
      const name = code.startsWith('// notify.ts') ? 'notify.ts' : `snippet-${i}.ts`;
      writeFileSync(join(dir, name), `${code}\nexport {};\n`);
      files.push(join(dir, name));
    });
    // The NestJS main.ts imports the user's module.
    writeFileSync(join(dir, 'app.module.ts'), 'export class AppModule {}\n');
    const adapter = (name: string): string[] => [join(root, `src/adapters/${name}.ts`)];
    // @nestjs/platform-fastify pins its own fastify; when it is not the repository's version,
    // npm nests it, and the NestJS-on-Fastify snippet must see the same fastify types as the
    // plugin (as in a project with one fastify). Pointing 'fastify' at Nest's copy does that.
    const nestFastify = join(root, 'node_modules/@nestjs/platform-fastify/node_modules/fastify/fastify.d.ts');
    const fastifyTypes: Record<string, string[]> = existsSync(nestFastify) ? { fastify: [nestFastify] } : {};
    const diagnostics = typeCheckFiles(root, files, {
      'alipay-notify': [join(root, 'src/index.ts')],
      'alipay-notify/express': adapter('express'),
      'alipay-notify/koa': adapter('koa'),
      'alipay-notify/fastify': adapter('fastify'),
      'alipay-notify/web': adapter('web'),
      'alipay-notify/hono': adapter('hono'),
      '@/lib/notify': [join(dir, 'notify.ts')],
      ...fastifyTypes,
    }, { experimentalDecorators: true, emitDecoratorMetadata: true });
    rmSync(dir, { recursive: true, force: true });
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
