// Runs the bundled worker module (dist/worker.bundle.js) on Node's WebCrypto.
const { run } = await import(new URL('../dist/worker.bundle.js', import.meta.url));
console.log(await run());
