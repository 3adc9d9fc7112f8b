// The core's file calls: node:fs's names, each going to the installed host's file system
// (host.ts), so a core module swaps `from 'node:fs'` for `from '../host/fs.js'` and keeps its
// code. Text is read as node:fs's 'utf8' reads it (util/utf8.ts's decodeUtf8).
import { host, type HostStats } from './host.js';
import { decodeUtf8 } from '../util/utf8.js';

export function existsSync(path: string): boolean {
  return host().fs.existsSync(path);
}

export function statSync(path: string): HostStats {
  return host().fs.statSync(path);
}

export function fstatSync(fd: number): HostStats {
  return host().fs.fstatSync(fd);
}

export function readFileSync(path: string | number): Uint8Array {
  return host().fs.readFileSync(path);
}

/** The file decoded as UTF-8 (node:fs's readFileSync(path, 'utf8')). */
export function readTextFileSync(path: string): string {
  return decodeUtf8(host().fs.readFileSync(path));
}

export function writeFileSync(path: string, data: string | Uint8Array): void {
  host().fs.writeFileSync(path, data);
}

export function readdirSync(path: string): string[] {
  return host().fs.readdirSync(path);
}

export function readdirRawSync(path: string): string[] {
  return host().fs.readdirRawSync(path);
}

export function mkdirSync(path: string, options?: { recursive?: boolean }): void {
  host().fs.mkdirSync(path, options);
}

export function mkdtempSync(prefix: string): string {
  return host().fs.mkdtempSync(prefix);
}

export function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void {
  host().fs.rmSync(path, options);
}

export function renameSync(from: string, to: string): void {
  host().fs.renameSync(from, to);
}

export function openSync(path: string, flags: 'r' | 'w' | 'a'): number {
  return host().fs.openSync(path, flags);
}

export function readSync(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): number {
  return host().fs.readSync(fd, buffer, offset, length, position);
}

export function writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number {
  return host().fs.writeSync(fd, buffer, offset, length);
}

export function fsyncSync(fd: number): void {
  host().fs.fsyncSync(fd);
}

export function closeSync(fd: number): void {
  host().fs.closeSync(fd);
}
