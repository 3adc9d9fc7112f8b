// The browser host's in-memory file system against node:fs: the same sequence of calls on a real
// temporary folder (through the Node host) and on a MemoryFs gives the same results and the same
// errno codes, so the core cannot tell them apart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostFs } from '../../src/host/host.js';
import { MemoryFs } from '../../src/host/memory_fs.js';
import { nodeHost } from '../../src/host/node.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The errno code `f` throws, or its result. */
function outcome<T>(f: () => T): T | { code: string } {
  try {
    return f();
  } catch (e) {
    return { code: String((e as { code?: unknown }).code) };
  }
}

/** Runs one script of calls on `fs` under `root`; returns what every call gave, in order. */
function script(fs: HostFs, root: string): unknown[] {
  const p = (rel: string): string => join(root, rel);
  const log: unknown[] = [];
  const step = <T>(f: () => T): void => void log.push(outcome(f));
  step(() => fs.mkdirSync(p('a/b/c'), { recursive: true }));
  step(() => fs.mkdirSync(p('a/b'), { recursive: true })); // exists: fine
  step(() => fs.mkdirSync(p('a/b'))); // EEXIST
  step(() => fs.mkdirSync(p('x/y'))); // ENOENT: no parent
  step(() => fs.writeFileSync(p('a/zeta.txt'), 'zeta'));
  step(() => fs.writeFileSync(p('a/Alpha.txt'), new Uint8Array([0xe2, 0x82, 0xac])));
  step(() => fs.writeFileSync(p('a/mid.txt'), ''));
  step(() => fs.writeFileSync(p('nope/f.txt'), 'x')); // ENOENT
  step(() => fs.writeFileSync(p('a/b'), 'x')); // EISDIR
  step(() => fs.readdirSync(p('a')));
  step(() => fs.readdirSync(p('a/zeta.txt'))); // ENOTDIR
  step(() => fs.readdirSync(p('missing'))); // ENOENT
  step(() => text(fs.readFileSync(p('a/zeta.txt'))));
  step(() => [...fs.readFileSync(p('a/Alpha.txt'))]);
  step(() => fs.readFileSync(p('a/missing.txt'))); // ENOENT
  step(() => fs.readFileSync(p('a/b'))); // EISDIR
  step(() => fs.readFileSync(p('a/zeta.txt/sub'))); // ENOTDIR
  step(() => [
    fs.existsSync(p('a/b/c')),
    fs.existsSync(p('a/q')),
    fs.existsSync(p('a/zeta.txt/q')),
  ]);
  step(() => {
    const s = fs.statSync(p('a/zeta.txt'));
    const d = fs.statSync(p('a/b'));
    return [s.size, s.isFile(), s.isDirectory(), d.isFile(), d.isDirectory()];
  });
  step(() => fs.statSync(p('a/none'))); // ENOENT
  // Descriptors: 'w' truncates, 'a' appends, reads at a position, fstat sees the size.
  step(() => {
    const fd = fs.openSync(p('a/log.bin'), 'w');
    fs.writeSync(fd, new Uint8Array([1, 2, 3, 4, 5]), 1, 3);
    fs.writeSync(fd, new Uint8Array([9]), 0, 1);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const fa = fs.openSync(p('a/log.bin'), 'a');
    fs.writeSync(fa, new Uint8Array([7, 7]), 0, 2);
    fs.closeSync(fa);
    const fr = fs.openSync(p('a/log.bin'), 'r');
    const buf = new Uint8Array(8).fill(0xff);
    const n = fs.readSync(fr, buf, 2, 4, 1);
    const past = fs.readSync(fr, buf, 0, 4, 100);
    const size = fs.fstatSync(fr).size;
    const whole = [...fs.readFileSync(fr)];
    fs.closeSync(fr);
    return { n, past, size, buf: [...buf], whole };
  });
  step(() => fs.openSync(p('a/nothing'), 'r')); // ENOENT
  step(() => fs.openSync(p('a/b'), 'w')); // EISDIR
  step(() => {
    const fd = fs.openSync(p('a/b'), 'r'); // a folder opens for reading …
    const isDir = fs.fstatSync(fd).isDirectory();
    const read = outcome(() => fs.readSync(fd, new Uint8Array(4), 0, 4, 0)); // … and fails here
    fs.closeSync(fd);
    return [isDir, read];
  });
  // rename: a file over a file, a folder to a new name, over a non-empty folder, into itself.
  step(() => fs.renameSync(p('a/mid.txt'), p('a/zeta.txt')));
  step(() => [text(fs.readFileSync(p('a/zeta.txt'))), fs.existsSync(p('a/mid.txt'))]);
  step(() => fs.renameSync(p('a/b'), p('a/b2')));
  step(() => fs.readdirSync(p('a')));
  step(() => fs.renameSync(p('a/missing'), p('a/m2'))); // ENOENT
  step(() => fs.mkdirSync(p('full/inner'), { recursive: true }));
  step(() => fs.renameSync(p('a/b2'), p('full'))); // ENOTEMPTY
  step(() => fs.renameSync(p('a/zeta.txt'), p('full'))); // EISDIR
  step(() => fs.renameSync(p('full'), p('a/zeta.txt'))); // ENOTDIR
  step(() => fs.renameSync(p('full'), p('full/inner/deeper'))); // EINVAL
  step(() => fs.mkdirSync(p('empty')));
  step(() => fs.renameSync(p('a/b2'), p('empty'))); // over an empty folder: fine
  step(() => fs.readdirSync(p('empty')));
  // rm: a file, a missing path (force or not), a folder (recursive or not).
  step(() => fs.rmSync(p('a/zeta.txt')));
  step(() => fs.rmSync(p('a/zeta.txt'))); // ENOENT
  step(() => fs.rmSync(p('a/zeta.txt'), { force: true }));
  step(() => fs.rmSync(p('full'), { recursive: true }));
  step(() => [fs.existsSync(p('full')), fs.existsSync(p('full/inner'))]);
  step(() => fs.readdirSync(root));
  return log;
}

/** The code of rmSync on a folder without `recursive`: Node says ERR_FS_EISDIR, we say EISDIR. */
function rmFolderCode(fs: HostFs, dir: string): string {
  fs.mkdirSync(dir);
  return (outcome(() => fs.rmSync(dir)) as { code: string }).code;
}

describe('MemoryFs', () => {
  it('answers the core’s calls as node:fs does, errno codes included', () => {
    const real = mkdtempSync(join(tmpdir(), 'bert-memfs-'));
    const memory = new MemoryFs();
    memory.mkdirSync('/work/t', { recursive: true });
    const expected = script(nodeHost.fs, real);
    expect(script(memory, '/work/t')).toEqual(expected);
    // The script really exercised both outcomes (not a vacuous comparison).
    const errors = expected.filter((r) => typeof r === 'object' && r !== null && 'code' in r);
    expect(errors).toHaveLength(18);
    expect(expected).toContainEqual(['Alpha.txt', 'b', 'mid.txt', 'zeta.txt']);
    expect(rmFolderCode(memory, '/work/t/d')).toBe('EISDIR');
    expect(['EISDIR', 'ERR_FS_EISDIR']).toContain(rmFolderCode(nodeHost.fs, join(real, 'd')));
  });

  it('lists a folder in creation order raw and sorted by readdirSync', () => {
    const fs = new MemoryFs();
    fs.mkdirSync('/d');
    for (const name of ['b', 'C', 'a', 'é', 'A']) fs.writeFileSync(`/d/${name}`, name);
    expect(fs.readdirRawSync('/d')).toEqual(['b', 'C', 'a', 'é', 'A']);
    expect(fs.readdirSync('/d')).toEqual(['A', 'C', 'a', 'b', 'é']);
  });

  it('takes relative paths from the root and normalizes . and ..', () => {
    const fs = new MemoryFs();
    fs.mkdirSync('dir/sub', { recursive: true });
    fs.writeFileSync('/dir/./sub/../f.txt', 'hi');
    expect(text(fs.readFileSync('dir/f.txt'))).toBe('hi');
    expect(fs.readdirSync('/dir')).toEqual(['f.txt', 'sub']);
  });

  it('makes a fresh folder per mkdtempSync', () => {
    const fs = new MemoryFs();
    fs.mkdirSync('/tmp');
    const a = fs.mkdtempSync('/tmp/run-');
    const b = fs.mkdtempSync('/tmp/run-');
    expect(a).toMatch(/^\/tmp\/run-[A-Za-z0-9]{6}$/);
    expect(b).not.toBe(a);
    expect(fs.statSync(a).isDirectory()).toBe(true);
    expect(fs.readdirSync('/tmp')).toHaveLength(2);
  });

  it('keeps a file’s bytes apart from the arrays written and read', () => {
    const fs = new MemoryFs();
    const data = new Uint8Array([1, 2, 3]);
    fs.writeFileSync('/f', data);
    data[0] = 9;
    const read = fs.readFileSync('/f');
    read[1] = 9;
    expect([...fs.readFileSync('/f')]).toEqual([1, 2, 3]);
  });

  it('grows a file written in many small pieces', () => {
    const fs = new MemoryFs();
    const fd = fs.openSync('/big', 'w');
    for (let i = 0; i < 1000; i++) fs.writeSync(fd, new Uint8Array([i & 0xff, i >> 8]), 0, 2);
    fs.closeSync(fd);
    const bytes = fs.readFileSync('/big');
    expect(bytes.length).toBe(2000);
    expect([bytes[1998], bytes[1999]]).toEqual([999 & 0xff, 999 >> 8]);
  });

  it('refuses closed descriptors with EBADF and names the path in messages', () => {
    const fs = new MemoryFs();
    const fd = fs.openSync('/f', 'w');
    fs.closeSync(fd);
    expect(() => fs.closeSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => fs.readFileSync('/nope/x.txt')).toThrow(
      "ENOENT: no such file or directory, open '/nope/x.txt'",
    );
  });
});
