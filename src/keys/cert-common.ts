/**
 * The parts of certificate mode that need neither node:crypto nor node-forge: recognising a
 * PEM certificate among key inputs, and certificate validity windows at verify time. Both
 * builds use these; loading and checking certificates is the runtime's (runtime/*.ts).
 */
import { NotifyError, isNotifyError } from '../errors.js';
import type { CertificateWindow } from './cert.js';
import type { CertificateKey } from './key-input.js';

/** A certificate file: PEM text (leaf first, then intermediates), PEM bytes, or DER. */
export type CertInput = string | Uint8Array;

const CERT_PEM = /-----\s*BEGIN\s+(?:X509\s+)?CERTIFICATE\s*-----/;
const DASHES = 0x2d;

/** True when a key input is in fact a PEM certificate (text or bytes). Cheap: no parsing. */
export function isCertificatePem(input: unknown): input is CertInput {
  if (typeof input === 'string') return CERT_PEM.test(input);
  if (input instanceof Uint8Array) {
    const start = input.findIndex((b) => b > 0x20);
    if (start < 0 || input[start] !== DASHES) return false;
    return CERT_PEM.test(new TextDecoder('latin1').decode(input.subarray(start, start + 64)));
  }
  return false;
}

/** Where `now` (ms) falls outside the window of a certificate key: 'early', 'late', or undefined inside it. */
export function outsideWindow(
  { window }: { readonly window: Pick<CertificateWindow, 'notBefore' | 'notAfter'> },
  now: number,
): 'early' | 'late' | undefined {
  if (now < window.notBefore.getTime()) return 'early';
  return now > window.notAfter.getTime() ? 'late' : undefined;
}

/** True when the window of a certificate key has ended at `now` (ms); one not begun yet does not count (it will open). */
export function hasExpired(key: CertificateKey, now: number): boolean {
  return outsideWindow(key, now) === 'late';
}

/** The CERT_EXPIRED error for a certificate key outside its window at `now` (ms). */
export function certificateDateError(key: CertificateKey, now: number): NotifyError {
  const { certSn: sn, window } = key;
  const fix =
    'Download the current alipayCertPublicKey_RSA2.crt from the Alipay open platform (接口加签方式) and add it to your configuration ' +
    '(during a renewal, keep both: the notification picks its certificate by alipay_cert_sn).';
  if (outsideWindow(key, now) === 'early') {
    const date = window.notBefore.toISOString();
    return new NotifyError('CERT_EXPIRED', `The Alipay certificate SN ${sn} is not valid before ${date}.`, {
      hint: `The certificate ${window.startsWith} is not valid before ${date}, and no other configured certificate is usable now. ` +
        'Check the system clock, or configure the certificate Alipay uses today.',
    });
  }
  const date = window.notAfter.toISOString();
  const whose = window.endsWithCa === undefined ? '' : ` (its CA ${window.endsWithCa} expired)`;
  return new NotifyError('CERT_EXPIRED', `The Alipay certificate SN ${sn} expired on ${date}${whose}.`, {
    hint: `The Alipay certificate SN ${sn} is valid until ${date}${whose}, and no other configured certificate is usable. ${fix}`,
  });
}

/** A TypeError for a configuration problem found while loading a key or certificate. */
export function configError(option: string, error: unknown): TypeError {
  if (isNotifyError(error)) return new TypeError(`${option}: ${error.message} (${error.code})`, { cause: error });
  if (error instanceof TypeError) return error;
  return new TypeError(`${option}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
