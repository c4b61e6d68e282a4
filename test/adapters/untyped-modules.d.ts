// Packages the adapter tests use that ship no types of their own.

// The previous major versions the peer ranges still promise (package.json peerDependencies),
// installed under aliases. Their APIs used here are those of the current majors' types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}

// koa-bodyparser 4 (the most used Koa body parser); only its factory is used.
declare module 'koa-bodyparser' {
  import type { Middleware } from 'koa';
  export default function bodyParser(options?: Record<string, unknown>): Middleware;
}
