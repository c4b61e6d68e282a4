import type { Command } from 'commander';
import { diagnose, type Check } from '../diagnose/engine.js';
import { action, collect, EXIT_INVALID, EXIT_OK, Output, splitList, type OutputOptions } from '../io.js';
import { addKeyOptions, keyFiles, notificationInput, type KeyOptions } from '../inputs.js';

interface DiagnoseOptions extends OutputOptions, KeyOptions {
  appPublicKey?: string[];
  privateKey?: string[];
  query?: string[];
  showSignString?: boolean;
}

export function registerDiagnose(program: Command): void {
  addKeyOptions(
    program
      .command('diagnose')
      .argument('[file]', 'the raw body that fails (or a JSON object of params); - or omitted: stdin')
      .description('find out why a notification does not verify: tries the known failure modes and names the one that explains it'),
  )
    .option('--app-public-key <file>', 'your app public key (应用公钥), to detect it being used as the Alipay key', collect)
    .option('--private-key <file>', 'your app private key: only its public half is compared, nothing is printed', collect)
    .option('--query <keys>', 'parameter names that came from the query string or route (comma list, repeatable)', collect)
    .option('--show-sign-string', 'print the sign string built from the body (and from the fixed body)')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no ANSI colours')
    .addHelpText(
      'after',
      `
Failure modes tried (protocol pitfalls): app public key or a private key instead of the Alipay
public key (P1), broken key formatting (P13), sign_type not allowed / wrong algorithm (P5),
v1 vs v2 and a removed sign_type (P6), "+" turned into space in sign (P2), double URL-decoding
(P3), extra query/route parameters merged in (P4), HTML-escaped JSON (P8), GBK re-encoded as
UTF-8 (P7), empty values rendered as null (P10), line breaks/BOM from logs (P16).
Key material is never printed.

Exit codes: 0 the body verifies, 1 it does not (explained or not), 2 usage error.
Examples:
  alipay-notify diagnose body.txt -k alipay-public.pem --private-key app-private.pem
  alipay-notify diagnose body.txt -k alipay-public.pem --query s,token --show-sign-string`,
    )
    .action(action((file: string | undefined, options: DiagnoseOptions) => run(file, options)));
}

async function run(file: string | undefined, options: DiagnoseOptions): Promise<number> {
  const out = new Output(options);
  const { body, keys, certs, rootCert, signTypes } = notificationInput(file, options);
  const report = await diagnose({
    body,
    alipayKeys: keys,
    alipayCerts: certs,
    ...(rootCert !== undefined ? { alipayRootCert: rootCert } : {}),
    appPublicKeys: keyFiles(options.appPublicKey, 'the app public key'),
    appPrivateKeys: keyFiles(options.privateKey, 'the app private key'),
    queryKeys: splitList(options.query),
    signTypes,
  });

  if (out.json) {
    out.data({
      valid: report.valid,
      initial: report.initial,
      cause: report.causes[0]?.id ?? null,
      causes: report.causes.map((c) => strip(c, options.showSignString === true)),
      checks: report.checks.map((c) => strip(c, options.showSignString === true)),
      conclusion: report.conclusion,
      ...(options.showSignString && report.signString !== undefined ? { signString: report.signString } : {}),
    });
    return report.valid ? EXIT_OK : EXIT_INVALID;
  }

  const i = report.initial;
  out.line(
    i.ok
      ? `${out.style('✔ verifies', 'green', 'bold')} as given (${i.signType}, ${i.signedContent})`
      : `${out.style('✘ does not verify', 'red', 'bold')} as given: ${out.style(i.code, 'bold')} — ${i.message}`,
  );
  if (options.showSignString) out.line(`${out.style('sign string (as received)', 'gray')} ${report.signString ?? '(the body does not parse)'}`);
  out.line();
  for (const [n, cause] of report.causes.entries()) {
    out.line(`${out.style(n === 0 ? 'Cause' : 'Also explains it', 'bold', n === 0 ? 'red' : 'yellow')}: ${cause.title} ${out.style(`(${cause.pitfall})`, 'gray')}`);
    out.line(`  ${cause.detail}`);
    if (cause.fix) out.line(`  ${out.style('fix:', 'green')} ${cause.fix}`);
    if (options.showSignString && cause.signString) out.line(`  ${out.style('sign string after the fix:', 'gray')} ${cause.signString}`);
    out.line();
  }
  out.line(report.conclusion);
  out.line();
  out.line(out.style('Checked:', 'bold'));
  for (const check of report.checks) out.line(`  ${mark(out, check)} ${check.title} ${out.style(`(${check.pitfall})`, 'gray')}${check.status === 'explains' ? '' : out.style(` — ${check.detail}`, 'gray')}`);
  return report.valid ? EXIT_OK : EXIT_INVALID;
}

function mark(out: Output, check: Check): string {
  switch (check.status) {
    case 'explains':
      return out.style('✘ explains it', 'red');
    case 'ruled-out':
      return out.style('✔ ruled out  ', 'green');
    case 'note':
      return out.style('• note       ', 'yellow');
    default:
      return out.style('– n/a        ', 'gray');
  }
}

function strip(check: Check, withSignString: boolean): Check {
  if (withSignString || check.signString === undefined) return check;
  const { signString: _omit, ...rest } = check;
  return rest;
}
