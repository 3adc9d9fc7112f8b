// File helpers shared by every reader and writer. Readers open their input through
// openInputFile / readInputFile, so a missing file, a directory or a file without permission is a
// one-line FormatError naming the path, whatever the format. Writers write to a temporary name
// beside the target and rename it into place, so a crash or a bad input never leaves a
// half-written file.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from '../host/fs.js';
import { host } from '../host/host.js';
import { FormatError, UsageError } from './errors.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** What the errno codes of a failed open or read mean, in words. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
};

/**
 * A failed open or read of `path` (an errno error) as the FormatError naming the path and the
 * kind of file expected; any other error is returned unchanged.
 */
export function inputFileError(e: unknown, path: string, what: string, hint?: string): unknown {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  if (typeof code !== 'string') return e;
  const reason = READ_ERRORS[code] ?? code;
  return new FormatError(`${path}: cannot read the ${what}: ${reason}`, hint);
}

/** An open input file: its descriptor and size in bytes. */
export interface InputFile {
  readonly fd: number;
  readonly size: number;
}

/**
 * Opens `path` for reading (`what` names the kind of file in errors, e.g. 'TFRecord file').
 * Opening a directory succeeds on Linux and fails only at the first read, so it is checked here.
 */
export function openInputFile(path: string, what: string, hint?: string): InputFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw inputFileError(e, path, what, hint);
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new FormatError(`${path}: cannot read the ${what}: it is a directory`, hint);
  }
  return { fd, size: stat.size };
}

/** The whole of `path`, opened through openInputFile. */
export function readInputFile(path: string, what: string, hint?: string): Uint8Array {
  const { fd } = openInputFile(path, what, hint);
  try {
    return readFileSync(fd);
  } catch (e) {
    throw inputFileError(e, path, what, hint);
  } finally {
    closeSync(fd);
  }
}

/** The whole of `path` as text (UTF-8, as Buffer#toString: see decodeUtf8). */
export function readInputText(path: string, what: string, hint?: string): string {
  return decodeUtf8(readInputFile(path, what, hint));
}

/** writeSync until every byte is written (writeSync may write less than asked). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** A fresh name beside `path` for a temporary file or folder (renamed into place when done). */
export function tempName(path: string): string {
  return `${path}.tmp-${host().pid()}-${Math.random().toString(36).slice(2, 10)}`;
}

/** What the errno codes of a failed create or rename of an output file mean, in words. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ...READ_ERRORS,
  ENOENT: 'its directory does not exist',
  ENOSPC: 'no space left on the device',
  EROFS: 'a read-only file system',
};

/**
 * A failed create, write or rename of output `path` (an errno error) as the UsageError naming
 * it — the path came from a flag; any other error is returned unchanged.
 */
function outputFileError(e: unknown, path: string): unknown {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  if (typeof code !== 'string') return e;
  return new UsageError(`${path}: cannot write the output file: ${WRITE_ERRORS[code] ?? code}`);
}

/** Opens `tmp`, the temporary name of output `path`, for writing. */
function openOutput(tmp: string, path: string): number {
  try {
    return openSync(tmp, 'w');
  } catch (e) {
    throw outputFileError(e, path);
  }
}

/** Renames the finished `tmp` into place as `path` (a directory there is refused). */
function renameOutput(tmp: string, path: string): void {
  try {
    renameSync(tmp, path);
  } catch (e) {
    throw outputFileError(e, path);
  }
}

/** Writes `data` to `path` atomically (temp file + rename). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  const fd = openOutput(tmp, path);
  try {
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw outputFileError(e, path);
  }
}

/**
 * A file written in pieces under a temporary name: `commit()` renames it into place, `abort()`
 * removes it. For streaming writers (TFRecords, JSON lines) that must not leave partial output.
 */
export class AtomicFileWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private done = false;

  constructor(readonly path: string) {
    this.tmp = tempName(path);
    this.fd = openOutput(this.tmp, path);
  }

  write(data: string | Uint8Array): void {
    try {
      writeAll(this.fd, data);
    } catch (e) {
      throw outputFileError(e, this.path);
    }
  }

  /** Puts the file in place; if that fails (a directory at `path`), the temporary is removed. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    try {
      renameOutput(this.tmp, this.path);
    } catch (e) {
      rmSync(this.tmp, { force: true });
      throw e;
    }
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}
