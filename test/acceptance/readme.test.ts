/*
 * README acceptance items of issues #2, #3, #5, #6 and #7 that no other test checked. They are
 * checked against the code, not against fixed wording: codes against NOTIFY_ERROR_CODES, named
 * functions against the real exports, the examples against the files test/examples runs over HTTP.
 * (#4's "Handling notifications" section and its Express example: test/handler/docs.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import { NOTIFY_ERROR_CODES, type NotifyErrorCode } from '../../src/index.js';
import * as testing from '../../src/testing/index.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');
const changelog = read('CHANGELOG.md');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; exports: Record<string, unknown> };

/** The text of the `## title` section (up to the next `## `), or a failed expectation. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}`);
  expect(start, `README has no "## ${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Rows of the first Markdown table in `text`, as trimmed cells (header and rule dropped). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((line) => line.startsWith('|'));
  return lines.slice(2).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

/** The issue #2 codes (the CERT_* codes came with #3). */
const CORE_CODES: NotifyErrorCode[] = [
  'BODY_EMPTY', 'BODY_TOO_LARGE', 'BODY_MALFORMED', 'DUPLICATE_PARAM', 'CHARSET_UNSUPPORTED', 'SIGN_MISSING', 'SIGN_MALFORMED',
  'SIGN_TYPE_NOT_ALLOWED', 'KEY_NOT_FOUND', 'SIGNATURE_INVALID', 'APP_ID_MISMATCH', 'SELLER_ID_MISMATCH', 'FIELD_INVALID',
];

describe('#2 README: quick start, raw-body warning, examples, error codes, FAQ', () => {
  it('Quick start has exactly two commands: the demo and the tests, both real scripts', () => {
    const commands = /```sh\n([\s\S]*?)```/.exec(section('Quick start'))![1]!.trim().split('\n');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^npm ci && npm run demo\b/);
    expect(commands[1]).toMatch(/^npm ci && npm test\b/);
    expect(pkg.scripts['demo']).toBeTruthy();
    expect(pkg.scripts['test']).toBe('vitest run');
    const ci = read('.ci/run');
    for (const step of ['npm test', 'npm run typecheck', 'npm run lint', 'npm run build']) expect(ci).toContain(step);
  });

  it('the raw-body warning comes first, before any section, with Alipay\'s malformed Content-Type', () => {
    const intro = readme.slice(0, readme.indexOf('\n## '));
    expect(intro).toMatch(/Pass the raw body/);
    expect(intro).toContain('application/x-www-form-urlencoded; text/html; charset=UTF-8');
  });

  it.each([
    ['Express', 'examples/express-verify.ts'],
    ['Web `Request`', 'examples/web-verify.ts'],
  ])('the minimal %s example is the file test/examples runs (%s)', (_name, file) => {
    const block = new RegExp(`\`\`\`ts\\n// ${file.replace('.', '\\.')}[^\\n]*\\n([\\s\\S]*?)\`\`\``).exec(readme);
    expect(block, `no README block headed "// ${file}"`).not.toBeNull();
    expect(block![1]!.split('\n').length).toBeGreaterThan(8);
    expect(read(file)).toContain(block![1]!);
  });

  it('the error codes table has a row with its "when" for every code of #2', () => {
    const rows = new Map(tableRows(section('Error codes')).map(([code, when, hint]) => [code!.replace(/`/g, ''), { when, hint }]));
    for (const code of CORE_CODES) {
      expect(rows.get(code), `${code} missing from the README table`).toBeDefined();
      expect(rows.get(code)!.when!.length, code).toBeGreaterThan(5);
    }
    for (const code of rows.keys()) expect(NOTIFY_ERROR_CODES).toContain(code);
    // Every code of the library has a row and an actual hint (not a placeholder).
    for (const code of NOTIFY_ERROR_CODES) {
      expect(rows.get(code), `${code} missing from the README table`).toBeDefined();
      expect(rows.get(code)!.hint, code).toMatch(/\w{3}/);
    }
    // The hints the issue names are there.
    expect(rows.get('SIGNATURE_INVALID')!.hint).toMatch(/应用公钥.*支付宝公钥/);
    expect(rows.get('BODY_EMPTY')!.hint).toMatch(/Content-Type/);
  });

  it('the "why verification failed" FAQ starts with 应用公钥 vs 支付宝公钥', () => {
    const faq = section('Why verification failed');
    const first = faq.slice(faq.indexOf('\n1. '), faq.indexOf('\n2. '));
    expect(first).toContain('应用公钥');
    expect(first).toContain('支付宝公钥');
  });
});

describe('#3 README and CHANGELOG: keys and certificates', () => {
  it('"Keys and certificates" shows the public key, multi-app and certificate setups and the SN helpers, all real exports', () => {
    const text = section('Keys and certificates');
    for (const name of ['alipayPublicKey', 'keysByApp', 'alipayPublicCert', 'alipayRootCert', 'getCertSn', 'getRootCertSn']) expect(text).toContain(name);
    for (const fn of ['keysByApp', 'getCertSn', 'getRootCertSn'] as const) expect(typeof root[fn]).toBe('function');
  });

  it('CHANGELOG names keysByApp, the SN helpers and the CERT_* codes', () => {
    for (const word of ['keysByApp', 'getCertSn', 'getRootCertSn', 'CERT_INVALID', 'CERT_EXPIRED', 'CERT_UNTRUSTED']) expect(changelog).toContain(word);
  });
});

describe('#5 README and CHANGELOG: testing kit and CLI', () => {
  it('"Testing your handler" uses real exports of alipay-notify/testing', () => {
    const text = section('Testing your handler');
    const imported = /import \{([^}]*)\} from 'alipay-notify\/testing'/.exec(text)![1]!.split(',').map((s) => s.trim());
    expect(imported.length).toBeGreaterThanOrEqual(3);
    for (const name of imported) expect(typeof (testing as Record<string, unknown>)[name], name).toBe('function');
    expect(text).toContain('loadFixture');
  });

  it('"CLI" has a copy-paste line for every command; CHANGELOG lists them', () => {
    const lines = /```sh\n([\s\S]*?)```/.exec(section('CLI'))![1]!;
    for (const command of ['keygen', 'sign', 'verify', 'diagnose', 'send', 'cert-sn']) {
      expect(lines).toMatch(new RegExp(`^npx alipay-notify ${command} `, 'm'));
      expect(changelog).toContain(`\`${command}\``);
    }
  });
});

describe('#6 README: one short example per framework, the raw-body pitfall', () => {
  it('"Frameworks" imports each adapter subpath that package.json exports', () => {
    const text = section('Frameworks');
    for (const sub of ['express', 'koa', 'fastify', 'web']) {
      expect(text).toContain(`from 'alipay-notify/${sub}'`);
      expect(pkg.exports).toHaveProperty([`./${sub}`]);
    }
    expect(text).toMatch(/raw body/);
  });
});

describe('#7 README: Security', () => {
  it('the attack table gives each attack of the issue a real error code', () => {
    const rows = tableRows(section('Security'));
    const codes = rows.flatMap(([, code]) => [...code!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));
    for (const code of codes) expect(NOTIFY_ERROR_CODES).toContain(code);
    const attacks = rows.map(([attack]) => attack).join('\n');
    for (const attack of ['duplicate key', 'downgrade', 'lower-case', 'lone `%`', 'NUL', 'invalid UTF-8', '`+` in `sign`', 'replay', 'another app', "app's own key", '`__proto__`', '`a[b]`', 'overlong', '256 parameters']) {
      expect(attacks).toContain(attack);
    }
  });

  it('names the threat model, how it is tested, and the merchant\'s remaining duties', () => {
    const text = section('Security');
    expect(text).toMatch(/anyone can POST/);
    for (const how of ['test/adversarial/', 'npm run fuzz', 'alipay-sdk', 'bench:resource']) expect(text).toContain(how);
    const duties = text.slice(text.indexOf('What stays your job'));
    for (const duty of ['total_amount', 'app_id', 'once']) expect(duties).toContain(duty);
  });
});
