// The Express middleware on a bare node:http server (and so in a Next.js Pages Router API route
// with bodyParser: false): it only uses IncomingMessage and ServerResponse.
import { createServer } from 'node:http';
import { alipayNotify } from '../../src/adapters/express.js';
import { adapterContract } from './support.js';

adapterContract('node:http (no framework)', {
  async start(handler, onReply) {
    const notify = alipayNotify({ handler, onReply });
    return createServer((req, res) => {
      void notify(req, res, (error) => {
        // Handler mode never calls next(): answer 500 so a call would fail the contract.
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  },
});
