import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotifyBody } from '../../src/index.js';
import { fixturesDir, listFixtures, loadFixture } from '../../src/testing/index.js';
import { buildFixtures, checkFixture, fixtureFileText, readFixtureKeys } from '../../scripts/record-fixtures.js';

const names = listFixtures();

describe('fixture loader', () => {
  it('finds the package fixtures folder from src/testing', () => {
    expect(fixturesDir()).toBe(join(process.cwd(), 'fixtures', 'notifications'));
  });

  it('lists the recorded notifications, sorted, covering the required families', () => {
    expect(names).toEqual([...names].sort());
    for (const name of [
      'payment-utf8-rsa2',
      'refund-partial',
      'refund-full-closed',
      'close-unpaid',
      'payment-gbk',
      'payment-rsa-sha1',
      'message-service-transfer-changed',
      'empty-value-skipped',
      'negative-tampered-amount',
      'negative-wrong-key',
      'negative-duplicate-param',
      'real-trade-status-sync-v1',
      'real-servicemarket-order-notify-v2',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('loads a fixture with its key, options and expectation', () => {
    const f = loadFixture('payment-gbk');
    expect(f.name).toBe('payment-gbk');
    expect(f.rawBody).toMatch(/charset=gbk/);
    expect(f.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(f.keyNote).toMatch(/^TEST KEY ONLY/);
    expect(f.expected.ok).toBe(true);
  });

  it('refuses unknown names, path tricks and malformed files', () => {
    expect(() => loadFixture('nope')).toThrow(/No fixture named "nope".*payment-utf8-rsa2/);
    expect(() => loadFixture('../keys/README')).toThrow(/Invalid fixture name/);
    const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', rawBody: 'a=b' }));
    expect(listFixtures({ dir })).toEqual(['bad']);
    expect(() => loadFixture('bad', { dir })).toThrow(/description must be a non-empty string/);
  });
});

describe('every fixture gives its expected outcome', () => {
  it.each(names)('%s', async (name) => {
    const fixture = loadFixture(name);
    expect(await checkFixture(fixture)).toEqual([]);
  });
});

describe('fixtures stay reproducible and honest', () => {
  it('scripts/record-fixtures.ts re-creates every file byte for byte from fixtures/keys and fixtures/real', () => {
    const built = buildFixtures(readFixtureKeys());
    expect(built.map((f) => f.name)).toEqual(names);
    for (const fixture of built) {
      expect(fixtureFileText(fixture)).toBe(readFileSync(join(fixturesDir(), `${fixture.name}.json`), 'utf8'));
    }
  });

  it('real fixtures carry exactly the params Alipay signed (fixtures/real)', () => {
    for (const [name, file] of [
      ['real-trade-status-sync-v1', 'trade-status-sync.v1.json'],
      ['real-servicemarket-order-notify-v2', 'servicemarket-order-notify.v2.json'],
    ] as const) {
      const real = JSON.parse(readFileSync(join('fixtures', 'real', file), 'utf8')) as { params: Record<string, string>; alipayPublicKey: string };
      const parsed = parseNotifyBody(loadFixture(name).rawBody);
      if (!parsed.ok) throw parsed.error;
      expect(Object.fromEntries(parsed.body.params.map((p) => [p.key, p.value]))).toEqual(real.params);
      expect(loadFixture(name).publicKey).toBe(real.alipayPublicKey);
      expect(loadFixture(name).keyNote).not.toMatch(/TEST KEY/);
    }
  });

  it('synthetic fixtures use the TEST key and say so', () => {
    const testKey = readFixtureKeys().alipay.publicKey;
    for (const name of names.filter((n) => !n.startsWith('real-'))) {
      const f = loadFixture(name);
      expect(f.provenance).toMatch(/^synthetic: /);
      expect(f.publicKey).toBe(testKey);
      expect(f.keyNote).toMatch(/^TEST KEY ONLY/);
    }
  });

  it('the keys folder is marked as test keys', () => {
    expect(readFileSync(join('fixtures', 'keys', 'README.md'), 'utf8')).toMatch(/TEST KEYS ONLY — not secret, never use in production/);
  });
});
