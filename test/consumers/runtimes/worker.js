// A Cloudflare Worker module on the notify path: bundled by esbuild with the workerd/worker
// conditions (the WebCrypto build), served by workerd itself (see workerd.mjs). The key comes
// from a text binding, as a Worker's secrets do. GET /last reports the last reply for the driver.
import { alipayNotify } from 'alipay-notify/web';
import { lastReport, notifyOptions } from './notify-state.js';

let notify;
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/last') return Response.json(lastReport());
    notify ??= alipayNotify(notifyOptions(env));
    return notify(request);
  },
};
