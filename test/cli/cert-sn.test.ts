import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCertSn, type CertSnFunctions } from '../../src/cli/commands/cert-sn.js';
import { UsageError } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { cli, ROOT, tempDir } from './helpers.js';

/**
 * cert-sn is injected with the SN functions of certificate mode, so it is tested in process
 * with stand-ins that record what they were given (and below with the real ones).
 */
const dir = tempDir('alipay-notify-certsn-');
const files = {
  app: join(dir, 'appCertPublicKey.crt'),
  alipay: join(dir, 'alipayCertPublicKey_RSA2.crt'),
  root: join(dir, 'alipayRootCert.crt'),
};
writeFileSync(files.app, 'APP CERT PEM');
writeFileSync(files.alipay, 'ALIPAY CERT PEM');
writeFileSync(files.root, 'ROOT BUNDLE PEM');

const fakes: CertSnFunctions = {
  getCertSn: (pem) => (pem === 'APP CERT PEM' ? '866efef280dec9137a87d047ac446315' : '7513daaaa48aa3ba2e4018d84402479c'),
  getRootCertSn: () => '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
};

async function run(args: string[], sn: CertSnFunctions = fakes): Promise<string> {
  const program = new Command('alipay-notify').exitOverride();
  registerCertSn(program, sn);
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

describe('cert-sn (injected SN functions)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints app_cert_sn, alipay_cert_sn and alipay_root_cert_sn for the given files', async () => {
    const out = await run(['--app-cert', files.app, '--alipay-cert', files.alipay, '--root-cert', files.root, '--no-color']);
    expect(out).toBe(
      'app_cert_sn=866efef280dec9137a87d047ac446315\n' +
        'alipay_cert_sn=7513daaaa48aa3ba2e4018d84402479c\n' +
        'alipay_root_cert_sn=687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6\n',
    );
    expect(process.exitCode).toBe(0);
  });

  it('--json gives only the requested SNs', async () => {
    expect(JSON.parse(await run(['--root-cert', files.root, '--json']))).toEqual({
      alipay_root_cert_sn: '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
    });
  });

  it('is a usage error without files, or when the SN function rejects the file', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    const failing: CertSnFunctions = {
      getCertSn: () => {
        throw new Error('not a certificate');
      },
      getRootCertSn: () => '',
    };
    await expect(run(['--app-cert', files.app], failing)).rejects.toThrow(/appCertPublicKey.crt.*not a certificate/);
  });

  it('is registered in the default program', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual(['keygen', 'sign', 'verify', 'diagnose', 'send', 'cert-sn']);
  });
});

describe('cert-sn (the real CLI, the real Alipay certificates)', () => {
  it('prints app_cert_sn, alipay_cert_sn and alipay_root_cert_sn exactly as Alipay computes them', async () => {
    const certs = join(ROOT, 'fixtures', 'real', 'certs');
    const expected = JSON.parse(readFileSync(join(certs, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const result = await cli([
      'cert-sn',
      '--app-cert', join(certs, 'appCertPublicKey_2021001161683774.crt'),
      '--alipay-cert', join(certs, 'alipayCertPublicKey_RSA2.crt'),
      '--root-cert', join(certs, 'alipayRootCert.crt'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, string>;
    expect(json['app_cert_sn']).toBe(expected['appCertSn']);
    expect(json['alipay_cert_sn']).toBe(expected['alipayCertSn']);
    expect(json['alipay_root_cert_sn']).toBe(expected['rootCertSn']);
  });
});
