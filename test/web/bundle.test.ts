// The page's bundles are built for the browser (scripts/build_web.mjs): any Node import that
// reaches one — `node:fs` or a bare builtin such as `events` — fails the build, so the core
// cannot quietly grow a Node dependency; and the core's browser entry bundles as built.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleOptions, ENTRIES } from '../../scripts/build_web.mjs';
import { REPO } from '../shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'web-bundle-'));

function bundle(entry: string): Promise<esbuild.BuildResult> {
  return esbuild.build({ ...bundleOptions(entry, join(tmp, 'out.js')), write: false });
}

describe('the browser bundles', () => {
  it('fail to build on a node: import or a bare Node builtin', async () => {
    for (const [name, source] of [
      ['fs.ts', "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('x'));\n"],
      ['events.ts', "import { EventEmitter } from 'events';\nconsole.log(new EventEmitter());\n"],
    ]) {
      const entry = join(tmp, name!);
      writeFileSync(entry, source!);
      await expect(bundle(entry), name).rejects.toThrow(/Could not resolve "(node:fs|events)"/);
    }
  });

  it('build the page, its engine worker (the core on the browser host) and the pool worker', async () => {
    expect(Object.keys(ENTRIES).sort()).toEqual([
      'engine_worker.js',
      'main.js',
      'pool_worker_web.mjs',
    ]);
    for (const entry of Object.values(ENTRIES)) {
      const r = await bundle(join(REPO, entry));
      expect(r.errors, entry).toEqual([]);
      expect(r.outputFiles![0]!.text.length, entry).toBeGreaterThan(100);
    }
  });
});
