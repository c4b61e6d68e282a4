// TypeScript, moduleResolution bundler (the export map's "import" types), run on Node.
import assert from 'node:assert/strict';
import { createNotifyHandler, createVerifier, NotifyError, type NotifyHandlerOptions } from 'alipay-notify';
import { generateTestKeys, loadFixture, signNotify, tradeNotifyParams } from 'alipay-notify/testing';
import { redisIdempotencyStore, memoryIdempotencyStore } from 'alipay-notify/idempotency';

const keys = generateTestKeys();
const { body } = signNotify(tradeNotifyParams({ total_amount: '1.00' }), { privateKey: keys.privateKey, signedContent: 'v2' });
const result = await createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
assert.ok(result.ok && result.signedContent === 'v2');
const bad = await createVerifier({ alipayPublicKey: keys.publicKey }).verify('');
assert.ok(!bad.ok && bad.error instanceof NotifyError && bad.error.code === 'BODY_EMPTY');

const options: NotifyHandlerOptions = {
  verifier: { alipayPublicKey: keys.publicKey },
  findOrder: async () => ({ totalAmount: '1.00' }),
  onTrade: async () => {},
  idempotency: memoryIdempotencyStore(),
};
assert.equal((await createNotifyHandler(options)(body)).body, 'success');
assert.equal(typeof redisIdempotencyStore, 'function');
assert.equal(loadFixture('payment-gbk').expected.ok, true);
console.log('ts-bundler consumer (Node): ok');
