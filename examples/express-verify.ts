// Express 5: verify Alipay notifications from the raw body.
import express from 'express';
import { createVerifier } from 'alipay-notify';

const verifier = createVerifier({
  alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!, // the 支付宝公钥, not your 应用公钥
  appId: process.env.ALIPAY_APP_ID!,
});

export const app = express();
// Raw bytes for this route only: Alipay's Content-Type is malformed and body parsers reject it.
app.post('/alipay/notify', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
  const result = await verifier.verify(req.body as Buffer);
  if (!result.ok) {
    console.warn('alipay notify rejected', result.error.code, result.error.hint);
    res.status(200).type('text/plain').send('fail'); // Alipay retries
    return;
  }
  // result.notify is typed; check the order and amount, process once (see createNotifyHandler).
  res.status(200).type('text/plain').send('success');
});

if (process.env.PORT) app.listen(Number(process.env.PORT));
