// The browser entry bundles for a browser: esbuild (platform 'browser', no Node polyfills) resolves
// every module src/web.ts and the pool worker's browser entry reach, so a `node:*` or bare Node
// builtin import anywhere in the core fails here (the lint rule no-restricted-imports catches it
// in the source too). The Node entry, which does import node:*, fails the same build: the check
// can fail.
import { build, type BuildFailure, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

/** Bundles `entry` for a browser; returns the bundle's input files (repository-relative). */
async function bundleInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(REPO, entry)],
    absWorkingDir: REPO,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys((result.metafile as Metafile).inputs);
}

/** The import paths esbuild could not resolve when bundling `entry` for a browser. */
async function unresolved(entry: string): Promise<string[]> {
  try {
    await bundleInputs(entry);
    return [];
  } catch (e) {
    return (e as BuildFailure).errors.map(
      (m) => /Could not resolve "([^"]+)"/.exec(m.text)?.[1] ?? m.text,
    );
  }
}

describe('the browser bundle', () => {
  it('src/web.ts bundles without any Node module, and leaves the Node edges out', async () => {
    const inputs = await bundleInputs('src/web.ts');
    expect(inputs).toContain('src/host/browser.ts');
    expect(inputs).toContain('src/train/runners/run_classifier.ts');
    expect(inputs).toContain('src/engine/pool.ts');
    const edges = inputs.filter((f) => /^src\/(cli|serve)\/|^src\/host\/node\.ts$/.test(f));
    expect(edges).toEqual([]);
  });

  it('the pool worker’s browser entry bundles too', async () => {
    const inputs = await bundleInputs('src/engine/pool_worker_web.mjs');
    expect(inputs.sort()).toEqual([
      'src/engine/pool_worker_loop.mjs',
      'src/engine/pool_worker_web.mjs',
    ]);
  });

  it('fails on a Node import: the Node entry does not bundle for a browser', async () => {
    const missing = await unresolved('src/index.ts');
    expect(missing).toEqual(expect.arrayContaining(['node:fs', 'node:worker_threads', 'node:v8']));
  });
});
