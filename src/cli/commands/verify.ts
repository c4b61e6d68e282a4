import type { Command } from 'commander';
import { createVerifier, type NotifyBody, type VerifierOptions } from '../../index.js';
import { action, collect, EXIT_INVALID, EXIT_OK, Output, splitList, UsageError, type OutputOptions } from '../io.js';
import { addKeyOptions, notificationInput, type KeyOptions } from '../inputs.js';
import { failureJson, signStringOf, successJson, summaryLines } from '../summary.js';

interface VerifyOptions extends OutputOptions, KeyOptions {
  appId?: string[];
  sellerId?: string[];
  showSignString?: boolean;
}

interface VerifyInput {
  body: NotifyBody;
  options: VerifierOptions;
}

/** Body + verifier options from the command line (or a fixture). */
function verifyInput(file: string | undefined, options: VerifyOptions): VerifyInput {
  const { body, keys, certs, rootCert, signTypes, fixtureOptions } = notificationInput(file, options);
  // Certificates go to the library as certificates: it refuses app and root certificates,
  // checks the dates and picks the certificate by alipay_cert_sn.
  const verifierOptions: VerifierOptions = {
    ...fixtureOptions,
    ...(keys.length > 0 ? { alipayPublicKey: keys.map((k) => k.input) } : {}),
    ...(certs.length > 0 ? { alipayPublicCert: certs.map((c) => c.input) } : {}),
    ...(rootCert !== undefined ? { alipayRootCert: rootCert } : {}),
    signTypes,
  };
  const appIds = splitList(options.appId);
  if (appIds.length > 0) verifierOptions.appId = appIds;
  const sellerIds = splitList(options.sellerId);
  if (sellerIds.length > 0) verifierOptions.sellerId = sellerIds;
  return { body, options: verifierOptions };
}

export function registerVerify(program: Command): void {
  addKeyOptions(
    program
      .command('verify')
      .argument('[file]', 'the raw body as received (or a JSON object of params); - or omitted: stdin')
      .description('verify a notification body: verdict, typed summary, and the error code and hint on failure'),
  )
    .option('--app-id <id>', 'expected app_id (repeatable)', collect)
    .option('--seller-id <id>', 'expected seller_id (repeatable)', collect)
    .option('--show-sign-string', 'print the string the signature was checked against')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no ANSI colours')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid, 1 invalid, 2 usage error.
Examples:
  alipay-notify verify body.txt --alipay-public-key alipay-public.pem
  pbpaste | alipay-notify verify - -k alipay-public.pem --sign-types RSA2,RSA --json
  alipay-notify verify --fixture real-trade-status-sync-v1`,
    )
    .action(action((file: string | undefined, options: VerifyOptions) => verify(file, options)));
}

async function verify(file: string | undefined, options: VerifyOptions): Promise<number> {
  const out = new Output(options);
  const input = verifyInput(file, options);
  let verifier;
  try {
    verifier = createVerifier(input.options);
  } catch (cause) {
    throw new UsageError(`${cause instanceof Error ? cause.message : String(cause)} (run \`alipay-notify diagnose\` to check the key)`);
  }
  const result = await verifier.verify(input.body);
  if (out.json) {
    const data = result.ok ? successJson(result) : failureJson(result);
    if (options.showSignString) data['signString'] = signStringOf(input.body, result) ?? null;
    out.data(data);
    return result.ok ? EXIT_OK : EXIT_INVALID;
  }
  if (result.ok) {
    const kind = result.notify.kind === undefined ? '' : ` (${result.notify.kind})`;
    out.line(`${out.style('✔ valid', 'green', 'bold')}  ${result.notify.type}${kind}  ${result.signType} ${result.signedContent}  key #${result.key.index}${result.key.certSn ? ` cert ${result.key.certSn}` : ''}`);
    const lines = summaryLines(result.notify);
    const width = Math.max(...lines.map(([k]) => k.length));
    for (const [label, value] of lines) out.line(`  ${out.style(label.padEnd(width), 'gray')}  ${value}`);
  } else {
    const e = result.error;
    out.line(`${out.style('✘ invalid', 'red', 'bold')}  ${out.style(e.code, 'bold')}${e.param === undefined ? '' : ` (${e.param})`}`);
    out.line(`  ${e.message}`);
    out.line(`  ${out.style('hint:', 'yellow')} ${e.hint}`);
    out.line(out.style('  Run `alipay-notify diagnose` with the same arguments to find out why.', 'gray'));
  }
  if (options.showSignString) {
    const text = signStringOf(input.body, result);
    out.line(`${out.style('sign string', 'gray')} ${text ?? '(the body does not parse)'}`);
  }
  return result.ok ? EXIT_OK : EXIT_INVALID;
}
