import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCertSn } from '../../src/cli/commands/cert-sn.js';
import { UsageError } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { cli, ROOT, tempDir } from './helpers.js';

/** cert-sn in process (output format, usage errors) on Alipay's real certificates (fixtures/real/certs). */
const certs = join(ROOT, 'fixtures', 'real', 'certs');
const expected = JSON.parse(readFileSync(join(certs, 'expected.json'), 'utf8')) as Record<string, string>;
const files = {
  app: join(certs, 'appCertPublicKey_2021001161683774.crt'),
  alipay: join(certs, 'alipayCertPublicKey_RSA2.crt'),
  root: join(certs, 'alipayRootCert.crt'),
};

async function run(args: string[]): Promise<string> {
  const program = new Command('alipay-notify').exitOverride();
  registerCertSn(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'alipay-notify', 'cert-sn', ...args]);
  } finally {
    write.mockRestore();
  }
  return out;
}

describe('cert-sn (in process)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints app_cert_sn, alipay_cert_sn and alipay_root_cert_sn for the given files', async () => {
    const out = await run(['--app-cert', files.app, '--alipay-cert', files.alipay, '--root-cert', files.root, '--no-color']);
    expect(out).toBe(`app_cert_sn=${expected['appCertSn']}\nalipay_cert_sn=${expected['alipayCertSn']}\nalipay_root_cert_sn=${expected['rootCertSn']}\n`);
    expect(process.exitCode).toBe(0);
  });

  it('--json gives only the requested SNs', async () => {
    expect(JSON.parse(await run(['--root-cert', files.root, '--json']))).toEqual({ alipay_root_cert_sn: expected['rootCertSn'] });
  });

  it('is a usage error without files, or when the file is not a certificate', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    const notCert = join(tempDir('alipay-notify-certsn-'), 'appCertPublicKey.crt');
    writeFileSync(notCert, 'not a certificate');
    await expect(run(['--app-cert', notCert])).rejects.toThrow(UsageError);
    await expect(run(['--app-cert', notCert])).rejects.toThrow(/appCertPublicKey\.crt": /);
  });

  it('is registered in the default program', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual(['keygen', 'sign', 'verify', 'diagnose', 'send', 'cert-sn']);
  });
});

describe('cert-sn (the real CLI, the real Alipay certificates)', () => {
  it('prints app_cert_sn, alipay_cert_sn and alipay_root_cert_sn exactly as Alipay computes them', async () => {
    const result = await cli([
      'cert-sn',
      '--app-cert', files.app,
      '--alipay-cert', files.alipay,
      '--root-cert', files.root,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, string>;
    expect(json['app_cert_sn']).toBe(expected['appCertSn']);
    expect(json['alipay_cert_sn']).toBe(expected['alipayCertSn']);
    expect(json['alipay_root_cert_sn']).toBe(expected['rootCertSn']);
  });
});
