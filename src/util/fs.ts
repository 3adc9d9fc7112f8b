// File helpers shared by every writer: output is written to a temporary name beside the target
// and renamed into place, so a crash or a bad input never leaves a half-written file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { writeFile, rename, rm } from 'node:fs/promises';

/** writeSync until every byte is written (writeSync may write less than asked). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function tempName(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Writes `data` to `path` atomically (temp file + rename). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Async twin of writeFileAtomicSync. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
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
    this.fd = openSync(this.tmp, 'w');
  }

  write(data: string | Uint8Array): void {
    writeAll(this.fd, data);
  }

  commit(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}
