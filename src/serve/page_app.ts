// The HTTP side of `bert web`: the fine-tuning page that scripts/build_web.mjs bundles into
// dist/web/, and the package's own files it fetches, at fixed URLs:
//   /                                      dist/web/ (index.html, main.js, the engine worker,
//                                          the kernel pool's worker pool_worker_web.mjs, css)
//   /kernels.wasm, /kernels-relaxed.wasm   build/ (the engine's WebAssembly kernels, beside the
//                                          pool worker: the browser host's asset base)
//   /models/uncased_L-2_H-128_A-2_brown/   the shipped pre-trained BERT-Tiny
//   /data/glue/MRPC/                       MRPC's train/dev TSVs
// The package folders are served in place rather than copied into dist/web (the checkpoint alone
// is 17 MB). The page's engine runs on SharedArrayBuffer, which a browser only grants a
// cross-origin-isolated page: every reply carries COOP same-origin + COEP require-corp, and
// CORP same-origin so the page's own fetches pass its embedder policy. writeStaticSite lays the
// same URLs out as files for any static host that sets those headers (docs/web.md).
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { copyFileSync, cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
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

/** The kernels' builds (build/), which the browser host fetches from the page's folder. */
const KERNEL_FILES = ['kernels.wasm', 'kernels-relaxed.wasm'];

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
  for (const f of KERNEL_FILES)
    app.get(`/${f}`, (_req, reply) => reply.sendFile(f, join(root, 'build')));
  for (const dir of [PAGE_MODEL, PAGE_DATA])
    app.register(fastifyStatic, {
      root: join(root, dir),
      prefix: `/${dir}/`,
      decorateReply: false,
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
  for (const f of KERNEL_FILES) copyFileSync(join(root, 'build', f), join(outDir, f));
  for (const dir of [PAGE_MODEL, PAGE_DATA])
    cpSync(join(root, dir), join(outDir, dir), { recursive: true });
  const headers = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}`);
  writeFileSync(join(outDir, '_headers'), ['/*', ...headers, ''].join('\n'));
  return readdirSync(outDir);
}
