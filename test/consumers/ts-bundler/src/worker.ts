// A Worker-style module: bundled with esbuild for the workerd/worker conditions, so it gets
// the WebCrypto build. No Node API: it plays Alipay with crypto.subtle itself.
import { createNotifyHandler, createVerifier } from 'alipay-notify';

const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

function base64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

async function signedBody(privateKey: CryptoKey, params: Record<string, string>): Promise<string> {
  // Alipay's v1 sign string: every param but sign and sign_type, sorted, k=v joined with &.
  const content = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const sign = base64(await crypto.subtle.sign(algorithm, privateKey, new TextEncoder().encode(content)));
  return new URLSearchParams({ ...params, sign }).toString();
}

export async function run(): Promise<string> {
  const pair = (await crypto.subtle.generateKey(
    { ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const alipayPublicKey = base64(await crypto.subtle.exportKey('spki', pair.publicKey));
  const params = {
    app_id: '2021000000000001',
    charset: 'utf-8',
    notify_id: 'n1',
    notify_time: '2024-06-01 12:00:00',
    notify_type: 'trade_status_sync',
    out_trade_no: 'ORDER-1',
    sign_type: 'RSA2',
    subject: '中文',
    total_amount: '9.90',
    trade_no: '2024060122001400000000000001',
    trade_status: 'TRADE_SUCCESS',
    version: '1.0',
  };
  const body = await signedBody(pair.privateKey, params);
  const verifier = createVerifier({ alipayPublicKey });
  const ok = await verifier.verify(body);
  if (!ok.ok) throw new Error(`worker: did not verify: ${ok.error.code} ${ok.error.message}`);
  const forged = await verifier.verify(body.replace('total_amount=9.90', 'total_amount=0.01'));
  if (forged.ok || forged.error.code !== 'SIGNATURE_INVALID') throw new Error('worker: a forged body verified');
  const handle = createNotifyHandler({ verifier, findOrder: async () => ({ totalAmount: '9.90' }), onTrade: async () => {} });
  const reply = await handle(new TextEncoder().encode(body));
  if (reply.body !== 'success') throw new Error(`worker: handler replied ${reply.body} (${reply.outcome})`);
  let certificateMode = 'available';
  try {
    createVerifier({ alipayPublicCert: 'x' });
  } catch (error) {
    certificateMode = /needs node:crypto/.test((error as Error).message) ? 'needs node:crypto' : 'other error';
  }
  if (certificateMode !== 'needs node:crypto') throw new Error(`worker: expected the WebCrypto build, certificate mode: ${certificateMode}`);
  return 'worker consumer (WebCrypto build, esbuild --conditions=workerd,worker): ok';
}
