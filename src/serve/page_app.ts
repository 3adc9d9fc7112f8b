// The HTTP side of `bert web`: the fine-tuning page that scripts/build_web.mjs bundles into
// dist/web/, and the package's own files it fetches, at fixed URLs:
//   /                                      dist/web/ (index.html, main.js, the two workers, css)
//   /kernels/kernels[-relaxed].wasm        build/ (the engine's WebAssembly kernels)
//   /models/uncased_L-2_H-128_A-2_brown/   the shipped pre-trained BERT-Tiny
//   /data/glue/MRPC/                       MRPC's train/dev TSVs
// The package folders are served in place rather than copied into dist/web (the checkpoint alone
// is 17 MB). The page's engine runs on SharedArrayBuffer, which a browser only grants a
// cross-origin-isolated page: every reply carries COOP same-origin + COEP require-corp, and
// CORP same-origin so the page's own fetches pass its embedder policy. writeStaticSite lays the
// same URLs out as files for any static host that sets those headers (docs/web.md).
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';

/** The headers that make the page cross-origin isolated (SharedArrayBuffer, Atomics.wait). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** The shipped model and task the page starts from, as URL path = package path. */
export const PAGE_MODEL = 'models/uncased_L-2_H-128_A-2_brown';
export const PAGE_DATA = 'data/glue/MRPC';

const KERNEL_FILE = /^kernels(-relaxed)?\.wasm$/;

/** dist/web/ of the package at `root`, refused with a hint when the page was never built. */
function pageDir(root: string): string {
  const dir = join(root, 'dist', 'web');
  if (!existsSync(join(dir, 'index.html')))
    throw new UsageError(`${dir}/index.html: the web page is not built`, 'run `npm run build`');
  return dir;
}

/** The fastify app serving the page of the package at `root` (not yet listening). */
export function createPageApp(
  root: string,
  logger: FastifyServerOptions['logger'] = false,
): FastifyInstance {
  const web = pageDir(root);
  const app = Fastify({ logger });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(ISOLATION_HEADERS);
    return payload;
  });
  app.register(fastifyStatic, { root: web });
  const folders: [string, string, ((file: string) => boolean)?][] = [
    ['/kernels/', join(root, 'build'), (file) => KERNEL_FILE.test(file)],
    [`/${PAGE_MODEL}/`, join(root, PAGE_MODEL)],
    [`/${PAGE_DATA}/`, join(root, PAGE_DATA)],
  ];
  for (const [prefix, dir, allow] of folders)
    app.register(fastifyStatic, {
      root: dir,
      prefix,
      decorateReply: false,
      ...(allow ? { allowedPath: (path: string) => allow(path.replace(/^\//, '')) } : {}),
    });
  return app;
}

/**
 * Writes the page and its files under `outDir` at the URLs createPageApp serves them at, plus a
 * `_headers` file (the format of Netlify and Cloudflare Pages) asking for the isolation headers.
 */
export function writeStaticSite(root: string, outDir: string): string[] {
  if (existsSync(outDir) && readdirSync(outDir).length > 0)
    throw new UsageError(`--out_dir=${outDir}: not empty`, 'give a new or empty folder');
  cpSync(pageDir(root), outDir, { recursive: true });
  mkdirSync(join(outDir, 'kernels'));
  for (const f of readdirSync(join(root, 'build')).filter((f) => KERNEL_FILE.test(f)))
    copyFileSync(join(root, 'build', f), join(outDir, 'kernels', f));
  for (const dir of [PAGE_MODEL, PAGE_DATA])
    cpSync(join(root, dir), join(outDir, dir), { recursive: true });
  const headers = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}`);
  writeFileSync(join(outDir, '_headers'), ['/*', ...headers, ''].join('\n'));
  return readdirSync(outDir);
}
