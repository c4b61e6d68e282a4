// The same Worker written with Hono (its most common home): alipay-notify/hono on the notify
// route, bundled for the workerd condition and served by workerd (see workerd.mjs).
import { Hono } from 'hono';
import { alipayNotify } from 'alipay-notify/hono';
import { lastReport, notifyOptions } from './notify-state.js';

let notify;
const app = new Hono();
app.get('/last', (c) => c.json(lastReport()));
app.post('/alipay/notify', (c) => {
  notify ??= alipayNotify(notifyOptions(c.env));
  return notify(c);
});
export default app;
