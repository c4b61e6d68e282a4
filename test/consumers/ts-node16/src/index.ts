// TypeScript, moduleResolution node16, ESM: types from dist/*.d.ts through the export map.
import assert from 'node:assert/strict';
import {
  createNotifyHandler,
  createVerifier,
  isTradeNotification,
  keysByApp,
  type KeyInput,
  type NotifyReply,
  type VerifierOptions,
  type VerifyResult,
} from 'alipay-notify';
import { fixtureVerifierOptions, generateTestKeys, listFixtures, loadFixture, signNotify, tradeNotifyParams, type NotifyFixture } from 'alipay-notify/testing';
import { memoryIdempotencyStore, sqliteIdempotencySchema, type IdempotencyStore } from 'alipay-notify/idempotency';

const keys = generateTestKeys();
const key: KeyInput = keys.publicKey;
const options: VerifierOptions = { keyProvider: keysByApp({ '2021000000000001': key }) };
const { body } = signNotify(tradeNotifyParams({ total_amount: '10.00' }), { privateKey: keys.privateKey });
const result: VerifyResult = await createVerifier(options).verify(body);
assert.ok(result.ok && isTradeNotification(result.notify));
const amount: string | undefined = result.notify.totalAmount?.toFixed(2);
assert.equal(amount, '10.00');

const store: IdempotencyStore = memoryIdempotencyStore();
const handle = createNotifyHandler({ verifier: options, findOrder: async () => ({ totalAmount: '10.00' }), onTrade: async () => {}, idempotency: store });
const reply: NotifyReply = await handle(body);
assert.equal(reply.body, 'success');
assert.match(sqliteIdempotencySchema('notify_events'), /notify_events/);

const fixture: NotifyFixture = loadFixture(listFixtures()[0]!);
const replay = await createVerifier(fixtureVerifierOptions(fixture)).verify(fixture.rawBody);
assert.equal(replay.ok, fixture.expected.ok);
console.log('ts-node16 consumer (ESM): ok');
