/**
 * Checks on the built dist/ (run by `npm run check:package` after the build, publint and attw):
 *
 * 1. The WebCrypto build (dist/index.web.js, dist/index.web.cjs and every chunk they load)
 *    imports no Node builtin and no package but decimal.js.
 * 2. Loading each root build in a fresh Node process loads no node-forge, qs or commander;
 *    verifying with a public key still loads no node-forge; both builds verify.
 *
 * Exits non-zero with the reasons when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const problems: string[] = [];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Files reachable from a built entry, and the bare specifiers they import or require. */
function graph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else external.add(spec);
    }
    // tsup's CJS rewrite of import.meta.url reads require('u' + 'rl'): also a builtin.
    if (/require\(\s*['"]u['"]\s*\+/.test(text)) external.add('url (import.meta.url shim)');
  };
  visit(join(dist, entry));
  return { files: [...files], external: [...external].sort() };
}

for (const entry of ['index.web.js', 'index.web.cjs']) {
  const { files, external } = graph(entry);
  const bad = external.filter((spec) => spec !== 'decimal.js');
  if (bad.length > 0) problems.push(`dist/${entry} (through ${files.length} files) imports ${bad.join(', ')}: the WebCrypto build must import no Node builtin.`);
  console.log(`dist/${entry}: ${files.length} files, external: ${external.join(', ')}`);
}
for (const entry of ['index.js', 'index.cjs']) {
  const { external } = graph(entry);
  const packages = external.filter((spec) => !builtins.has(spec) && !spec.startsWith('url '));
  if (packages.some((p) => p !== 'decimal.js')) problems.push(`dist/${entry} imports ${packages.join(', ')} at load time: only decimal.js may load with the root.`);
  console.log(`dist/${entry}: external: ${external.join(', ')}`);
}

// A fresh process per build: what loading the root (and verifying with a key) pulls in.
const probe = (file: string, format: 'esm' | 'cjs') => `
const { createRequire } = require('node:module');
const req = createRequire(${JSON.stringify(join(dist, 'probe.cjs'))});
const loaded = (name) => Object.keys(req.cache).filter((p) => p.includes('/node_modules/' + name + '/')).length;
(async () => {
  const lib = ${format === 'esm' ? `await import(${JSON.stringify(join(dist, file))})` : `require(${JSON.stringify(join(dist, file))})`};
  const afterImport = { forge: loaded('node-forge'), qs: loaded('qs'), commander: loaded('commander') };
  const testing = require(${JSON.stringify(join(dist, 'testing/index.cjs'))});
  const keys = testing.generateTestKeys();
  const { body } = testing.signNotify(testing.tradeNotifyParams(), { privateKey: keys.privateKey });
  const result = await lib.createVerifier({ alipayPublicKey: keys.publicKey }).verify(body);
  console.log(JSON.stringify({ afterImport, verified: result.ok, forgeAfterVerify: loaded('node-forge'), qsAfterTesting: loaded('qs') }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

for (const [file, format] of [
  ['index.js', 'esm'],
  ['index.cjs', 'cjs'],
  ['index.web.js', 'esm'],
  ['index.web.cjs', 'cjs'],
] as const) {
  const out = execFileSync(process.execPath, ['-e', probe(file, format)], { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(out.trim().split('\n').pop()!) as {
    afterImport: Record<string, number>;
    verified: boolean;
    forgeAfterVerify: number;
    qsAfterTesting: number;
  };
  console.log(`dist/${file}: ${JSON.stringify(report)}`);
  for (const [name, count] of Object.entries(report.afterImport)) {
    if (count > 0) problems.push(`loading dist/${file} loads ${count} ${name} module(s).`);
  }
  if (!report.verified) problems.push(`dist/${file} did not verify a notification signed with alipay-notify/testing.`);
  if (report.forgeAfterVerify > 0) problems.push(`verifying with a public key through dist/${file} loads node-forge.`);
  if (report.qsAfterTesting === 0) problems.push('the probe did not see qs after loading alipay-notify/testing: the load check is blind.');
}

if (problems.length > 0) {
  console.error(`\ncheck-dist: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('check-dist: ok');
