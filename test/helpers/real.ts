import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RealVector {
  signedContent: 'v1' | 'v2';
  signType: 'RSA2';
  alipayPublicKey: string;
  alipayPublicKeyBase64: string;
  params: Record<string, string>;
  expected: { signContent: string };
}

export type RealVectorName = 'trade-status-sync.v1' | 'servicemarket-order-notify.v2';

/** One of the real Alipay-signed vectors in fixtures/real/ (the only loader the tests use). */
export function realVector(name: RealVectorName): RealVector {
  const path = fileURLToPath(new URL(`../../fixtures/real/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as RealVector;
}

/** A raw form body for the params, as a UTF-8 form encoder writes it. */
export function formBody(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(Object.entries(params)).toString();
}
