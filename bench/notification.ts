import { signNotify, tradeNotifyParams, generateTestKeys, type TestKeyPair } from '../src/testing/index.js';

/**
 * A realistic 25-param trade_status_sync notification (as performance.md measures: 25 params
 * including sign and sign_type):
 * Chinese subject/body, JSON fund_bill_list and passback_params, ~1.5 KB on the wire.
 */
export function realisticNotification(keys: TestKeyPair = generateTestKeys()) {
  const params = tradeNotifyParams({
    seller_email: undefined,
    point_amount: undefined,
    subject: '年度会员 订阅服务（标准版）',
    body: '支付宝异步通知性能测试 订单描述 含中文与空格',
    // No '%' here: the SDK's checkNotifySign decodes values a second time (protocol.md P3).
    passback_params: '{"orderType":"vip","channel":"app"}',
    fund_bill_list: '[{"amount":"80.00","fundChannel":"ALIPAYACCOUNT"},{"amount":"8.88","fundChannel":"COUPON"}]',
  });
  const signed = signNotify(params, { privateKey: keys.privateKey });
  return { keys, params: signed.params, body: signed.body };
}
