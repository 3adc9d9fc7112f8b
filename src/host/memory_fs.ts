// An in-memory file system with the synchronous calls the core makes (host.ts's HostFs), for the
// browser host: a page puts the model folder and the data in, the runners read and write there as
// on disk, and the page takes the output back out. Written here rather than taken from `memfs`
// (the field's library): memfs 4.80 imports node:buffer, node:stream, node:events and node:path,
// so a browser bundle (esbuild, platform 'browser') fails without Node polyfills; only these few
// calls are needed. Errors carry node:fs's errno codes ('ENOENT', 'EISDIR', …), which the core's
// messages translate (util/fs.ts). Paths are POSIX; a relative path is taken from '/'.
import { normalize } from 'pathe';
import type { HostFs, HostStats } from './host.js';

/** A file's bytes: data[0, size), with room to append (capacity doubles). */
interface FileNode {
  readonly kind: 'file';
  data: Uint8Array;
  size: number;
}
/** A folder: its entries in the order they were made (readdirRawSync's order). */
interface DirNode {
  readonly kind: 'dir';
  readonly entries: Map<string, FileNode | DirNode>;
}
type FsNode = FileNode | DirNode;

interface OpenFile {
  readonly node: FsNode;
  readonly append: boolean;
  /** Where the next write goes (flags 'w'). */
  cursor: number;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EBADF: 'bad file descriptor',
  EINVAL: 'invalid argument',
};

/** An Error as node:fs throws it: `code`, `syscall` and `path` set, the same message shape. */
function fsError(code: string, syscall: string, path: string): Error {
  const e = new Error(`${code}: ${DESCRIPTIONS[code]}, ${syscall} '${path}'`);
  return Object.assign(e, { code, syscall, path });
}

function stats(node: FsNode): HostStats {
  const size = node.kind === 'file' ? node.size : 0;
  return { size, isFile: () => node.kind === 'file', isDirectory: () => node.kind === 'dir' };
}

function newFile(data: Uint8Array = new Uint8Array(0)): FileNode {
  return { kind: 'file', data, size: data.length };
}

function newDir(): DirNode {
  return { kind: 'dir', entries: new Map() };
}

/** The absolute, normalized form of `path` and its components. */
function parts(path: string): { abs: string; names: string[] } {
  const abs = normalize(path.startsWith('/') ? path : `/${path}`);
  return { abs, names: abs.split('/').filter((n) => n !== '' && n !== '.') };
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
}

export class MemoryFs implements HostFs {
  private readonly root: DirNode = newDir();
  private readonly open = new Map<number, OpenFile>();
  private nextFd = 3;

  /** The node at `path`, or null; a file met on the way is ENOTDIR. */
  private lookup(path: string, syscall: string): FsNode | null {
    let node: FsNode = this.root;
    for (const name of parts(path).names) {
      if (node.kind !== 'dir') throw fsError('ENOTDIR', syscall, path);
      const next = node.entries.get(name);
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  private get(path: string, syscall: string): FsNode {
    const node = this.lookup(path, syscall);
    if (node === null) throw fsError('ENOENT', syscall, path);
    return node;
  }

  /** The folder that holds `path`, and the entry's name in it. */
  private parent(path: string, syscall: string): { dir: DirNode; name: string } {
    const { names } = parts(path);
    const name = names.pop();
    if (name === undefined) throw fsError('EISDIR', syscall, path); // the root itself
    const dir = this.lookup(`/${names.join('/')}`, syscall);
    if (dir === null) throw fsError('ENOENT', syscall, path);
    if (dir.kind !== 'dir') throw fsError('ENOTDIR', syscall, path);
    return { dir, name };
  }

  private fd(fd: number, syscall: string): OpenFile {
    const f = this.open.get(fd);
    if (f === undefined) throw fsError('EBADF', syscall, String(fd));
    return f;
  }

  existsSync(path: string): boolean {
    try {
      return this.lookup(path, 'access') !== null;
    } catch {
      return false;
    }
  }

  statSync(path: string): HostStats {
    return stats(this.get(path, 'stat'));
  }

  fstatSync(fd: number): HostStats {
    return stats(this.fd(fd, 'fstat').node);
  }

  readFileSync(path: string | number): Uint8Array {
    const node = typeof path === 'number' ? this.fd(path, 'read').node : this.get(path, 'open');
    if (node.kind !== 'file') throw fsError('EISDIR', 'read', String(path));
    return node.data.slice(0, node.size);
  }

  writeFileSync(path: string, data: string | Uint8Array): void {
    const { dir, name } = this.parent(path, 'open');
    const old = dir.entries.get(name);
    if (old?.kind === 'dir') throw fsError('EISDIR', 'open', path);
    const bytes = toBytes(data);
    if (old === undefined) dir.entries.set(name, newFile(bytes));
    else [old.data, old.size] = [bytes, bytes.length]; // the same file: open descriptors see it
  }

  /** Names sorted by UTF-16 code unit (node:fs sorts by byte; the same for BMP names). */
  readdirSync(path: string): string[] {
    return this.readdirRawSync(path).sort();
  }

  readdirRawSync(path: string): string[] {
    const node = this.get(path, 'scandir');
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    return [...node.entries.keys()];
  }

  mkdirSync(path: string, options?: { recursive?: boolean }): void {
    if (options?.recursive) {
      let node: FsNode = this.root;
      for (const name of parts(path).names) {
        if (node.kind !== 'dir') throw fsError('ENOTDIR', 'mkdir', path);
        if (!node.entries.has(name)) node.entries.set(name, newDir());
        node = node.entries.get(name)!;
      }
      if (node.kind !== 'dir') throw fsError('EEXIST', 'mkdir', path);
      return;
    }
    const { dir, name } = this.parent(path, 'mkdir');
    if (dir.entries.has(name)) throw fsError('EEXIST', 'mkdir', path);
    dir.entries.set(name, newDir());
  }

  mkdtempSync(prefix: string): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      const random = crypto.getRandomValues(new Uint8Array(6));
      const path = prefix + Array.from(random, (b) => chars[b % chars.length]).join('');
      if (!this.existsSync(path)) {
        this.mkdirSync(path);
        return path;
      }
    }
  }

  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void {
    const node = this.lookup(path, 'rm');
    if (node === null) {
      if (options?.force) return;
      throw fsError('ENOENT', 'rm', path);
    }
    if (node.kind === 'dir' && !options?.recursive) throw fsError('EISDIR', 'rm', path);
    const { dir, name } = this.parent(path, 'rm');
    dir.entries.delete(name);
  }

  /** As rename(2): replaces a file or an empty folder at `to`. */
  renameSync(from: string, to: string): void {
    const node = this.get(from, 'rename');
    const target = this.parent(to, 'rename');
    const old = target.dir.entries.get(target.name);
    if (old !== undefined && old !== node) {
      if (old.kind === 'dir' && node.kind === 'file') throw fsError('EISDIR', 'rename', to);
      if (old.kind === 'file' && node.kind === 'dir') throw fsError('ENOTDIR', 'rename', to);
      if (old.kind === 'dir' && old.entries.size > 0) throw fsError('ENOTEMPTY', 'rename', to);
    }
    const into = `${parts(to).abs}/`;
    if (node.kind === 'dir' && into.startsWith(`${parts(from).abs}/`))
      throw fsError('EINVAL', 'rename', to); // a folder into itself
    const source = this.parent(from, 'rename');
    source.dir.entries.delete(source.name);
    target.dir.entries.set(target.name, node);
  }

  openSync(path: string, flags: 'r' | 'w' | 'a'): number {
    let node = this.lookup(path, 'open');
    if (flags === 'r') {
      if (node === null) throw fsError('ENOENT', 'open', path);
    } else {
      if (node?.kind === 'dir') throw fsError('EISDIR', 'open', path);
      if (node === null) {
        const { dir, name } = this.parent(path, 'open');
        node = newFile();
        dir.entries.set(name, node);
      } else if (flags === 'w') [node.data, node.size] = [new Uint8Array(0), 0];
    }
    const fd = this.nextFd++;
    this.open.set(fd, { node, append: flags === 'a', cursor: 0 });
    return fd;
  }

  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number) {
    const { node } = this.fd(fd, 'read');
    if (node.kind !== 'file') throw fsError('EISDIR', 'read', String(fd));
    const n = Math.max(0, Math.min(length, node.size - position));
    buffer.set(node.data.subarray(position, position + n), offset);
    return n;
  }

  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number {
    const f = this.fd(fd, 'write');
    const node = f.node as FileNode;
    const at = f.append ? node.size : f.cursor;
    const end = at + length;
    if (end > node.data.length) {
      const grown = new Uint8Array(Math.max(end, 2 * node.data.length));
      grown.set(node.data.subarray(0, node.size));
      node.data = grown;
    }
    node.data.set(buffer.subarray(offset, offset + length), at);
    node.size = Math.max(node.size, end);
    f.cursor = end;
    return length;
  }

  fsyncSync(fd: number): void {
    this.fd(fd, 'fsync');
  }

  closeSync(fd: number): void {
    this.fd(fd, 'close');
    this.open.delete(fd);
  }
}
