// ES module consumer: import of every entry point of the installed tarball.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createNotifyHandler, createVerifier, isTradeNotification, memoryIdempotencyStore } from 'alipay-notify';
import { fixtureVerifierOptions, generateTestKeys, listFixtures, loadFixture, signNotify, tradeNotifyParams } from 'alipay-notify/testing';
import * as idempotency from 'alipay-notify/idempotency';

const build = process.env.EXPECT_BUILD;

const keys = generateTestKeys();
const { body } = signNotify(tradeNotifyParams({ total_amount: '88.88', subject: '中文' }), { privateKey: keys.privateKey, charset: 'gbk' });
const verifier = createVerifier({ alipayPublicKey: keys.publicKey });
const result = await verifier.verify(body);
assert.equal(result.ok, true, 'a GBK notification signed with alipay-notify/testing verifies');
assert.ok(isTradeNotification(result.notify));
assert.equal(result.notify.subject, '中文');
const forged = await verifier.verify(body.replace('total_amount=88.88', 'total_amount=0.01'));
assert.equal(forged.ok || forged.error.code, 'SIGNATURE_INVALID');

const handle = createNotifyHandler({
  verifier,
  findOrder: async () => ({ totalAmount: '88.88' }),
  onTrade: async () => {},
  idempotency: idempotency.memoryIdempotencyStore(),
});
const first = await handle(body);
assert.deepEqual([first.status, first.contentType, first.body, first.outcome], [200, 'text/plain', 'success', 'processed']);
assert.equal((await handle(body)).outcome, 'duplicate');

assert.match(idempotency.pgIdempotencySchema(), /CREATE TABLE/);
assert.equal(typeof idempotency.redisIdempotencyStore, 'function');
assert.equal(idempotency.memoryIdempotencyStore, memoryIdempotencyStore, 'one shared chunk for both entry points');

const names = listFixtures();
for (const name of names) {
  const fixture = loadFixture(name);
  const replay = await createVerifier(fixtureVerifierOptions(fixture)).verify(fixture.rawBody);
  assert.equal(replay.ok, fixture.expected.ok, name);
  if (!replay.ok) assert.equal(replay.error.code, fixture.expected.code, name);
}
const pkg = dirname(createRequire(import.meta.url).resolve('alipay-notify/package.json'));
assert.ok(!existsSync(join(pkg, 'fixtures', 'keys')), 'no TEST private key is published');

let selected = 'node';
try {
  createVerifier({ alipayPublicCert: 'not a certificate' });
} catch (error) {
  if (/needs node:crypto/.test(error.message)) selected = 'web';
}
assert.equal(selected, build, `the ${build} build is selected`);
console.log(`esm consumer (${build} build): ok, ${names.length} fixtures replayed`);
