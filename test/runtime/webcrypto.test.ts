/**
 * What only one of the two providers has: WebCrypto imports each key once per hash, keeps
 * concurrent verifications apart (the sign string lives in scratch memory), reports a key
 * it cannot import, and refuses certificate mode; node:crypto answers without a hop.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nodeBuild from '../../src/index.js';
import * as webBuild from '../../src/index.web.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createWebCryptoProvider } from '../../src/crypto/webcrypto.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { alipayKeys, appKeys } from '../helpers/keys.js';
import { dn, issue, rsaKey } from '../keys/helpers/pki.js';

const signed = (overrides: Record<string, string> = {}, opts: Partial<Parameters<typeof signNotify>[1]> = {}) =>
  signNotify(tradeNotifyParams(overrides), { privateKey: alipayKeys().privateKey, ...opts });
const cert = (name: string) => readFileSync(new URL(`../../fixtures/real/certs/${name}`, import.meta.url), 'utf8');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('WebCrypto provider', () => {
  it('imports each key once per hash, on first use, and reuses it', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const verifier = webBuild.createVerifier({ alipayPublicKey: [appKeys().publicKey, alipayKeys().publicKey], signTypes: ['RSA2', 'RSA'] });
    expect(importKey).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i++) expect((await verifier.verify(signed().body)).ok).toBe(true);
    // Two keys tried for RSA2 (the first does not match): two imports, not ten.
    expect(importKey).toHaveBeenCalledTimes(2);
    await Promise.all([1, 2, 3].map(() => verifier.verify(signed({}, { signType: 'RSA' }).body)));
    expect(importKey).toHaveBeenCalledTimes(4);
    const hashes = importKey.mock.calls.map((call) => (call[2] as RsaHashedImportParams).hash);
    expect(hashes.sort()).toEqual(['SHA-1', 'SHA-1', 'SHA-256', 'SHA-256']);
    expect(importKey.mock.calls.every((call) => call[0] === 'spki' && call[3] === false)).toBe(true);
  });

  it('keeps concurrent verifications apart (scratch memory is copied before awaiting)', async () => {
    const verifier = webBuild.createVerifier({ alipayPublicKey: [appKeys().publicKey, alipayKeys().publicKey] });
    const bodies = Array.from({ length: 40 }, (_, i) => {
      // A mix that makes the search go past its first candidate: the first key never matches,
      // empty values need the second rule, v2 bodies the third or fourth, some are forged.
      const s = signed(
        { out_trade_no: `ORDER-${i}`, body: i % 3 === 0 ? '' : `item ${i}`, subject: i % 2 ? '中文' : 'plain' },
        { emptyValues: i % 3 === 0 ? 'keep' : 'skip', signedContent: i % 4 === 0 ? 'v2' : 'v1', ...(i % 5 === 0 ? { charset: 'gbk' as const } : {}) },
      );
      return i % 7 === 0 ? s.body.replace(`ORDER-${i}`, `ORDER-${i + 1000}`) : s.body;
    });
    const results = await Promise.all(bodies.map((body) => verifier.verify(body)));
    const nodeVerifier = nodeBuild.createVerifier({ alipayPublicKey: [appKeys().publicKey, alipayKeys().publicKey] });
    for (let i = 0; i < bodies.length; i++) {
      const expected = await nodeVerifier.verify(bodies[i]!);
      const result = results[i]!;
      expect(result.ok).toBe(i % 7 !== 0);
      expect(result.ok).toBe(expected.ok);
      if (result.ok && expected.ok) {
        expect(result.params).toEqual(expected.params);
        expect(result.params['out_trade_no']).toBe(`ORDER-${i}`);
        expect(result.signedContent).toBe(expected.signedContent);
        expect(result.key).toEqual({ index: 1 });
      }
    }
  });

  it('a key WebCrypto refuses is KEY_NOT_FOUND with the cause, not a bad signature', async () => {
    const refusal = new Error('refused');
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockRejectedValue(refusal);
    const result = await webBuild.createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(signed().body);
    expect(!result.ok && result.error.code).toBe('KEY_NOT_FOUND');
    expect(!result.ok && result.error.cause).toBe(refusal);
    expect(!result.ok && result.error.message).toMatch(/webcrypto/);
  });

  it('a refused key does not stop the next one of a rotation list', async () => {
    const real = globalThis.crypto.subtle.importKey.bind(globalThis.crypto.subtle);
    let calls = 0;
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockImplementation(((...args: Parameters<SubtleCrypto['importKey']>) =>
      ++calls === 1 ? Promise.reject(new Error('refused')) : real(...(args as [never, never, never, never, never]))) as SubtleCrypto['importKey']);
    const result = await webBuild.createVerifier({ alipayPublicKey: [appKeys().publicKey, alipayKeys().publicKey] }).verify(signed().body);
    expect(result.ok && result.key).toEqual({ index: 1 });
  });

  it('without crypto.subtle, createVerifier throws a TypeError that says so', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => webBuild.createVerifier({ alipayPublicKey: alipayKeys().publicKey })).toThrow(/no WebCrypto \(globalThis\.crypto\.subtle\)/);
    // A provider can be given its own SubtleCrypto.
    vi.unstubAllGlobals();
    const provider = createWebCryptoProvider(globalThis.crypto.subtle);
    expect(provider.name).toBe('webcrypto');
  });

  it('refuses a KeyObject, naming what it takes', async () => {
    const { createPublicKey } = await import('node:crypto');
    expect(() => webBuild.createVerifier({ alipayPublicKey: createPublicKey(alipayKeys().publicKey) })).toThrow(
      /alipayPublicKey must be a PEM or base64 string or DER bytes \(KeyObject needs the Node build\)/,
    );
  });
});

describe('certificate mode in the WebCrypto build', () => {
  const message = /certificate mode needs node:crypto on this runtime/;

  it('alipayPublicCert, alipayRootCert and certificate entries of keysByApp throw a TypeError', () => {
    expect(() => webBuild.createVerifier({ alipayPublicCert: cert('alipayCertPublicKey_RSA2.crt') })).toThrow(TypeError);
    expect(() => webBuild.createVerifier({ alipayPublicCert: cert('alipayCertPublicKey_RSA2.crt') })).toThrow(message);
    expect(() => webBuild.createVerifier({ alipayPublicKey: alipayKeys().publicKey, alipayRootCert: cert('alipayRootCert.crt') })).toThrow(message);
    expect(() => webBuild.keysByApp({ '2021000000000001': { cert: cert('alipayCertPublicKey_RSA2.crt') } })).toThrow(message);
    expect(() => webBuild.keysByApp({ '2021000000000001': cert('alipayCertPublicKey_RSA2.crt') })).toThrow(message);
  });

  it('a certificate from a keyProvider is KEY_NOT_FOUND with the same explanation', async () => {
    const result = await webBuild.createVerifier({ keyProvider: () => cert('alipayCertPublicKey_RSA2.crt') }).verify(signed().body);
    expect(!result.ok && result.error.code).toBe('KEY_NOT_FOUND');
    expect(!result.ok && result.error.hint).toMatch(message);
  });

  it('the certificate functions throw it; splitPemCertificates works', () => {
    for (const fn of [webBuild.getCertSn, webBuild.getRootCertSn, webBuild.loadRootBundle, webBuild.parseAlipayCertificate, webBuild.loadAlipayCertificate]) {
      expect(() => fn(cert('alipayCertPublicKey_RSA2.crt'))).toThrow(message);
    }
    expect(() => webBuild.checkAlipayCertificate({} as never)).toThrow(message);
    expect(webBuild.splitPemCertificates(cert('alipayCertPublicKey_RSA2.crt'))).toEqual(nodeBuild.splitPemCertificates(cert('alipayCertPublicKey_RSA2.crt')));
    // The Node build reads the same file.
    expect(nodeBuild.getCertSn(cert('alipayCertPublicKey_RSA2.crt'))).toBe('7513daaaa48aa3ba2e4018d84402479c');
  });

  it('the documented workaround verifies: the certificate public key as alipayPublicKey', async () => {
    // A certificate issued at test time for the key that signs, read with the Node build.
    const key = rsaKey();
    const { pem } = issue({ subject: dn('支付宝(中国)网络技术有限公司-2088000000000001', 'Alipay'), key, serial: '1a' });
    const spki = nodeBuild.parseAlipayCertificate(pem).spkiBase64;
    const { body } = signNotify(tradeNotifyParams(), { privateKey: key.privateKeyPem });
    const result = await webBuild.createVerifier({ alipayPublicKey: spki }).verify(body);
    expect(result.ok).toBe(true);
    const other = nodeBuild.parseAlipayCertificate(cert('alipayCertPublicKey_RSA2.crt')).spkiBase64;
    expect((await webBuild.createVerifier({ alipayPublicKey: other }).verify(body)).ok).toBe(false);
  });
});

describe('node:crypto provider', () => {
  it('answers synchronously: verify() settles within one microtask, no extra hop', async () => {
    const verifier = nodeBuild.createVerifier({ alipayPublicKey: alipayKeys().publicKey });
    const { body } = signed();
    let settled = false;
    void verifier.verify(body).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('verify returns a boolean, never a promise', () => {
    const handle = nodeCrypto.importKey(new Uint8Array(Buffer.from(alipayKeys().publicKey.replace(/-----[^-]+-----|\s/g, ''), 'base64')), 'key');
    expect(nodeCrypto.verify('RSA2', handle, new Uint8Array(1), new Uint8Array(256))).toBe(false);
  });
});
