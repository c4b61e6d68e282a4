import { parseNotifyBody, type ParsedNotifyBody } from '../parse/form.js';
import type { NotifyBody, SignedContent } from '../types.js';
import { coveredParams, joinSignText, planSigning, type EmptyValues } from './sign-content.js';

export interface BuildSignContentOptions {
  /** 'v1' (default) excludes sign_type, 'v2' keeps it. */
  signedContent?: SignedContent;
  /** 'skip' (default, Alipay's Java form) drops empty and blank values; 'keep' keeps them as `key=`. */
  emptyValues?: EmptyValues;
}

/**
 * The sign string for a body, as text, for debugging ("what exactly was verified?").
 * Accepts a raw body, URLSearchParams, a string map, or the result of parseNotifyBody.
 * Throws a NotifyError (with code) when the body does not parse.
 */
export function buildSignContent(
  input: NotifyBody | ParsedNotifyBody,
  options: BuildSignContentOptions = {},
): string {
  const body = isParsedBody(input) ? input : unwrap(parseNotifyBody(input));
  return joinSignText(
    coveredParams(planSigning(body), {
      signedContent: options.signedContent ?? 'v1',
      emptyValues: options.emptyValues ?? 'skip',
    }),
  );
}

function isParsedBody(input: unknown): input is ParsedNotifyBody {
  return (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as ParsedNotifyBody).params) &&
    typeof (input as ParsedNotifyBody).charset === 'string' &&
    typeof (input as ParsedNotifyBody).get === 'function' &&
    Array.isArray((input as ParsedNotifyBody).sorted)
  );
}

function unwrap(result: ReturnType<typeof parseNotifyBody>): ParsedNotifyBody {
  if (!result.ok) throw result.error;
  return result.body;
}

