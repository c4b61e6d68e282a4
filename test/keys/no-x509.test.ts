/**
 * Certificate mode on a runtime whose node:crypto has no X509Certificate (some worker shims):
 * the chain to alipayRootCert.crt cannot be checked, so a configuration that asks for it must
 * fail closed (CERT_UNTRUSTED), never fall back to trusting the certificate unchecked.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, X509Certificate: undefined };
});

const { X509Certificate } = await import('node:crypto');
const { checkAlipayCertificate, createVerifier, isNotifyError, loadAlipayCertificate, loadRootBundle } = await import('../../src/index.js');
const { signNotify, tradeNotifyParams } = await import('../../src/testing/index.js');
const { dn, issue, testCa } = await import('./helpers/pki.js');

let certPem: string;
let rootPem: string;
let body: string;

beforeAll(() => {
  const { keys, root } = testCa();
  rootPem = root.pem;
  certPem = issue({ subject: dn('支付宝(中国)网络技术有限公司-2088000000000001'), key: keys.leaf, serial: '0a0b0c', issuer: root }).pem;
  body = signNotify(tradeNotifyParams(), { privateKey: keys.leaf.privateKeyPem }).body;
});

describe('a runtime without X509Certificate', () => {
  it('is what this test simulates', () => {
    expect(X509Certificate).toBeUndefined();
  });

  it('createVerifier with alipayRootCert throws: the chain cannot be checked (CERT_UNTRUSTED)', () => {
    let thrown: unknown;
    try {
      createVerifier({ alipayPublicCert: certPem, alipayRootCert: rootPem });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    const cause = (thrown as { cause?: unknown }).cause;
    expect(isNotifyError(cause) && cause.code).toBe('CERT_UNTRUSTED');
    expect(String((thrown as Error).message) + String((cause as Error).message)).toMatch(/X509Certificate/);
  });

  it('checkAlipayCertificate with a root bundle returns CERT_UNTRUSTED, not undefined (= fine)', () => {
    const cert = loadAlipayCertificate(certPem);
    const error = checkAlipayCertificate(cert, { rootBundle: loadRootBundle(rootPem) });
    expect(error?.code).toBe('CERT_UNTRUSTED');
  });

  it('without alipayRootCert only the dates are checked, so the certificate still verifies', async () => {
    const result = await createVerifier({ alipayPublicCert: certPem }).verify(body);
    expect(result.ok).toBe(true);
  });
});
