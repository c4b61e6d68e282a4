#!/usr/bin/env node
import { main } from './program.js';

// `alipay-notify ... | head`: a closed pipe is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

process.exitCode = await main(process.argv);
