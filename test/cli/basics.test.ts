import { createPublicKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectParams } from '../../src/cli/inputs.js';
import { colorEnabled, Output } from '../../src/cli/io.js';
import { cli, expectNoKeyMaterial, tempDir, TEST_KEYS } from './helpers.js';

describe.concurrent('alipay-notify: help, version, usage errors', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['keygen', 'sign', 'verify', 'diagnose', 'send']) expect(r.stdout).toContain(command);
    expect(r.stdout).toMatch(/Exit codes: 0 valid/);
  });

  it('verify and diagnose have the same key options (one definition)', async () => {
    const options = (help: string) => help.split('\n').filter((l) => /^\s+(-k, )?--(alipay-public-key|alipay-cert|alipay-root-cert|sign-types|fixture) /.test(l));
    const [verify, diagnose] = await Promise.all([cli(['verify', '--help']), cli(['diagnose', '--help'])]);
    expect(options(verify.stdout)).toHaveLength(5);
    expect(options(diagnose.stdout)).toEqual(options(verify.stdout));
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it.each([
    [[], /Usage: alipay-notify/],
    [['nope'], /unknown command 'nope'/],
    [['verify', '--bogus'], /unknown option '--bogus'/],
    [['verify', 'does-not-exist.txt', '-k', TEST_KEYS.alipayPublic], /cannot read the body "does-not-exist.txt" \(ENOENT\)/],
    [['verify', '--fixture', 'payment-utf8-rsa2', '--sign-types', 'MD5'], /unknown sign type "MD5"/],
    [['verify', '--fixture', 'no-such-fixture'], /No fixture named "no-such-fixture"/],
    [['verify', 'body.txt', '--fixture', 'no-such-fixture'], /give either a body file or --fixture, not both/],
    [['diagnose', 'body.txt', '--fixture', 'no-such-fixture'], /give either a body file or --fixture, not both/],
    [['diagnose', '--fixture', 'no-such-fixture'], /No fixture named "no-such-fixture"/],
    [['send', 'http://127.0.0.1:9/', '--body', 'body.txt', '--fixture', 'no-such-fixture'], /give one of --body, --fixture or --private-key/],
    [['send', 'http://127.0.0.1:9/', '--fixture', 'no-such-fixture'], /No fixture named "no-such-fixture"/],
    [['verify', '-'], /no key: give --alipay-public-key/],
    [['sign', '-k', TEST_KEYS.alipayPrivate], /no params/],
    [['sign', '-k', TEST_KEYS.alipayPublic, '--template', 'trade'], /is not a PEM private key/],
    [['sign', '-k', TEST_KEYS.alipayPrivate, '--template', 'nope'], /unknown template "nope"/],
    [['sign', '-k', TEST_KEYS.alipayPrivate, '--template', 'constructor'], /unknown template "constructor"/],
    [['sign', '-k', TEST_KEYS.alipayPrivate, '-p', 'novalue'], /--param needs key=value/],
    [['send', 'not a url', '--fixture', 'payment-utf8-rsa2'], /is not a URL/],
    [['send', 'http://127.0.0.1:9/', '--fixture', 'payment-utf8-rsa2', '--retries', '9'], /--retries takes a count from 0 to 7/],
    [['diagnose', '-'], /no key: give --alipay-public-key/],
    [['diagnose', '--fixture', 'payment-utf8-rsa2', '--alipay-root-cert', 'root.crt'], /--alipay-root-cert checks the chain of --alipay-cert/],
  ])('%j exits 2 with a message', async (args, message) => {
    const r = await cli(args, { input: 'a=b' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/✔/);
  });

  it('verify and diagnose replay a fixture with its signTypes (payment-rsa-sha1 allows RSA) unless --sign-types is given', async () => {
    const [verify, diagnose, narrowed] = await Promise.all([
      cli(['verify', '--fixture', 'payment-rsa-sha1', '--json']),
      cli(['diagnose', '--fixture', 'payment-rsa-sha1', '--json']),
      cli(['diagnose', '--fixture', 'payment-rsa-sha1', '--sign-types', 'RSA2', '--json']),
    ]);
    expect([verify.code, diagnose.code, narrowed.code]).toEqual([0, 0, 1]);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, signType: 'RSA' });
    expect(JSON.parse(diagnose.stdout)).toMatchObject({ valid: true, initial: { signType: 'RSA' } });
    expect(JSON.parse(narrowed.stdout)).toMatchObject({ valid: false, cause: 'sign-type-not-allowed' });
  });

  it('verify with a private key as the Alipay key is a usage error that points to diagnose', async () => {
    const r = await cli(['verify', '--fixture', 'payment-utf8-rsa2', '-k', TEST_KEYS.alipayPrivate]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a private key.*diagnose/);
    expectNoKeyMaterial(r, [TEST_KEYS.alipayPrivate]);
  });
});

describe.concurrent('keygen', () => {
  it('writes a TEST key pair to files (private mode 600) and prints only paths', async () => {
    const dir = tempDir();
    const r = await cli(['keygen', '-o', dir, '--name', 'shop']);
    expect(r.code).toBe(0);
    const priv = join(dir, 'shop-private.pem');
    const pub = join(dir, 'shop-public.pem');
    expect(readFileSync(priv, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(pub, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(priv);
    expect(r.stdout).toMatch(/never use them in production/);
    expectNoKeyMaterial(r, [priv, pub]);
  });

  it('--json gives the file names; refuses to overwrite without --force, overwrites with it', async () => {
    const dir = tempDir();
    const r = await cli(['keygen', '-o', dir, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      privateKeyFile: join(dir, 'alipay-test-private.pem'),
      publicKeyFile: join(dir, 'alipay-test-public.pem'),
      bits: 2048,
      test: true,
    });
    const again = await cli(['keygen', '-o', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists \(use --force to overwrite\)/);
    const before = readFileSync(join(dir, 'alipay-test-private.pem'), 'utf8');
    expect((await cli(['keygen', '-o', dir, '--force', '--bits', '1024'])).code).toBe(0);
    expect(readFileSync(join(dir, 'alipay-test-private.pem'), 'utf8')).not.toBe(before);
    expect(createPublicKey(readFileSync(join(dir, 'alipay-test-public.pem'))).asymmetricKeyDetails?.modulusLength).toBe(1024);
  });
});

describe('colour', () => {
  const isTTY = process.stdout.isTTY;
  afterEach(() => {
    process.stdout.isTTY = isTTY;
    vi.unstubAllEnvs();
  });

  it('only on a TTY, without NO_COLOR, without --no-color, never with --json', () => {
    process.stdout.isTTY = true;
    vi.stubEnv('NO_COLOR', '');
    expect(colorEnabled({})).toBe(true);
    expect(new Output({}).style('x', 'red')).toBe('\u001b[31mx\u001b[0m');
    expect(new Output({ json: true }).style('x', 'red')).toBe('x');
    expect(colorEnabled({ color: false })).toBe(false);
    vi.stubEnv('NO_COLOR', '1');
    expect(colorEnabled({})).toBe(false);
    vi.stubEnv('NO_COLOR', '');
    process.stdout.isTTY = false;
    expect(colorEnabled({})).toBe(false);
  });

  it('a child process writing to a pipe prints no escape codes', async () => {
    const r = await cli(['verify', '--fixture', 'payment-utf8-rsa2']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b[');
  });
});

describe('params from the command line (in process)', () => {
  it('--params, --param and --unset apply in that order, names like __proto__ stay plain params', () => {
    const dir = tempDir();
    const file = join(dir, 'params.json');
    writeFileSync(file, '{"__proto__":"p","b":"1","c":"2"}');
    const params = collectParams({ params: file, param: ['constructor=k', 'b=3', 'd=4'], unset: ['c'] });
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.entries(params)).toEqual([['__proto__', 'p'], ['b', '3'], ['constructor', 'k'], ['d', '4']]);
    const templated = collectParams({ template: 'trade', param: ['__proto__=x', 'subject=S'], unset: ['body'] });
    expect(Object.hasOwn(templated, '__proto__') && templated['__proto__']).toBe('x');
    expect(templated['subject']).toBe('S');
    expect('body' in templated).toBe(false);
  });
});
