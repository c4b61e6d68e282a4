/**
 * The quick-start demo: plays Alipay with a freshly generated TEST key, signs a few
 * notifications, verifies them with alipay-notify and prints each outcome.
 * Run: npm run demo
 */
import { createVerifier, isTradeNotification, type VerifyResult } from '../src/index.js';
import { generateTestKeys, signNotify, tradeNotifyParams } from '../src/testing/index.js';

const alipay = generateTestKeys(); // stands in for Alipay's key pair
const app = generateTestKeys(); // the merchant's own app key pair (应用公钥), often configured by mistake

const verifier = createVerifier({ alipayPublicKey: alipay.publicKey, appId: '2021000000000001' });
const appKeyVerifier = createVerifier({ alipayPublicKey: app.publicKey });

const payment = signNotify(tradeNotifyParams({ out_trade_no: 'DEMO-1001', total_amount: '88.88' }), { privateKey: alipay.privateKey });
const gbk = signNotify(tradeNotifyParams({ out_trade_no: 'DEMO-1002', subject: '中文商品（GBK 编码）', charset: 'gbk' }), { privateKey: alipay.privateKey });
const refund = signNotify(
  tradeNotifyParams({ out_trade_no: 'DEMO-1001', out_biz_no: 'REFUND-1', refund_fee: '8.88', gmt_refund: '2026-11-30 10:00:00.123' }),
  { privateKey: alipay.privateKey },
);
const sha1 = signNotify(tradeNotifyParams({ out_trade_no: 'DEMO-1003' }), { privateKey: alipay.privateKey, signType: 'RSA' });
const otherApp = signNotify(tradeNotifyParams({ app_id: '2021000000000999', auth_app_id: '2021000000000999' }), { privateKey: alipay.privateKey });

const cases: Array<[string, Promise<VerifyResult>]> = [
  ['valid payment (UTF-8)', verifier.verify(payment.body)],
  ['valid payment, parsed object', verifier.verify(payment.params)],
  ['valid payment (GBK body)', verifier.verify(gbk.body)],
  ['valid partial refund', verifier.verify(refund.body)],
  ['tampered amount 88.88 -> 0.01', verifier.verify(payment.body.replace('total_amount=88.88', 'total_amount=0.01'))],
  ['forged duplicate total_amount', verifier.verify(`total_amount=0.01&${payment.body}`)],
  ['"+" in sign turned into space', verifier.verify(payment.body.replace(/%2B/g, '+'))],
  ['wrong key (应用公钥 configured)', appKeyVerifier.verify(payment.body)],
  ['sign_type downgraded to RSA', verifier.verify(sha1.body)],
  ['genuine, but another app_id', verifier.verify(otherApp.body)],
  ['empty body (body parser ate it)', verifier.verify('')],
];

const rows: string[][] = [];
for (const [name, pending] of cases) {
  const result = await pending;
  if (result.ok) {
    const n = result.notify;
    const detail = isTradeNotification(n)
      ? `${n.kind} ${n.outTradeNo} ¥${n.totalAmount?.toFixed(2)}${n.refundFee ? ` refund ¥${n.refundFee.toFixed(2)}` : ''} ${n.subject ?? ''} (${n.charset}, ${result.signedContent})`
      : n.type;
    rows.push([name, 'VALID', detail]);
  } else {
    rows.push([name, result.error.code, result.error.hint.slice(0, 90) + (result.error.hint.length > 90 ? '…' : '')]);
  }
}

/** Terminal columns: CJK and full-width characters take two. */
const columns = (text: string) => [...text].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const width = (i: number) => Math.max(...rows.map((r) => columns(r[i]!)), ['case', 'outcome', 'detail'][i]!.length);
const pad = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - columns(text)));
const line = (r: string[]) => `| ${r.map((cell, i) => pad(cell, i < 2 ? width(i) : 0)).join(' | ')}`;
console.log('alipay-notify demo: notifications signed with a generated TEST key, verified by the library\n');
console.log(line(['case', 'outcome', 'detail']));
console.log(`|${'-'.repeat(width(0) + 2)}|${'-'.repeat(width(1) + 2)}|${'-'.repeat(40)}`);
for (const r of rows) console.log(line(r));
const valid = rows.filter((r) => r[1] === 'VALID').length;
console.log(`\n${valid} valid, ${rows.length - valid} rejected with a stable error code.`);
