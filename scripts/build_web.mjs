// Bundles the fine-tuning page (web/) into dist/web/ with esbuild, for `bert web` and static
// hosts: index.html and style.css copied; main.js (the page's main thread), engine_worker.js (the
// dedicated worker running the core through src/web.ts) and the kernel pool's browser worker
// bundled as ES modules for the browser. platform 'browser' makes any `node:*` import that
// reaches a bundle a build error, so the core cannot quietly grow a Node dependency again.
// The kernels (.wasm), the shipped model and MRPC are not copied: `bert web` serves them from the
// package's own folders (src/serve/page_app.ts). Runs as part of `npm run build`; prints each
// bundle's size.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');

/** Bundle file in dist/web/ → entry point. */
export const ENTRIES = {
  'main.js': 'web/main.ts',
  'engine_worker.js': 'web/engine_worker.ts',
  // the name src/host/browser.ts starts pool workers by (POOL_WORKER_SCRIPT), beside the bundle
  // that imports it; its loop (pool_worker_loop.mjs) is bundled in
  'pool_worker_web.mjs': 'src/engine/pool_worker_web.mjs',
};

/** The esbuild options of one of the page's bundles (the bundle test builds with them too). */
export function bundleOptions(entryPoint, outfile) {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
  };
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [file, entry] of Object.entries(ENTRIES)) {
    try {
      await esbuild.build(bundleOptions(join(root, entry), join(out, file)));
    } catch (e) {
      for (const m of e.errors ?? [e])
        console.error(`build_web: ${file}: ${m.text ?? m}${where(m)}`);
      process.exit(1);
    }
  }
  for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'web', f), join(out, f));
  const sizes = Object.keys(ENTRIES).map(
    (f) => `${f} ${(statSync(join(out, f)).size / 1024).toFixed(0)} KiB`,
  );
  console.log(`build_web: ${relative(root, out)}/: ${sizes.join(', ')}`);
}

/** " (file:line)" of an esbuild message, when it has a location. */
function where(m) {
  return m.location ? ` (${m.location.file}:${m.location.line})` : '';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
