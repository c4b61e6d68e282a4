import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { registerCertSn } from './commands/cert-sn.js';
import { registerDiagnose } from './commands/diagnose.js';
import { registerKeygen } from './commands/keygen.js';
import { registerSend } from './commands/send.js';
import { registerSign } from './commands/sign.js';
import { registerVerify } from './commands/verify.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './io.js';

/** The `alipay-notify` command line. */
export function buildProgram(): Command {
  const program = new Command('alipay-notify')
    .description('Sign, verify, diagnose and send Alipay (支付宝) asynchronous notifications.')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerKeygen(program);
  registerSign(program);
  registerVerify(program);
  registerDiagnose(program);
  registerSend(program);
  registerCertSn(program);
  program.addHelpText(
    'after',
    '\nExit codes: 0 valid / acknowledged, 1 invalid / not acknowledged, 2 usage error.\nColour only on a terminal; NO_COLOR or --no-color turns it off. Key material is never printed.',
  );
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return EXIT_USAGE; // commander already printed the message
    }
    if (error instanceof UsageError) {
      process.stderr.write(`alipay-notify: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`alipay-notify: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}
