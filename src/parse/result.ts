import { NotifyError } from '../errors.js';
import type { ParsedNotifyBody } from './form.js';

export type ParseResult = { ok: true; body: ParsedNotifyBody } | { ok: false; error: NotifyError };

/** More parameters than any real notification carries (they have 20–60). */
export const MAX_PARAMS = 256;

export const fail = (error: NotifyError): ParseResult => ({ ok: false, error });

export function malformed(message: string, hint?: string): ParseResult {
  return fail(new NotifyError('BODY_MALFORMED', message, hint === undefined ? {} : { hint }));
}

export function tooManyParams(): ParseResult {
  return fail(
    new NotifyError('BODY_TOO_LARGE', `The body has more than ${MAX_PARAMS} parameters.`, {
      hint: 'Real Alipay notifications carry fewer than 100 parameters; this looks like a parameter flood.',
    }),
  );
}

/** Printable, bounded rendering of a parameter name for messages (names only, never values). */
export function describeKey(key: string): string {
  const clipped = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return JSON.stringify(clipped);
}

export function duplicate(key: string): NotifyError {
  return new NotifyError('DUPLICATE_PARAM', `Parameter ${describeKey(key)} appears more than once.`, { param: key });
}
