// Vitest global setup: every test's scratch files (mkdtempSync(join(tmpdir(), …)), the CLI's child
// processes) go under build/test-tmp instead of the machine's /tmp — emptied before the run and
// removed after it, so a run leaves nothing behind, even from tests that fail half-way.
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const DIR = resolve('build/test-tmp');

export function setup(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  process.env.TMPDIR = DIR; // os.tmpdir() reads it; the test workers inherit it
}

export function teardown(): void {
  rmSync(DIR, { recursive: true, force: true });
}
