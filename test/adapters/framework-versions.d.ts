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
