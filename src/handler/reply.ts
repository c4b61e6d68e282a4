import type { Notification } from '../model/types.js';
import type { NotifyOutcome, NotifyReply } from './types.js';

/** A reply for Alipay: always HTTP 200 text/plain, body exactly `success` or `fail`. */
export function reply(
  body: 'success' | 'fail',
  outcome: NotifyOutcome,
  extra: { code?: string; notify?: Notification; error?: unknown } = {},
): NotifyReply {
  const r: NotifyReply = { status: 200, contentType: 'text/plain', body, outcome };
  if (extra.code !== undefined) r.code = extra.code;
  if (extra.notify !== undefined) r.notify = extra.notify;
  if (extra.error !== undefined) r.error = extra.error;
  return r;
}
