// The native kernels reach an install without a compiler: `npm pack` puts the binary built here
// into prebuilds/linux-x64/ (the prepack step, scripts/build_native.mjs --prebuild), and
// node-gyp-build, told to look at prebuilds only (PREBUILDS_ONLY, as where no build/ exists),
// loads it from the unpacked tarball and runs a kernel with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'the packed native binary',
  () => {
    it('is in the npm pack tarball under prebuilds/linux-x64 and loads from there', () => {
      const dir = mkdtempSync(join(tmpdir(), 'bert-pack-'));
      execFileSync(process.execPath, [join(REPO, 'scripts/build_native.mjs'), '--prebuild'], {
        cwd: REPO,
      });
      // --ignore-scripts: the prebuild is made above, and dist/ by npm test's build
      execFileSync('npm', ['pack', '--ignore-scripts', '--silent', `--pack-destination=${dir}`], {
        cwd: REPO,
      });
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
      execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
      const pkg = join(dir, 'package');
      expect(readdirSync(join(pkg, 'prebuilds', 'linux-x64'))).toEqual(['node.napi.node']);
      const script = `
      const addon = require(${JSON.stringify(join(REPO, 'node_modules/node-gyp-build'))})(${JSON.stringify(pkg)});
      const set = addon.createSet(2, 'auto');
      const x = new Float32Array([1, 2, 3]);
      addon.add(set, x, x, x, 3);
      console.log(addon.isa(set), Array.from(x).join(','));
      addon.destroySet(set);`;
      const out = execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, PREBUILDS_ONLY: '1' },
        encoding: 'utf8',
      });
      expect(out.trim()).toMatch(/^(avx512|avx2|generic) 2,4,6$/);
    });
  },
);
