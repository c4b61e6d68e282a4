import { randomInt } from 'node:crypto';

/** Formats a Date as an Alipay time (UTC+8, `yyyy-MM-dd HH:mm:ss`). */
export function formatAlipayTime(date: Date): string {
  const cst = new Date(date.getTime() + 8 * 60 * 60 * 1000);
  return cst.toISOString().slice(0, 19).replace('T', ' ');
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/**
 * Realistic params of a successful payment notification (trade_status_sync), with fresh
 * ids; override any field. Sign them with signNotify().
 */
export function tradeNotifyParams(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  const now = new Date();
  const paid = formatAlipayTime(new Date(now.getTime() - 1000));
  return {
    gmt_create: formatAlipayTime(new Date(now.getTime() - 5000)),
    charset: 'utf-8',
    seller_email: 'merchant@example.com',
    subject: '测试商品 Test order',
    body: '订单描述',
    buyer_id: `2088${digits(12)}`,
    invoice_amount: '88.88',
    notify_id: `${paid.replace(/\D/g, '').slice(0, 8)}0022${digits(22)}`,
    fund_bill_list: '[{"amount":"88.88","fundChannel":"ALIPAYACCOUNT"}]',
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_SUCCESS',
    receipt_amount: '88.88',
    buyer_pay_amount: '88.88',
    app_id: '2021000000000001',
    sign_type: 'RSA2',
    seller_id: '2088000000000002',
    gmt_payment: paid,
    notify_time: formatAlipayTime(now),
    version: '1.0',
    out_trade_no: `ORDER-${digits(10)}`,
    total_amount: '88.88',
    trade_no: `${paid.replace(/\D/g, '').slice(0, 8)}22001${digits(15)}`,
    auth_app_id: '2021000000000001',
    buyer_logon_id: 'buy***@example.com',
    point_amount: '0.00',
    ...overrides,
  };
}
