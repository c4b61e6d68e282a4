import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { generateTestKeys } from '../../testing/index.js';
import { action, EXIT_OK, Output, UsageError, type OutputOptions } from '../io.js';

interface KeygenOptions extends OutputOptions {
  outDir: string;
  name: string;
  bits: string;
  force?: boolean;
}

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('write a TEST RSA key pair (PEM) to files: <name>-private.pem (mode 600) and <name>-public.pem')
    .option('-o, --out-dir <dir>', 'folder to write to', '.')
    .option('-n, --name <name>', 'file name prefix', 'alipay-test')
    .option('--bits <n>', 'modulus length', '2048')
    .option('-f, --force', 'overwrite existing files')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no ANSI colours')
    .addHelpText('after', '\nThe private key is a TEST key for signing notifications in tests: never use it in production.\nKey material is only written to the files, never printed.')
    .action(action((options: KeygenOptions) => keygen(options)));
}

function keygen(options: KeygenOptions): number {
  const out = new Output(options);
  const bits = Number(options.bits);
  if (!Number.isInteger(bits) || bits < 1024 || bits > 8192) throw new UsageError('--bits must be an integer between 1024 and 8192');
  if (!/^[\w.-]+$/.test(options.name)) throw new UsageError('--name may only contain letters, digits, ".", "_" and "-"');
  const dir = resolve(options.outDir);
  const privateKeyFile = join(dir, `${options.name}-private.pem`);
  const publicKeyFile = join(dir, `${options.name}-public.pem`);
  for (const file of [privateKeyFile, publicKeyFile]) {
    if (!options.force && existsSync(file)) throw new UsageError(`${file} exists (use --force to overwrite)`);
  }
  const pair = generateTestKeys({ modulusLength: bits });
  mkdirSync(dir, { recursive: true });
  writeFileSync(privateKeyFile, pair.privateKey, { mode: 0o600 });
  writeFileSync(publicKeyFile, pair.publicKey);
  if (out.json) {
    out.data({ privateKeyFile, publicKeyFile, bits, test: true });
  } else {
    out.line(`${out.style('TEST key pair', 'bold')} (RSA ${bits}) written:`);
    out.line(`  private  ${privateKeyFile}  ${out.style('(signs test notifications: alipay-notify sign --private-key ...)', 'gray')}`);
    out.line(`  public   ${publicKeyFile}  ${out.style('(configure it as alipayPublicKey in your tests)', 'gray')}`);
    out.line(out.style('Test keys only: never use them in production.', 'yellow'));
  }
  return EXIT_OK;
}
