/** The real certificate files of fixtures/real/certs/ (see its README), and a NotifyError code probe. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isNotifyError } from '../../../src/errors.js';

export type RealCertFile =
  | 'alipayRootCert.crt'
  | 'alipayCertPublicKey_RSA2.crt'
  | 'appCertPublicKey_2021001161683774.crt'
  | 'expected.json';

const dir = new URL('../../../fixtures/real/certs/', import.meta.url);

export function realCertPath(name: RealCertFile): string {
  return fileURLToPath(new URL(name, dir));
}

export function readRealCert(name: RealCertFile): string {
  return readFileSync(realCertPath(name), 'utf8');
}

/** The code of the NotifyError `fn` throws; undefined when it returns; a marker string for any other throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isNotifyError(e) ? e.code : `not a NotifyError: ${String(e)}`;
  }
  return undefined;
}
