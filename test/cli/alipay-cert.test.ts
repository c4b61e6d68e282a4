import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { getCertSn } from '../../src/keys/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { DAY, dn, issue, testCa } from '../keys/helpers/pki.js';
import { cli, ROOT, tempDir } from './helpers.js';

/**
 * --alipay-cert gives the certificate to the library as alipayPublicCert, so its checks run:
 * app and root certificates are refused, dates are checked, alipay_cert_sn selects the
 * certificate. (The CLI used to take the bare public key out of any certificate.)
 */
const dir = tempDir('alipay-notify-cert-');
const ca = testCa();
const alipaySubject = (serial: string) => dn(`支付宝(中国)网络技术有限公司-20880000000000${serial}`, 'Alipay', 'Test Shop');
const alipay = issue({ subject: alipaySubject('01'), key: ca.keys.leaf, serial: '20200514e63c2fe0', issuer: ca.inter });
const expired = issue({
  subject: alipaySubject('02'),
  key: ca.keys.leaf,
  serial: '20200514e63c2fe1',
  issuer: ca.inter,
  notBefore: new Date(Date.now() - 400 * DAY),
  notAfter: new Date(Date.now() - 30 * DAY),
});
const class1 = issue({ subject: dn('Test Financial Certification Authority Class 1 R1'), key: ca.keys.inter, serial: '3b', ca: true, issuer: ca.root });
// Every certificate below holds the key that signs the bodies: with the bare key they would verify.
const app = issue({ subject: dn('2088000000000001-2021000000000001', 'Alipay', 'Test Shop'), key: ca.keys.leaf, serial: '2020051862039d40', issuer: class1 });
const selfSigned = issue({ subject: dn('Test Shop self-signed'), key: ca.keys.leaf, serial: '05' });

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const certs = {
  alipay: file('alipayCertPublicKey_RSA2.crt', alipay.pem),
  alipayDer: file('alipayCertPublicKey_RSA2.der', Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(alipay.cert)).getBytes(), 'binary')),
  expired: file('expired.crt', expired.pem),
  app: file('appCertPublicKey_2021000000000001.crt', app.pem),
  selfSigned: file('self-signed.crt', selfSigned.pem),
  /** As Alipay ships it: the Alipay certificate, then its intermediate CA. */
  alipayChain: file('alipayCertPublicKey_RSA2.chain.crt', alipay.pem + ca.inter.pem),
};
// A chain whose intermediate CA expired while the Alipay certificate itself is still valid.
const expiredInter = issue({
  subject: dn('Test Financial Certification Authority Class 2 R1'),
  key: ca.keys.inter,
  serial: '3c',
  ca: true,
  issuer: ca.root,
  notBefore: new Date(Date.now() - 400 * DAY),
  notAfter: new Date(Date.now() - 1 * DAY),
});
const underExpiredInter = file('alipayCertPublicKey_RSA2.expired-ca.crt', issue({ subject: alipaySubject('03'), key: ca.keys.leaf, serial: '20200514e63c2fe3', issuer: expiredInter }).pem + expiredInter.pem);
const roots = {
  test: file('alipayRootCert.crt', ca.root.pem),
  other: file('other-root.crt', ca.otherRoot.pem),
  garbage: file('garbage-root.crt', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'),
};
const real = (name: string) => join(ROOT, 'fixtures', 'real', 'certs', name);
const sn = getCertSn(alipay.pem);
const sign = (overrides: Record<string, string> = {}) => file(`body-${Object.keys(overrides).join('-') || 'plain'}-${Math.random()}.txt`, signNotify(tradeNotifyParams(overrides), { privateKey: ca.keys.leaf.privateKeyPem }).body);
const withSn = sign({ alipay_cert_sn: sn });
const plain = sign();

describe.concurrent('verify --alipay-cert (the library checks the certificate)', () => {
  it('an Alipay certificate verifies the notification that names its SN (PEM and DER)', async () => {
    for (const cert of [certs.alipay, certs.alipayDer]) {
      const r = await cli(['verify', withSn, '--alipay-cert', cert]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`✔ valid .* key #0 cert ${sn}`));
    }
    const json = await cli(['verify', plain, '--alipay-cert', certs.alipay, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).key).toEqual({ index: 0, certSn: sn });
  });

  it.each([
    ['a self-signed certificate', () => certs.selfSigned, /alipayPublicCert\[0\]: This is a self-signed root certificate .*\(CERT_INVALID\)/],
    ['an app certificate (built)', () => certs.app, /alipayPublicCert\[0\]: This looks like your 应用公钥证书 .*\(CERT_INVALID\)/],
    ['the real app certificate', () => real('appCertPublicKey_2021001161683774.crt'), /alipayPublicCert\[0\]: This looks like your 应用公钥证书/],
    ['the real root bundle', () => real('alipayRootCert.crt'), /alipayPublicCert\[0\]: This looks like alipayRootCert\.crt/],
    ['an expired Alipay certificate', () => certs.expired, /alipayPublicCert: The certificate has expired: .* expired on .*\(CERT_EXPIRED\)/],
    ['the real Alipay certificate (expired in 2022)', () => real('alipayCertPublicKey_RSA2.crt'), /expired on 2022-05-14T14:42:01\.000Z/],
  ])('%s is refused: exit 2 with the library message', async (_name, cert, message) => {
    const r = await cli(['verify', plain, '--alipay-cert', cert()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/✔/);
  });

  it('a notification naming another certificate SN is not verified with this one (KEY_NOT_FOUND, exit 1)', async () => {
    const r = await cli(['verify', sign({ alipay_cert_sn: 'f'.repeat(32) }), '--alipay-cert', certs.alipay]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ invalid {2}KEY_NOT_FOUND/);
    expect(r.stdout).toContain('f'.repeat(32));
  });
});

describe.concurrent('verify --alipay-root-cert (the library checks the chain)', () => {
  it('a certificate that chains to the bundle verifies', async () => {
    const r = await cli(['verify', withSn, '--alipay-cert', certs.alipayChain, '--alipay-root-cert', roots.test]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✔ valid .* key #0 cert ${sn}`));
  });

  it.each([
    ['another root', () => roots.other],
    ['the real alipayRootCert.crt (the test CA is not in it)', () => real('alipayRootCert.crt')],
  ])('with %s it is refused: exit 2, CERT_UNTRUSTED', async (_name, root) => {
    const r = await cli(['verify', withSn, '--alipay-cert', certs.alipayChain, '--alipay-root-cert', root()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not chain to an RSA root of the bundle.*\(CERT_UNTRUSTED\)/);
    expect(r.stdout).not.toMatch(/✔/);
  });

  it('the certificate without its intermediate does not chain either', async () => {
    const r = await cli(['verify', withSn, '--alipay-cert', certs.alipay, '--alipay-root-cert', roots.test]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CERT_UNTRUSTED/);
  });

  it('--alipay-root-cert without --alipay-cert is a usage error', async () => {
    const r = await cli(['verify', plain, '--alipay-public-key', real('alipayCertPublicKey_RSA2.crt'), '--alipay-root-cert', roots.test]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--alipay-root-cert checks the chain of --alipay-cert/);
  });
});

interface Report {
  valid: boolean;
  initial: { ok: boolean; code?: string };
  cause: string | null;
  causes: Array<{ id: string; pitfall: string; detail: string }>;
}

async function diagnose(body: string, cert: string, ...extra: string[]): Promise<{ code: number; report: Report }> {
  const r = await cli(['diagnose', body, '--alipay-cert', cert, ...extra, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

describe.concurrent('diagnose --alipay-cert (the library reads the certificate)', () => {
  it('an Alipay certificate: the notification verifies', async () => {
    const { code, report } = await diagnose(withSn, certs.alipay);
    expect(code).toBe(0);
    expect(report.valid).toBe(true);
  });

  it.each([
    ['an app certificate', () => certs.app, 'certificate-refused', /appCertPublicKey_2021000000000001\.crt: This looks like your 应用公钥证书/, 'KEY_UNUSABLE'],
    ['a self-signed certificate', () => certs.selfSigned, 'certificate-refused', /self-signed\.crt: This is a self-signed root certificate/, 'KEY_UNUSABLE'],
    ['the real root bundle', () => real('alipayRootCert.crt'), 'certificate-refused', /This looks like alipayRootCert\.crt/, 'KEY_NOT_FOUND'],
    ['an expired Alipay certificate', () => certs.expired, 'certificate-expired', /expired\.crt: The certificate .* expired on /, 'KEY_UNUSABLE'],
  ])('%s is named as the cause', async (_name, cert, cause, detail, initial) => {
    const { code, report } = await diagnose(plain, cert());
    expect(code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.cause).toBe(cause);
    expect(report.causes[0]!.pitfall).toBe('P14');
    expect(report.causes[0]!.detail).toMatch(detail);
    expect(report.initial.code).toBe(initial);
  });
});

describe('diagnose -k <certificate> (a certificate configured as the public key)', () => {
  it('is named as the cause; with the key inside it the notification verifies', async () => {
    const r = await cli(['diagnose', plain, '-k', certs.alipay, '--json']);
    const report = JSON.parse(r.stdout) as Report & { initial: { message?: string } };
    expect(r.code).toBe(1);
    expect(report.cause).toBe('certificate-as-key');
    expect(report.causes[0]!.pitfall).toBe('P14');
    expect(report.initial.code).toBe('KEY_UNUSABLE');
    expect(report.initial.message).toMatch(/with its usable form the notification verifies/);
  });
});

describe.concurrent('diagnose --alipay-root-cert', () => {
  it('a certificate that chains to the bundle: the notification verifies', async () => {
    const { code, report } = await diagnose(withSn, certs.alipayChain, '--alipay-root-cert', roots.test);
    expect(code).toBe(0);
    expect(report.valid).toBe(true);
  });

  it.each([
    ['another root', () => roots.other, 'certificate-untrusted', /alipayCertPublicKey_RSA2\.chain\.crt: .*does not chain to an RSA root of the bundle/],
    ['an unreadable bundle', () => roots.garbage, 'root-bundle', /createVerifier refuses this alipayRootCert/],
    ['an intermediate CA that expired', () => roots.test, 'certificate-expired', /expired-ca\.crt: The certificate "Test Financial Certification Authority Class 2 R1" \(SN [0-9a-f]+\) expired on /, underExpiredInter],
  ])('with %s the cause is named', async (_name, root, cause, detail, cert = certs.alipayChain) => {
    const { code, report } = await diagnose(plain, cert, '--alipay-root-cert', root());
    expect(code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.cause).toBe(cause);
    expect(report.causes[0]!.pitfall).toBe('P14');
    expect(report.causes[0]!.detail).toMatch(detail);
  });
});
