import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createVerifier, type KeyInput } from '../../src/index.js';
import { signNotify, tradeNotifyParams } from '../../src/testing/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { alipayKeys, appKeys } from '../helpers/keys.js';

function forms(pem: string): Array<[string, KeyInput]> {
  const key = createPublicKey(pem);
  const spkiDer = key.export({ type: 'spki', format: 'der' });
  const pkcs1Pem = key.export({ type: 'pkcs1', format: 'pem' }).toString();
  const bare = spkiDer.toString('base64');
  return [
    ['PEM SPKI', pem],
    ['PEM PKCS#1 (RSA PUBLIC KEY)', pkcs1Pem],
    ['bare base64 SPKI', bare],
    ['bare base64 with spaces and line breaks (pasted from chat)', bare.replace(/(.{50})/g, '$1 \r\n ')],
    ['PEM on one line', pem.replace(/\n/g, '')],
    ['PEM with CRLF', pem.replace(/\n/g, '\r\n')],
    ['PEM with literal \\n (from a JSON env var)', pem.replace(/\n/g, '\\n')],
    ['DER bytes', new Uint8Array(spkiDer)],
    ['KeyObject', key],
  ];
}

describe('key formats', () => {
  it.each(forms(alipayKeys().publicKey))('accepts %s', async (_label, key) => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });
    const result = await createVerifier({ alipayPublicKey: key }).verify(body);
    expect(result.ok).toBe(true);
  });

  it('rejects a private key with a TypeError that says so', () => {
    expect(() => createVerifier({ alipayPublicKey: alipayKeys().privateKey })).toThrow(/alipayPublicKey is a private key/);
    const der = alipayKeys().privateKey.replace(/-----[^-]+-----|\s/g, '');
    expect(() => createVerifier({ alipayPublicKey: der })).toThrow(/private key/);
    expect(() => createVerifier({ alipayPublicKey: Buffer.from(der, 'base64') })).toThrow(/private key/);
    const pkcs1 = createPrivateKey(alipayKeys().privateKey).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(() => createVerifier({ alipayPublicKey: pkcs1 })).toThrow(/private key/);
    expect(() => createVerifier({ alipayPublicKey: pkcs1.replace(/-----[^-]+-----|\s/g, '') })).toThrow(/private key/);
    expect(() => createVerifier({ alipayPublicKey: createPrivateKey(alipayKeys().privateKey) })).toThrow(/private key/);
  });

  it('rejects a certificate with a pointer to certificate mode', () => {
    expect(() => createVerifier({ alipayPublicKey: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' })).toThrow(/alipayPublicCert/);
  });

  it('rejects garbage, non-RSA keys and empty configuration, naming the option', () => {
    expect(() => createVerifier({ alipayPublicKey: 'not a key!' })).toThrow(/alipayPublicKey is neither PEM nor base64/);
    expect(() => createVerifier({ alipayPublicKey: 'QUJDRA==' })).toThrow(/not an RSA public key/);
    expect(() => createVerifier({ alipayPublicKey: [alipayKeys().publicKey, 'QUJDRA=='] })).toThrow(/alipayPublicKey\[1\]/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => createVerifier({ alipayPublicKey: ec })).toThrow(/ec key/);
    expect(() => createVerifier({})).toThrow(/alipayPublicKey .*or keyProvider/);
    expect(() => createVerifier({ alipayPublicKey: [] })).toThrow(/empty list/);
    expect(() => createVerifier({ alipayPublicKey: alipayKeys().publicKey, signTypes: ['SM2' as 'RSA'] })).toThrow(/signTypes/);
    expect(() => createVerifier({ alipayPublicKey: alipayKeys().publicKey, maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => createVerifier({ alipayPublicKey: alipayKeys().publicKey, appId: [] })).toThrow(/appId/);
  });
});

describe('rotation and providers', () => {
  const signed = () => signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey });

  it('a rotation list verifies with either key and reports which one matched', async () => {
    const verifier = createVerifier({ alipayPublicKey: [appKeys().publicKey, alipayKeys().publicKey] });
    const result = await verifier.verify(signed().body);
    expect(result.ok && result.key).toEqual({ index: 1 });
    const other = signNotify(tradeNotifyParams(), { privateKey: appKeys().privateKey });
    const second = await verifier.verify(other.body);
    expect(second.ok && second.key).toEqual({ index: 0 });
  });

  it('calls an async provider per request with app id and sign type, parsing each key once', async () => {
    const calls: unknown[] = [];
    const verifier = createVerifier({
      keyProvider: async (ctx) => {
        calls.push(ctx);
        return ctx.appId === '2021000000000001' ? alipayKeys().publicKey : undefined;
      },
    });
    for (let i = 0; i < 3; i++) expect((await verifier.verify(signed().body)).ok).toBe(true);
    expect(calls).toEqual(Array(3).fill({ appId: '2021000000000001', signType: 'RSA2' }));
    const other = await verifier.verify(signNotify(tradeNotifyParams({ app_id: '2021000000000002' }), { privateKey: alipayKeys().privateKey }).body);
    expect(!other.ok && other.error.code).toBe('KEY_NOT_FOUND');
  });

  it('a provider\'s key is imported once per distinct key material, not once per request', async () => {
    const importKey = vi.spyOn(nodeCrypto, 'importKey');
    try {
      const der = new Uint8Array(createPublicKey(alipayKeys().publicKey).export({ type: 'spki', format: 'der' }));
      const providers: Array<() => KeyInput | KeyInput[]> = [() => alipayKeys().publicKey, () => der.slice(), () => [appKeys().publicKey, alipayKeys().publicKey]];
      for (const form of providers) {
        importKey.mockClear();
        const verifier = createVerifier({ keyProvider: form });
        for (let i = 0; i < 3; i++) expect((await verifier.verify(signed().body)).ok).toBe(true);
        // One import per distinct key, however many requests (a fresh copy of the bytes each time included).
        expect(importKey).toHaveBeenCalledTimes(Array.isArray(form()) ? 2 : 1);
      }
    } finally {
      importKey.mockRestore();
    }
  });

  it('a provider that throws or returns garbage gives KEY_NOT_FOUND, never a throw', async () => {
    const boom = new Error('database down');
    const throwing = createVerifier({ keyProvider: () => { throw boom; } });
    const r1 = await throwing.verify(signed().body);
    expect(!r1.ok && r1.error.code).toBe('KEY_NOT_FOUND');
    expect(!r1.ok && r1.error.cause).toBe(boom);
    const rejecting = createVerifier({ keyProvider: () => Promise.reject(boom) });
    const r2 = await rejecting.verify(signed().body);
    expect(!r2.ok && [r2.error.code, r2.error.cause]).toEqual(['KEY_NOT_FOUND', boom]);
    const garbage = createVerifier({ keyProvider: () => 'garbage' });
    const r3 = await garbage.verify(signed().body);
    expect(!r3.ok && r3.error.code).toBe('KEY_NOT_FOUND');
    expect(!r3.ok && r3.error.hint).toMatch(/not an RSA public key/);
  });

  it('falls back to alipayPublicKey when the provider returns nothing', async () => {
    const verifier = createVerifier({ alipayPublicKey: alipayKeys().publicKey, keyProvider: () => undefined });
    expect((await verifier.verify(signed().body)).ok).toBe(true);
  });

  it('RSA (SHA1) verifies only when allowed, with the same key', async () => {
    const { body } = signNotify(tradeNotifyParams(), { privateKey: alipayKeys().privateKey, signType: 'RSA' });
    const both = await createVerifier({ alipayPublicKey: alipayKeys().publicKey, signTypes: ['RSA2', 'RSA'] }).verify(body);
    expect(both.ok && both.signType).toBe('RSA');
    const onlyRsa2 = await createVerifier({ alipayPublicKey: alipayKeys().publicKey }).verify(body);
    expect(!onlyRsa2.ok && onlyRsa2.error.code).toBe('SIGN_TYPE_NOT_ALLOWED');
  });

  it('a 1024-bit key gets the signature-length check right', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const { body } = signNotify(tradeNotifyParams(), { privateKey: small.privateKey, signType: 'RSA' });
    const ok = await createVerifier({ alipayPublicKey: small.publicKey, signTypes: ['RSA'] }).verify(body);
    expect(ok.ok).toBe(true);
    const mismatch = await createVerifier({ alipayPublicKey: alipayKeys().publicKey, signTypes: ['RSA'] }).verify(body);
    expect(!mismatch.ok && mismatch.error.code).toBe('SIGN_MALFORMED');
  });
});
