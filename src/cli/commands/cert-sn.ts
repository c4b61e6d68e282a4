import type { Command } from 'commander';
import { action, EXIT_OK, Output, UsageError, type OutputOptions } from '../io.js';
import { getCertSn, getRootCertSn } from '../../keys/index.js';
import { readKeyText } from '../inputs.js';

interface CertSnOptions extends OutputOptions {
  appCert?: string;
  alipayCert?: string;
  rootCert?: string;
}

/**
 * Registers `cert-sn`: the SNs of certificate mode, computed by src/keys like Alipay does
 *   getCertSn(pem)     -> md5(issuer DN in reverse RDN order + serial in decimal), 32 hex chars
 *   getRootCertSn(pem) -> the SNs of the RSA-signed certificates of the bundle, joined by "_"
 */
export function registerCertSn(program: Command): Command {
  return program
    .command('cert-sn')
    .description('print app_cert_sn / alipay_cert_sn / alipay_root_cert_sn for certificate files (公钥证书模式)')
    .option('--app-cert <file>', 'appCertPublicKey_<appid>.crt')
    .option('--alipay-cert <file>', 'alipayCertPublicKey_RSA2.crt')
    .option('--root-cert <file>', 'alipayRootCert.crt (the bundle)')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no ANSI colours')
    .action(action((options: CertSnOptions) => certSn(options)));
}

function compute(fn: (pem: string) => string, file: string, what: string): string {
  const text = readKeyText(file, what);
  try {
    return fn(text);
  } catch (cause) {
    throw new UsageError(`${JSON.stringify(file)}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

function certSn(options: CertSnOptions): number {
  const out = new Output(options);
  const result: Record<string, string> = {};
  if (options.appCert !== undefined) result['app_cert_sn'] = compute(getCertSn, options.appCert, 'the app certificate');
  if (options.alipayCert !== undefined) result['alipay_cert_sn'] = compute(getCertSn, options.alipayCert, 'the Alipay certificate');
  if (options.rootCert !== undefined) result['alipay_root_cert_sn'] = compute(getRootCertSn, options.rootCert, 'the root certificate bundle');
  if (Object.keys(result).length === 0) throw new UsageError('give at least one of --app-cert, --alipay-cert, --root-cert');
  if (out.json) out.data(result);
  else for (const [name, value] of Object.entries(result)) out.line(`${out.style(name, 'gray')}=${value}`);
  return EXIT_OK;
}
