import { describe, expect, it } from 'vitest';
import { isNotifyError } from '../../src/errors.js';
import { getCertSn, splitPemCertificates } from '../../src/keys/index.js';
import { readCertificateDers } from '../../src/keys/pem.js';

// Two tiny fake "certificates": the splitter only cares about armour and base64.
const A = 'MIIBAAAA'.repeat(12);
const B = 'MIICBBBB'.repeat(9);
const block = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

function errorOf(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (isNotifyError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  return undefined;
}

describe('splitPemCertificates', () => {
  it('returns clean 64-column PEM blocks in file order', () => {
    expect(splitPemCertificates(block(A) + block(B))).toEqual([block(A), block(B)]);
  });

  it('accepts CRLF, stray spaces and tabs, missing line breaks and text between blocks', () => {
    const messy =
      'Bag Attributes\r\n-----BEGIN CERTIFICATE-----' + A.slice(0, 30) + ' \t' + A.slice(30) +
      '-----END CERTIFICATE-----\r\nsubject=...\r\n  ----- BEGIN CERTIFICATE -----\r\n' +
      B.replace(/(.{16})/g, '$1\r\n ') + '\r\n-----END CERTIFICATE-----  ';
    expect(splitPemCertificates(messy)).toEqual([block(A), block(B)]);
  });

  it('skips blocks that are not certificates', () => {
    const key = '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n';
    expect(splitPemCertificates(key + block(A))).toEqual([block(A)]);
    expect(splitPemCertificates('no pem here')).toEqual([]);
  });

  it('rejects a certificate block that is not base64', () => {
    const bad = '-----BEGIN CERTIFICATE-----\nMIIB*AAA\n-----END CERTIFICATE-----';
    expect(errorOf(() => splitPemCertificates(block(A) + bad))).toEqual({
      code: 'CERT_INVALID',
      message: 'Certificate block 2 is not valid base64.',
    });
  });
});

describe('certificate input errors', () => {
  it('says what the input looks like when it is not a certificate', () => {
    const cases: [string, string][] = [
      ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', 'This is a private key'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', 'This is a private key'],
      ['-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', 'This is a public key'],
      ['/etc/alipay/alipayCertPublicKey_RSA2.crt', 'This looks like a file path'],
      ['hello', 'No BEGIN CERTIFICATE block found.'],
    ];
    for (const [input, start] of cases) {
      const error = errorOf(() => getCertSn(input));
      expect(error?.code).toBe('CERT_INVALID');
      expect(error?.message.startsWith(start)).toBe(true);
    }
  });

  it('reports garbage inside a well-formed PEM block as an unreadable certificate', () => {
    expect(errorOf(() => getCertSn(block(A)))).toMatchObject({
      code: 'CERT_INVALID',
      message: expect.stringMatching(/^Not a readable X\.509 certificate/),
    });
    expect(errorOf(() => getCertSn(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])))?.code).toBe('CERT_INVALID');
    expect(errorOf(() => getCertSn(new Uint8Array(0)))?.code).toBe('CERT_INVALID');
  });

  it('reads bare base64 of a DER certificate, but not of something that is not a SEQUENCE', () => {
    expect(readCertificateDers(A)).toHaveLength(1);
    expect(errorOf(() => readCertificateDers('QUJD'.repeat(20)))?.code).toBe('CERT_INVALID');
  });
});
