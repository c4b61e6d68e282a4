// CommonJS consumer: require() of every entry point of the installed tarball.
const assert = require('node:assert/strict');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
const root = require('alipay-notify');
const testing = require('alipay-notify/testing');
const idempotency = require('alipay-notify/idempotency');

const build = process.env.EXPECT_BUILD; // 'node' or 'web': which build the export conditions must pick

async function main() {
  const keys = testing.generateTestKeys();
  const { body } = testing.signNotify(testing.tradeNotifyParams({ total_amount: '88.88', subject: '中文' }), { privateKey: keys.privateKey });
  const verifier = root.createVerifier({ alipayPublicKey: keys.publicKey });
  const result = await verifier.verify(body);
  assert.equal(result.ok, true, 'a notification signed with alipay-notify/testing verifies');
  assert.ok(root.isTradeNotification(result.notify));
  assert.equal(result.notify.subject, '中文');
  const forged = await verifier.verify(body.replace('total_amount=88.88', 'total_amount=0.01'));
  assert.equal(forged.ok || forged.error.code, 'SIGNATURE_INVALID');

  const handle = root.createNotifyHandler({
    verifier: { alipayPublicKey: keys.publicKey },
    findOrder: async () => ({ totalAmount: '88.88' }),
    onTrade: async () => {},
    idempotency: idempotency.memoryIdempotencyStore(),
  });
  assert.deepEqual(await pick(handle(body)), { status: 200, contentType: 'text/plain', body: 'success', outcome: 'processed' });
  assert.equal((await handle(body)).outcome, 'duplicate');

  assert.match(idempotency.sqliteIdempotencySchema(), /CREATE TABLE/);
  assert.equal(typeof idempotency.pgIdempotencyStore, 'function');
  assert.equal(idempotency.memoryIdempotencyStore, root.memoryIdempotencyStore, 'one shared chunk for both entry points');

  const names = testing.listFixtures();
  assert.ok(names.includes('payment-gbk') && names.includes('real-trade-status-sync-v1'));
  for (const name of names) {
    const fixture = testing.loadFixture(name);
    const replay = await root.createVerifier(testing.fixtureVerifierOptions(fixture)).verify(fixture.rawBody);
    assert.equal(replay.ok, fixture.expected.ok, name);
    if (!replay.ok) assert.equal(replay.error.code, fixture.expected.code, name);
  }
  const pkg = dirname(require.resolve('alipay-notify/package.json'));
  assert.ok(existsSync(join(pkg, 'fixtures', 'notifications', 'payment-gbk.json')));
  assert.ok(!existsSync(join(pkg, 'fixtures', 'keys')), 'no TEST private key is published');

  assert.equal(whichBuild(), build, `the ${build} build is selected`);
  console.log(`cjs consumer (${build} build): ok, ${names.length} fixtures replayed`);
}

async function pick(reply) {
  const { status, contentType, body, outcome } = await reply;
  return { status, contentType, body, outcome };
}

/** The WebCrypto build has no certificate mode: its TypeError says which build this is. */
function whichBuild() {
  try {
    root.createVerifier({ alipayPublicCert: 'not a certificate' });
  } catch (error) {
    return /needs node:crypto/.test(error.message) ? 'web' : 'node';
  }
  return 'unknown';
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
