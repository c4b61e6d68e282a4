// Web-standard Request (Next.js route handlers, Hono, Bun, Deno).
import { createVerifier } from 'alipay-notify';

const verifier = createVerifier({ alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY! });

export async function POST(request: Request): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer()); // raw bytes: GBK bodies stay intact
  const result = await verifier.verify(body);
  const reply = result.ok ? 'success' : 'fail';
  return new Response(reply, { status: 200, headers: { 'content-type': 'text/plain' } });
}
