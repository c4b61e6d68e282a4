/**
 * The keyProvider's key cache keeps failures too (a bad key is parsed once, not per
 * notification), so the position of the bad entry is added where it is reported, not baked
 * into the cached error: the same bad key at another position is named at that position.
 */
import { expect, it } from 'vitest';
import { createVerifier, type KeyInput } from '../../src/index.js';
import { generateTestKeys, signNotify, tradeNotifyParams } from '../../src/testing/index.js';

it('a bad key returned at [1], then at [0], is reported at [1], then at [0]', async () => {
  const good = generateTestKeys();
  const stranger = generateTestKeys(); // a valid key that does not verify this notification
  const bad = 'not a key at all';
  let answer: KeyInput[] = [stranger.publicKey, bad];
  const verifier = createVerifier({ keyProvider: () => answer });
  const body = signNotify(tradeNotifyParams(), { privateKey: good.privateKey }).body;

  const first = await verifier.verify(body);
  expect(!first.ok && [first.error.code, first.error.hint]).toEqual(['KEY_NOT_FOUND', expect.stringMatching(/^keyProvider result \[1\]: The key is base64 but not an RSA public key/)]);
  answer = [bad];
  const second = await verifier.verify(body);
  expect(!second.ok && second.error.hint).toMatch(/^keyProvider result \[0\]: The key is base64 but not an RSA public key/);
});
