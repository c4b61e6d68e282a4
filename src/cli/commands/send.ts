import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Command } from 'commander';
import { action, EXIT_INVALID, EXIT_OK, Output, readBody, UsageError, type OutputOptions } from '../io.js';
import { collectParams, fixtureOption, signWithOptions, type ParamOptions, type SignOptions } from '../inputs.js';
import { addSigningOptions } from './sign.js';

/** Exactly what Alipay sends (protocol.md §0/§1), including its malformed Content-Type. */
export const ALIPAY_HEADERS = {
  'Content-Type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8',
  'User-Agent': 'Mozilla/4.0',
} as const;

/** Alipay's retry intervals after the first delivery (CN docs, protocol.md §5): 8 deliveries in ~25 h. */
const ALIPAY_RETRY_SCHEDULE = '4m,10m,10m,1h,2h,6h,15h';

interface SendOptions extends OutputOptions, ParamOptions, SignOptions {
  body?: string;
  fixture?: string;
  retries?: string | boolean;
  timeScale: string;
  schedule: string;
  timeout: string;
}

interface Delivery {
  attempt: number;
  /** Real-schedule delay before this attempt (0 for the first), and the compressed delay waited. */
  scheduledDelayMs: number;
  waitedMs: number;
  status?: number;
  /** The reply body (first 200 characters). */
  reply?: string;
  acknowledged: boolean;
  /** Why Alipay would not count it as acknowledged. */
  problem?: string;
}

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration ${JSON.stringify(text)} in --schedule (use e.g. 4m, 10m, 1h, 30s, 250ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** What Alipay would make of a reply: only HTTP 200 with the body exactly `success` stops the retries. */
function classifyReply(status: number, reply: string): string | undefined {
  if (status === 200 && reply === 'success') return undefined;
  if (status >= 300 && status < 400) return `HTTP ${status} redirect: Alipay does not follow redirects; answer the notify_url itself`;
  if (status !== 200) return `HTTP ${status}: Alipay needs status 200`;
  const bare = reply.replace(/^\ufeff/, '');
  if (bare.trim() === 'success') {
    return reply.startsWith('\ufeff')
      ? 'the reply starts with a BOM: print exactly the 7 bytes "success"'
      : `the reply has whitespace around "success" (${JSON.stringify(reply)}): print exactly "success", no newline`;
  }
  if (bare.trim().toLowerCase() === 'success') return `the reply is ${JSON.stringify(reply)}: it must be lower-case "success"`;
  if (/^\s*</.test(reply)) return 'the reply is HTML (an error page or a template): print only "success"';
  if (reply === '') return 'the reply is empty: print "success"';
  return `the reply is ${JSON.stringify(reply.slice(0, 40))}, not "success": Alipay will retry`;
}

type PostResult = { status: number; reply: string } | { error: string };

/** One attempt's record: acknowledged only by an exact "success" reply (classifyReply). */
function deliveryOf(attempt: number, scheduledDelayMs: number, waitedMs: number, result: PostResult): Delivery {
  if ('error' in result) return { attempt, scheduledDelayMs, waitedMs, acknowledged: false, problem: `no reply: ${result.error}` };
  const problem = classifyReply(result.status, result.reply);
  return {
    attempt,
    scheduledDelayMs,
    waitedMs,
    status: result.status,
    reply: result.reply.slice(0, 200),
    acknowledged: problem === undefined,
    ...(problem === undefined ? {} : { problem }),
  };
}

function post(url: URL, body: Buffer, timeoutMs: number): Promise<PostResult> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...ALIPAY_HEADERS, 'Content-Length': String(body.length) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reply: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(body);
  });
}

export function registerSend(program: Command): void {
  addSigningOptions(
    program
      .command('send')
      .argument('<url>', 'your notify_url (e.g. http://127.0.0.1:3000/alipay/notify)')
      .description('sign a notification and POST it to your endpoint exactly as Alipay does; report whether it answered exactly "success"'),
  )
    .option('--body <file>', 'send this body as is instead of signing params (- for stdin)')
    .option('--fixture <name>', 'send a recorded notification from the package fixtures')
    .option('--retries [count]', 'replay the retry schedule until the endpoint answers "success" (up to 7 retries)')
    .option('--time-scale <factor>', 'compress the schedule: 0.001 turns 4m into 240 ms', '1')
    .option('--schedule <list>', 'retry intervals (the global/message-service docs use 2m,10m,...)', ALIPAY_RETRY_SCHEDULE)
    .option('--timeout <ms>', 'how long to wait for each reply', '15000')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no ANSI colours')
    .addHelpText(
      'after',
      `
Without --body/--fixture, params are signed like \`sign\`: --template trade unless --params gives them all; -p overrides.
Headers sent: Content-Type: ${ALIPAY_HEADERS['Content-Type']}
              User-Agent: ${ALIPAY_HEADERS['User-Agent']}
Exit codes: 0 acknowledged with "success", 1 not acknowledged, 2 usage error.
Examples:
  alipay-notify send http://127.0.0.1:3000/notify -k alipay-test-private.pem -p out_trade_no=ORDER-1 -p total_amount=9.90
  alipay-notify send http://127.0.0.1:3000/notify --fixture payment-utf8-rsa2 --retries --time-scale 0.001`,
    )
    .action(action((url: string, options: SendOptions) => send(url, options)));
}

function bodyToSend(options: SendOptions): Buffer {
  const sources = [options.body !== undefined, options.fixture !== undefined, options.privateKey !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give one of --body, --fixture or --private-key (to sign params)');
  if (options.body !== undefined) return readBody(options.body);
  if (options.fixture !== undefined) return Buffer.from(fixtureOption(options.fixture).rawBody, 'utf8');
  if (options.privateKey === undefined) throw new UsageError('nothing to send: give --private-key <file> (to sign params), --body <file> or --fixture <name>');
  return Buffer.from(signWithOptions(collectParams(options, 'trade'), options).body, 'utf8');
}

async function send(target: string, options: SendOptions): Promise<number> {
  const out = new Output(options);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('the URL must be http:// or https://');
  const timeScale = Number(options.timeScale);
  if (!Number.isFinite(timeScale) || timeScale < 0) throw new UsageError('--time-scale must be a number >= 0');
  const timeout = Number(options.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive integer (ms)');
  const schedule = options.schedule.split(',').map(parseDuration);
  let retries = 0;
  if (options.retries !== undefined && options.retries !== false) {
    retries = options.retries === true ? schedule.length : Number(options.retries);
    if (!Number.isInteger(retries) || retries < 0 || retries > schedule.length) {
      throw new UsageError(`--retries takes a count from 0 to ${schedule.length} (give the URL before --retries)`);
    }
  }
  const body = bodyToSend(options);

  const deliveries: Delivery[] = [];
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const scheduledDelayMs = attempt === 1 ? 0 : schedule[attempt - 2]!;
    const waitedMs = Math.round(scheduledDelayMs * timeScale);
    if (waitedMs > 0) await new Promise((resolve) => setTimeout(resolve, waitedMs));
    const reply = await post(url, body, timeout);
    const delivery = deliveryOf(attempt, scheduledDelayMs, waitedMs, reply);
    deliveries.push(delivery);
    if (!out.json) printDelivery(out, delivery, retries > 0);
    if (delivery.acknowledged) break;
  }
  const acknowledged = deliveries.at(-1)!.acknowledged;
  if (out.json) {
    out.data({ url: url.href, headers: ALIPAY_HEADERS, bodyBytes: body.length, acknowledged, attempts: deliveries.length, deliveries });
  } else {
    out.line(
      acknowledged
        ? out.style(`acknowledged: the endpoint answered "success" (attempt ${deliveries.length})`, 'green', 'bold')
        : out.style(
            retries > 0 && deliveries.length === retries + 1
              ? `not acknowledged after ${deliveries.length} deliveries: Alipay would give up now and the notification would be lost`
              : 'not acknowledged: Alipay would retry this notification',
            'red',
            'bold',
          ),
    );
  }
  return acknowledged ? EXIT_OK : EXIT_INVALID;
}

function human(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)}h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(2)}m`;
  if (ms >= 1000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${ms}ms`;
}

function printDelivery(out: Output, d: Delivery, withSchedule: boolean): void {
  const when = withSchedule && d.attempt > 1 ? ` after ${human(d.scheduledDelayMs)} (waited ${human(d.waitedMs)})` : '';
  const status = d.status === undefined ? '' : ` HTTP ${d.status} ${JSON.stringify(d.reply ?? '')}`;
  const verdict = d.acknowledged ? out.style('success', 'green') : out.style(d.problem ?? 'not acknowledged', 'red');
  out.line(`delivery ${d.attempt}${when}:${status} → ${verdict}`);
}
