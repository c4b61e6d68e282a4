import { readFileSync } from 'node:fs';
import { setParam } from '../testing/params.js';

/** Exit codes: 0 valid / success, 1 invalid / not acknowledged, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or its inputs: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OutputOptions {
  json?: boolean;
  /** commander's `--no-color` sets color to false. */
  color?: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
type Style = keyof typeof CODES;

/** Colour only when stdout is a terminal, NO_COLOR is unset (or empty) and --no-color was not given. */
export function colorEnabled(options: OutputOptions): boolean {
  const noColor = process.env['NO_COLOR'];
  return options.color !== false && process.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

export class Output {
  readonly json: boolean;
  private readonly color: boolean;

  constructor(options: OutputOptions) {
    this.json = options.json === true;
    this.color = !this.json && colorEnabled(options);
  }

  style(text: string, ...styles: Style[]): string {
    if (!this.color || styles.length === 0) return text;
    return `\u001b[${styles.map((s) => CODES[s]).join(';')}m${text}\u001b[0m`;
  }

  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  /** Machine output: one JSON document on stdout. */
  data(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}

/** Reads a whole file, or stdin for `-`. */
export function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (cause) {
    const reason = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : 'unreadable';
    throw new UsageError(`cannot read ${what} ${file === '-' ? 'from stdin' : JSON.stringify(file)} (${reason})`);
  }
}

/**
 * The body to check: a file, or stdin when the file is `-` or omitted. Trailing line breaks
 * (from editors and `echo`) are dropped: Alipay never sends them, and the strict parser would
 * otherwise reject the last value.
 */
export function readBody(file: string | undefined): Buffer {
  if ((file === undefined || file === '-') && process.stdin.isTTY) {
    throw new UsageError('no body: give a file, or pipe the body on stdin (`... | alipay-notify verify -`)');
  }
  let bytes = readInput(file ?? '-', 'the body');
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  bytes = bytes.subarray(0, end);
  if (bytes.length === 0) throw new UsageError('the body is empty');
  return bytes;
}

/**
 * A body file may also be a JSON object of params (what a framework parsed): returned as a
 * string map, verified like the library's parsed-object input (as UTF-8 text).
 */
export function bodyOrParams(bytes: Buffer): Buffer | Record<string, string> {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b) return bytes; // not "{"
  return parseParamsJson(bytes.toString('utf8'), 'the body');
}

/** A JSON object whose values are all strings. */
export function parseParamsJson(text: string, what: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${what} must be a JSON object`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UsageError(`${what}: the value of ${JSON.stringify(key)} must be a string`);
    setParam(out, key, v);
  }
  return out;
}

/** commander helper: repeatable option values collected in a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Splits `a,b, c` lists. */
export function splitList(values: readonly string[] | string | undefined): string[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Wraps a command action that returns its exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => number | Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await fn(...args);
  };
}
