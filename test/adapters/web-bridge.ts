// A small Node http → Web Request/Response bridge, as the Node adapters of Web-standard
// frameworks do (@hono/node-server, Next.js): the Request body is a ReadableStream pulled
// from the IncomingMessage with backpressure. Cancelling it stops reading; the bridge then
// closes the connection after the response instead of draining the rest.
import { createServer, type IncomingMessage, type Server } from 'node:http';

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  req.pause(); // nothing is read until the handler pulls
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          if (!cancelled) controller.close();
        });
        req.on('error', (error) => {
          if (!cancelled) controller.error(error);
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        cancelled = true;
        req.pause();
        req.removeAllListeners('data');
      },
    },
    { highWaterMark: 1 },
  );
}

export function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  } as RequestInit);
}

export function serveFetch(fetchHandler: (request: Request) => Response | Promise<Response>): Server {
  return createServer((req, res) => {
    void (async () => {
      const response = await fetchHandler(toRequest(req));
      const bytes = Buffer.from(await response.arrayBuffer());
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.setHeader('content-length', String(bytes.length));
      if (!req.complete) {
        // The handler did not read the whole body: do not drain it, close after the response.
        res.setHeader('connection', 'close');
        res.once('finish', () => req.socket.destroy());
      }
      res.end(bytes);
    })();
  });
}
