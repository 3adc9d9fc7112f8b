// Where the package's own files are at run time (the compiled .wasm in build/, models/, data/):
// found from the calling module's URL, so the same code works from the repository (src/ under
// vitest, dist/src/ after the build) and from node_modules/bert-ts once installed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertError } from './errors.js';

/** The package root: the first directory above `from` holding package.json. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new BertError(`no package.json above ${fileURLToPath(from)}`);
    dir = up;
  }
}
