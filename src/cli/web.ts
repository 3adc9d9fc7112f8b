// `bert web`: serves the page that fine-tunes BERT in a browser tab (web/, built into dist/web/)
// on 127.0.0.1 with the cross-origin isolation headers its engine needs; or, with --out_dir,
// writes the same site as static files for any host that sets those headers (docs/web.md).
// Everything the page computes runs in the browser: the server only hands out files.
import { int, str, strDefault } from './flags.js';
import { defineScript } from './script.js';
import { UsageError } from '../util/errors.js';
import { host } from '../host/host.js';

const FLAGS = {
  host: strDefault('127.0.0.1', 'Address to listen on (0.0.0.0: every interface).'),
  port: int(8080, 'Port to listen on (0: a free port).'),
  out_dir: str({
    help: 'Write the page and its files here as a static site (new or empty folder) and exit.',
  }),
} as const;

export default defineScript({
  name: 'web',
  summary: 'The page that fine-tunes, evaluates and runs BERT in a browser tab (bert-ts)',
  flags: FLAGS,
  async main(f, _positional) {
    if (f.port < 0 || f.port > 65535) throw new UsageError(`--port=${f.port}: not a TCP port`);
    const { createPageApp, writeStaticSite } = await import('../serve/page_app.js');
    const root = host().packageDir();
    if (f.out_dir !== null) {
      const files = writeStaticSite(root, f.out_dir);
      process.stdout.write(`bert web: wrote ${f.out_dir} (${files.join(', ')})\n`);
      return;
    }
    const app = createPageApp(root);
    const url = await app.listen({ host: f.host, port: f.port });
    process.stdout.write(`bert web: the page is at ${url}/ (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void app.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
});
