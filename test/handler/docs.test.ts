// docs/handling-notifications.md: every ```ts block type-checks against the sources, the
// Express example stays within 30 lines, and every outcome code is documented.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typeCheckFiles } from '../helpers/type-check.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/handling-notifications.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/handling-notifications.md', () => {
  it('has a complete Express example of at most 30 lines', () => {
    const express = blocks.find((b) => b.includes("from 'express'"));
    expect(express).toBeDefined();
    const lines = express!.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(30);
    expect(express).toContain('express.raw({ type: () => true');
    expect(express).toContain('createNotifyHandler');
    expect(express).toContain('findOrder');
    expect(express).toContain('onTrade');
    expect(express).toMatch(/res\.status\(reply\.status\)\.type\(reply\.contentType\)\.send\(reply\.body\)/);
  });

  it('README carries the same complete Express example', () => {
    const express = blocks.find((b) => b.includes("from 'express'"))!;
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(express);
  });

  it('documents every outcome and code', () => {
    const codes = [
      'processed', 'duplicate', 'in_progress', 'rejected', 'anomaly', 'error',
      'ORDER_NOT_FOUND', 'AMOUNT_MISMATCH', 'AMOUNT_MISSING', 'APP_ID_MISMATCH', 'SELLER_ID_MISMATCH',
      'UNSUPPORTED_NOTIFY_TYPE', 'COMPLETE_FAILED', 'VERIFY_THREW', 'FIND_ORDER_FAILED',
      'ORDER_AMOUNT_INVALID', 'ON_TRADE_FAILED', 'ON_NOTIFY_FAILED', 'STORE_FAILED', 'INTERNAL_ERROR',
    ];
    for (const code of codes) expect(doc).toContain(`\`${code}\``);
  });

  it('every ts block type-checks', () => {
    const dir = join(root, '.tmp/docs-snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = blocks.map((code, i) => {
      const file = join(dir, `snippet-${i}.ts`);
      writeFileSync(file, code);
      return file;
    });
    const diagnostics = typeCheckFiles(root, files, {
      // The package's entry points, as the published exports map them.
      'alipay-notify': [join(root, 'src/index.ts')],
      'alipay-notify/idempotency': [join(root, 'src/handler/idempotency/index.ts')],
    });
    rmSync(dir, { recursive: true, force: true });
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(7);
  }, 60_000);
});
