// TypeScript, moduleResolution node16, CommonJS (.cts): types from dist/*.d.cts.
import assert = require('node:assert/strict');
import notify = require('alipay-notify');
import testing = require('alipay-notify/testing');
import idempotency = require('alipay-notify/idempotency');

async function main(): Promise<void> {
  const keys = testing.generateTestKeys();
  const { body } = testing.signNotify(testing.tradeNotifyParams(), { privateKey: keys.privateKey });
  const result: notify.VerifyResult = await notify.verifyNotify(body, { alipayPublicKey: keys.publicKey });
  assert.equal(result.ok, true);
  const handle = notify.createNotifyHandler({
    verifier: { alipayPublicKey: keys.publicKey },
    findOrder: async () => ({ totalAmount: '88.88' }),
    onTrade: async () => {},
    idempotency: idempotency.memoryIdempotencyStore(),
  });
  assert.equal((await handle(body)).outcome, 'processed');
  assert.equal(testing.loadFixture('payment-utf8-rsa2').expected.ok, true);
  console.log('ts-node16 consumer (CJS): ok');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
