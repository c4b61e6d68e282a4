/**
 * `npm run test:consumers`: installs the packed package into the consumer projects of
 * test/consumers/ (each copied to a temporary directory) and runs them. Needs a build
 * (`npm run build`) first. Only the tarball is installed (its dependencies from the npm
 * cache when possible: --prefer-offline); TypeScript, its @types/node and esbuild come
 * from this repository's node_modules. See test/consumers/README.md.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const esbuild = join(repo, 'node_modules', '.bin', 'esbuild');
const typeRoots = join(repo, 'node_modules', '@types');

function run(label: string, command: string, args: string[], options: ExecFileSyncOptions & { quiet?: boolean } = {}): string {
  const started = Date.now();
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }) as string;
    const last = options.quiet ? '' : (out.trim().split('\n').pop() ?? '');
    console.log(`  ✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)${last ? `: ${last}` : ''}`);
    return out;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    console.error(`  ✗ ${label}\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
    throw new Error(`consumer step failed: ${label}`, { cause: error });
  }
}

/** The first of `candidates` (paths in a consumer folder) that holds a real binary, not an npm placeholder. */
function binary(dir: string, candidates: string[]): string {
  for (const candidate of candidates) {
    const path = join(work, dir, candidate);
    if (existsSync(path) && statSync(path).size > 1024 * 1024) return path;
  }
  throw new Error(`${dir}: none of ${candidates.join(', ')} is installed`);
}

if (!existsSync(join(repo, 'dist', 'index.js')) || !existsSync(join(repo, 'dist', 'index.web.js'))) {
  console.error('test:consumers: no build in dist/. Run `npm run build` first.');
  process.exit(1);
}
const newestSource = Math.max(...['src/index.ts', 'src/index.web.ts', 'src/verifier.ts'].map((f) => statSync(join(repo, f)).mtimeMs));
if (statSync(join(repo, 'dist', 'index.js')).mtimeMs < newestSource) console.warn('test:consumers: dist/ looks older than src/: run `npm run build`.');

const work = mkdtempSync(join(tmpdir(), 'alipay-notify-consumers-'));
const started = Date.now();
try {
  const packed = JSON.parse(run('npm pack', npm, ['pack', '--json', '--pack-destination', work], { cwd: repo, quiet: true })) as Array<{ filename: string; size: number; entryCount: number }>;
  const tarball = join(work, packed[0]!.filename);
  console.log(`  tarball ${packed[0]!.filename}: ${packed[0]!.entryCount} files, ${(packed[0]!.size / 1024).toFixed(1)} kB`);

  const install = (dir: string) =>
    run(`${dir}: npm install <tarball>`, npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: join(work, dir) });
  const node = (dir: string, label: string, args: string[], build?: 'node' | 'web') =>
    run(`${dir}: ${label}`, process.execPath, args, { cwd: join(work, dir), env: { ...process.env, ...(build ? { EXPECT_BUILD: build } : {}) } });
  /** esbuild, as Wrangler bundles a Worker: ESM, neutral platform, the workerd/worker conditions. */
  const bundleForWorkerd = (dir: string, entry: string, outfile: string) =>
    run(`${dir}: esbuild ${entry} for workerd`, esbuild, [
      entry,
      '--bundle',
      '--format=esm',
      '--platform=neutral',
      '--conditions=workerd,worker',
      '--main-fields=module,main',
      '--log-level=warning',
      `--outfile=${outfile}`,
    ], { cwd: join(work, dir) });
  const typecheck = (dir: string) => run(`${dir}: tsc`, process.execPath, [tsc, '-p', '.', '--typeRoots', typeRoots], { cwd: join(work, dir) });

  for (const dir of ['cjs', 'esm', 'ts-node16', 'ts-bundler', 'runtimes']) {
    console.log(`${dir}:`);
    cpSync(join(repo, 'test', 'consumers', dir), join(work, dir), { recursive: true });
    install(dir);
  }

  node('cjs', 'node index.cjs (node condition)', ['index.cjs'], 'node');
  node('cjs', 'node --conditions=worker index.cjs', ['--conditions=worker', 'index.cjs'], 'web');
  node('esm', 'node index.js (node condition)', ['index.js'], 'node');
  node('esm', 'node --conditions=worker index.js', ['--conditions=worker', 'index.js'], 'web');

  typecheck('ts-node16');
  node('ts-node16', 'node dist/index.js', ['dist/index.js']);
  node('ts-node16', 'node dist/legacy.cjs', ['dist/legacy.cjs']);

  typecheck('ts-bundler');
  node('ts-bundler', 'node dist/index.js', ['dist/index.js']);
  bundleForWorkerd('ts-bundler', 'src/worker.ts', 'dist/worker.bundle.js');
  const bundle = readFileSync(join(work, 'ts-bundler', 'dist', 'worker.bundle.js'), 'utf8');
  const nodeImports = [...bundle.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']((?:node:)?(?:crypto|module|fs|path|url|buffer))["']/g)].map((m) => m[1]);
  if (nodeImports.length > 0 || !bundle.includes('RSASSA-PKCS1-v1_5')) {
    throw new Error(`the worker bundle is not the WebCrypto build (node imports: ${nodeImports.join(', ') || 'none'})`);
  }
  console.log(`  ✓ ts-bundler: the worker bundle (${(bundle.length / 1024).toFixed(0)} kB) has the WebCrypto build and no Node import`);
  node('ts-bundler', 'node src/run-worker.mjs (the bundle on WebCrypto)', ['src/run-worker.mjs']);

  // Bun and Deno come from the npm registry (their packages carry the binaries), pinned in
  // runtimes/package.json. Bun takes the "node" condition, Deno the "deno" one (WebCrypto build).
  const bun = binary('runtimes', ['node_modules/bun/bin/bun.exe', 'node_modules/@oven/bun-linux-x64/bin/bun', 'node_modules/@oven/bun-darwin-aarch64/bin/bun']);
  const deno = binary('runtimes', ['node_modules/deno/deno', 'node_modules/@deno/linux-x64-glibc/deno', 'node_modules/@deno/darwin-arm64/deno']);
  const inRuntime = (dir: string, label: string, command: string, args: string[], build: 'node' | 'web') =>
    run(`${dir}: ${label}`, command, args, { cwd: join(work, dir), env: { ...process.env, EXPECT_BUILD: build, NO_COLOR: '1' } });
  inRuntime('esm', 'bun index.js', bun, ['index.js'], 'node');
  inRuntime('cjs', 'bun index.cjs', bun, ['index.cjs'], 'node');
  inRuntime('esm', 'deno run -A index.js', deno, ['run', '-A', 'index.js'], 'web');
  inRuntime('runtimes', 'bun serve.js (Bun.serve)', bun, ['serve.js'], 'node');
  inRuntime('runtimes', 'deno run -A serve.js (Deno.serve)', deno, ['run', '-A', 'serve.js'], 'web');

  // Cloudflare's workerd (npm package workerd, pinned there too): worker.js bundled for the
  // workerd condition, served by workerd, driven over HTTP from Node.
  const workerd = binary('runtimes', ['node_modules/@cloudflare/workerd-linux-64/bin/workerd', 'node_modules/@cloudflare/workerd-linux-arm64/bin/workerd', 'node_modules/@cloudflare/workerd-darwin-arm64/bin/workerd', 'node_modules/@cloudflare/workerd-darwin-64/bin/workerd']);
  for (const worker of ['worker', 'hono-worker']) {
    bundleForWorkerd('runtimes', `${worker}.js`, `${worker}.bundle.js`);
    node('runtimes', `workerd serve ${worker}.bundle.js`, ['workerd.mjs', workerd, `${worker}.bundle.js`]);
  }

  console.log(`test:consumers: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
