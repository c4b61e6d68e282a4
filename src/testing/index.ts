/**
 * alipay-notify/testing: play Alipay in your unit tests. Everything here uses TEST keys
 * you generate; nothing here belongs in production code.
 */
export { generateTestKeys, type TestKeyPair } from './keys.js';
export { signNotify, type SignNotifyOptions, type SignedNotify, type TestCharset } from './sign.js';
export {
  tradeNotifyParams,
  refundNotifyParams,
  closeNotifyParams,
  messageNotifyParams,
  formatAlipayTime,
  type ParamOverrides,
} from './params.js';
export {
  loadFixture,
  listFixtures,
  fixturesDir,
  fixtureVerifierOptions,
  type NotifyFixture,
  type FixtureExpectation,
  type FixtureVerifierOptions,
  type FixtureLoadOptions,
} from './fixtures.js';
export { encodeGbk } from './gbk.js';
export { formEncodeBytes, serializeForm } from './form.js';
