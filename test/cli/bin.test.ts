// The `bert` command as the README runs it: `npx bert …` from the repository after `npm install`
// (npm test builds first). npm links the package's own bin to dist/src/cli/run.js, which the
// build must leave executable — a fresh clone once failed here with "bert: Permission denied".
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

function npxBert(...args: string[]) {
  return spawnSync('npx', ['--no-install', 'bert', ...args], { cwd: REPO, encoding: 'utf8' });
}

describe('npx bert', () => {
  it('--help lists the scripts, exit 0', () => {
    const r = npxBert('--help');
    expect(r.stderr).not.toContain('Permission denied');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: bert <script> [--flag=value ...]');
    expect(r.stdout).toContain('run_classifier');
  });
  it('an unknown flag: one line naming it, exit 2', () => {
    const r = npxBert('run_classifier', '--nope');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('bert: unknown flag --nope');
  });
});
