// `bert web`'s server (fastify inject, no socket): the page and the package files it fetches at
// their URLs, with the cross-origin isolation headers on every reply and the MIME types a
// browser insists on (application/wasm for WebAssembly.compileStreaming, JavaScript for module
// workers); and the same layout written out as a static site.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/main.js';
import { createPageApp, writeStaticSite, PAGE_MODEL } from '../../src/serve/page_app.js';
import { UsageError } from '../../src/util/errors.js';
import { REPO } from '../shared.js';

const app = createPageApp(REPO);
afterAll(() => app.close());

const get = (url: string) => app.inject({ method: 'GET', url });

function expectIsolated(headers: Record<string, unknown>): void {
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
}

describe('bert web: the page server', () => {
  it('serves the page, its bundles and workers with the isolation headers', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('data-testid="train"');
    expectIsolated(page.headers);
    for (const js of ['/main.js', '/engine_worker.js', '/pool_worker_web.mjs']) {
      const r = await get(js);
      expect(r.statusCode, js).toBe(200);
      expect(r.headers['content-type'], js).toMatch(/^(text|application)\/javascript/);
      expectIsolated(r.headers);
    }
  });

  it('serves the kernels as application/wasm, and nothing else from build/', async () => {
    const r = await get('/kernels.wasm');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/wasm');
    expect(r.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(r.rawPayload.length).toBe(statSync(join(REPO, 'build/kernels.wasm')).size);
    expectIsolated(r.headers);
    expect((await get('/kernels-relaxed.wasm')).statusCode).toBe(200);
    const other = await get('/test-results.json');
    expect(other.statusCode).toBe(404);
    expectIsolated(other.headers);
  });

  it('serves the shipped model and MRPC byte for byte, and no path outside them', async () => {
    const config = await get(`/${PAGE_MODEL}/bert_config.json`);
    expect(config.headers['content-type']).toMatch(/^application\/json/);
    expect((config.json() as { hidden_size: number }).hidden_size).toBe(128);
    const ckpt = `${PAGE_MODEL}/bert_model.ckpt.data-00000-of-00001`;
    const data = await get(`/${ckpt}`);
    expect(data.statusCode).toBe(200);
    expect(data.rawPayload.equals(readFileSync(join(REPO, ckpt)))).toBe(true);
    const dev = await get('/data/glue/MRPC/dev.tsv');
    expect(dev.statusCode).toBe(200);
    expect(dev.body).toBe(readFileSync(join(REPO, 'data/glue/MRPC/dev.tsv'), 'utf8'));
    expectIsolated(dev.headers);
    for (const bad of ['/data/glue/MRPC/../../../package.json', '/models/../package.json'])
      expect((await get(bad)).statusCode, bad).toBeGreaterThanOrEqual(400);
  });
});

describe('bert web --out_dir: the static site', () => {
  it('lays the same URLs out as files, with a _headers file asking for isolation', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'web-site-')), 'site');
    writeStaticSite(REPO, out);
    for (const f of [
      'index.html',
      'main.js',
      'engine_worker.js',
      'pool_worker_web.mjs',
      'kernels.wasm',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, PAGE_MODEL, 'vocab.txt'))).toEqual(
      readFileSync(join(REPO, PAGE_MODEL, 'vocab.txt')),
    );
    expect(existsSync(join(out, 'data/glue/MRPC/train.tsv'))).toBe(true);
    expect(readFileSync(join(out, '_headers'), 'utf8')).toBe(
      '/*\n  cross-origin-opener-policy: same-origin\n' +
        '  cross-origin-embedder-policy: require-corp\n' +
        '  cross-origin-resource-policy: same-origin\n',
    );
    expect(() => writeStaticSite(REPO, out)).toThrow(UsageError);
  });
});

describe('the bert web script', () => {
  const bert = (...argv: string[]) => runCommand(['web', ...argv], process.stdout);

  it('refuses a port that is not one, and a static-site folder that is not empty', async () => {
    await expect(bert('--port=70000')).rejects.toThrow(/--port=70000: not a TCP port/);
    await expect(bert(`--out_dir=${REPO}`)).rejects.toThrow(UsageError);
  });

  it('--out_dir writes the static site', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'web-cli-')), 'site');
    expect(await bert(`--out_dir=${out}`)).toBe(0);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('data-testid="status"');
  });
});
