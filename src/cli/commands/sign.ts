import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action, collect, EXIT_OK, Output, type OutputOptions } from '../io.js';
import { collectParams, signWithOptions, TEMPLATE_NAMES, type ParamOptions, type SignOptions } from '../inputs.js';

interface SignCommandOptions extends OutputOptions, ParamOptions, SignOptions {
  out?: string;
}

/** Options shared by `sign` and `send`: where the params come from and how to sign them. */
export function addSigningOptions(command: Command): Command {
  return command
    .option('-k, --private-key <file>', 'TEST private key (PEM) playing Alipay, e.g. from `alipay-notify keygen`')
    .option('-t, --template <name>', `start from realistic params: ${TEMPLATE_NAMES.join(', ')}`)
    .option('--params <file>', 'JSON object of params (- for stdin); overrides the template')
    .option('-p, --param <key=value>', 'set one param (repeatable)', collect)
    .option('--unset <key>', 'remove a param (repeatable)', collect)
    .option('--sign-type <type>', 'RSA2 (SHA256withRSA, default) or RSA (SHA1withRSA)')
    .option('--charset <charset>', 'utf-8 (default) or gbk: bytes the body is encoded and signed in')
    .option('--signed-content <v>', 'v1 (default: sign_type not signed, trade notifications) or v2 (sign_type signed)')
    .option('--empty-values <mode>', 'skip (default, Java) or keep empty values in the signed string');
}

export function registerSign(program: Command): void {
  addSigningOptions(
    program
      .command('sign')
      .description('sign notification params like Alipay and print the form body it would POST'),
  )
    .option('-o, --out <file>', 'write the body to a file instead of stdout')
    .option('--json', 'print { body, params } as JSON')
    .option('--no-color', 'no ANSI colours')
    .addHelpText(
      'after',
      `
Examples:
  alipay-notify sign -k alipay-test-private.pem --template trade -p total_amount=0.01 > body.txt
  alipay-notify sign -k alipay-test-private.pem --params params.json --charset gbk
  echo '{"notify_type":"trade_status_sync","app_id":"2021..."}' | alipay-notify sign -k key.pem --params -`,
    )
    .action(action((options: SignCommandOptions) => sign(options)));
}

function sign(options: SignCommandOptions): number {
  const out = new Output(options);
  const signed = signWithOptions(collectParams(options), options);
  if (options.out !== undefined) writeFileSync(options.out, signed.body);
  if (out.json) out.data({ body: signed.body, params: signed.params, ...(options.out === undefined ? {} : { file: options.out }) });
  else if (options.out === undefined) out.line(signed.body);
  else out.line(`body written to ${options.out}`);
  return EXIT_OK;
}
