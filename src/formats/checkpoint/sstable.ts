// The LevelDB-style sorted table that a TF checkpoint's `.index` file is
// (tensorflow/core/lib/io/{block_builder,table_builder,format}.cc). Layout:
//   data blocks | metaindex block (empty) | index block | 48-byte footer
// A block is entries `varint shared | varint non_shared | varint value_len | key suffix | value`,
// then uint32 restart offsets and their count; after it on disk, 1 compression byte (0 raw,
// 1 Snappy) and the masked crc32c of contents + that byte. The footer holds two block handles
// (varint offset, varint size), zero padding to 40 bytes and the magic 0xdb4775248b80fb57 (LE).
// npm has LevelDB bindings but none that reads a lone table file, hence this file.
import snappy from 'snappyjs';
import { FormatError, check, hex32 } from '../../util/errors.js';
import { maskedCrc32cOf } from '../crc32c.js';
import { ByteSink, readVarint } from './varint.js';
import { compareBytes } from '../../util/bytes.js';
import { decodeUtf8 } from '../../util/utf8.js';

const FOOTER_SIZE = 48;
const TRAILER_SIZE = 5;
const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;
const RAW = 0;
const SNAPPY = 1;

export interface TableEntry {
  key: Uint8Array;
  value: Uint8Array;
}

interface BlockHandle {
  offset: number;
  size: number;
}

/** Options of TF's table::Options that a writer may change; defaults are TF's. */
export interface TableOptions {
  /** Uncompressed bytes per data block before it is cut: TF's default is 262144. */
  blockSize: number;
  /** Keys between full (unshared) keys: 16 in data blocks, 1 in the index block, as LevelDB. */
  restartInterval: number;
}

export const TF_TABLE_OPTIONS: TableOptions = { blockSize: 262144, restartInterval: 16 };

/** Where a block lies and how it is stored (0 raw, 1 Snappy). */
export interface BlockInfo {
  kind: 'data' | 'index';
  offset: number;
  size: number;
  compression: number;
}

/** Every entry of the table in `file` (the whole .index file), in key order, and its blocks. */
export function readTable(
  file: Uint8Array,
  path: string,
): { entries: TableEntry[]; blocks: BlockInfo[] } {
  const { index } = readFooter(file, path);
  const indexBlock = readBlock(file, index, path, 'index block');
  const blocks: BlockInfo[] = [{ kind: 'index', ...index, compression: indexBlock.compression }];
  const entries: TableEntry[] = [];
  for (const ie of parseBlock(
    indexBlock.contents,
    () => `${path}: index block at byte ${index.offset}`,
  )) {
    const where = (): string => `${path}: index entry in block at byte ${index.offset}`;
    const [offset, p] = readVarint(ie.value, 0, where);
    const [size] = readVarint(ie.value, p, where);
    const block = readBlock(file, { offset, size }, path, 'data block');
    blocks.push({ kind: 'data', offset, size, compression: block.compression });
    entries.push(...parseBlock(block.contents, () => `${path}: data block at byte ${offset}`));
  }
  for (let i = 1; i < entries.length; i++) {
    if (compareBytes(entries[i - 1]!.key, entries[i]!.key) >= 0)
      throw new FormatError(`${path}: key ${i} is not greater than the key before it`);
  }
  return { entries, blocks };
}

function readFooter(file: Uint8Array, path: string): { meta: BlockHandle; index: BlockHandle } {
  if (file.length < FOOTER_SIZE)
    throw new FormatError(
      `${path}: ${file.length} bytes, shorter than the ${FOOTER_SIZE}-byte table footer`,
      'truncated or not a checkpoint .index file',
    );
  const start = file.length - FOOTER_SIZE;
  const view = new DataView(file.buffer, file.byteOffset + start, FOOTER_SIZE);
  if (view.getUint32(40, true) !== MAGIC_LO || view.getUint32(44, true) !== MAGIC_HI)
    throw new FormatError(
      `${path}: footer at byte ${start}: bad table magic ${hex32(view.getUint32(44, true))}${hex32(view.getUint32(40, true)).slice(2)}, expected 0xdb4775248b80fb57`,
      'truncated or not a checkpoint .index file',
    );
  const where = (): string => `${path}: footer at byte ${start}`;
  const footer = file.subarray(start, start + 40);
  const [mo, p1] = readVarint(footer, 0, where);
  const [ms, p2] = readVarint(footer, p1, where);
  const [io, p3] = readVarint(footer, p2, where);
  const [is] = readVarint(footer, p3, where);
  return { meta: { offset: mo, size: ms }, index: { offset: io, size: is } };
}

/** A block's contents, its crc checked and Snappy undone. */
function readBlock(
  file: Uint8Array,
  h: BlockHandle,
  path: string,
  what: string,
): { contents: Uint8Array; compression: number } {
  const end = h.offset + h.size + TRAILER_SIZE;
  if (end > file.length - FOOTER_SIZE)
    throw new FormatError(
      `${path}: ${what} at byte ${h.offset} (${h.size} bytes) runs past the footer at byte ${file.length - FOOTER_SIZE}`,
      'truncated .index file',
    );
  const contents = file.subarray(h.offset, h.offset + h.size);
  const trailer = file.subarray(h.offset + h.size, end);
  const stored = new DataView(trailer.buffer, trailer.byteOffset + 1, 4).getUint32(0, true);
  const want = maskedCrc32cOf([contents, trailer.subarray(0, 1)]);
  if (stored !== want)
    throw new FormatError(
      `${path}: ${what} at byte ${h.offset}: crc32c ${hex32(stored)}, expected ${hex32(want)}`,
      'corrupted .index file',
    );
  const type = trailer[0]!;
  if (type === RAW) return { contents, compression: type };
  if (type === SNAPPY) {
    try {
      return { contents: snappy.uncompress(contents), compression: type };
    } catch (e) {
      throw new FormatError(`${path}: ${what} at byte ${h.offset}: bad Snappy data (${String(e)})`);
    }
  }
  throw new FormatError(
    `${path}: ${what} at byte ${h.offset}: compression type ${type}, expected 0 (raw) or 1 (Snappy)`,
  );
}

/** The entries of one block, keys rebuilt from their shared prefixes. */
function parseBlock(block: Uint8Array, where: () => string): TableEntry[] {
  if (block.length < 4) throw new FormatError(`${where()}: block of ${block.length} bytes`);
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  const numRestarts = view.getUint32(block.length - 4, true);
  const dataEnd = block.length - 4 - 4 * numRestarts;
  if (numRestarts < 1 || dataEnd < 0)
    throw new FormatError(
      `${where()}: ${numRestarts} restart points do not fit its ${block.length} bytes`,
    );
  const entries: TableEntry[] = [];
  let key = new Uint8Array(0);
  let pos = 0;
  while (pos < dataEnd) {
    const at = (): string => `${where()}, entry at block byte ${pos}`;
    const [shared, p1] = readVarint(block, pos, at);
    const [unshared, p2] = readVarint(block, p1, at);
    const [valueLen, p3] = readVarint(block, p2, at);
    if (shared > key.length || p3 + unshared + valueLen > dataEnd)
      throw new FormatError(
        `${at()}: shared ${shared} / key ${unshared} / value ${valueLen} bytes do not fit the block`,
      );
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(block.subarray(p3, p3 + unshared), shared);
    key = next;
    entries.push({ key, value: block.subarray(p3 + unshared, p3 + unshared + valueLen) });
    pos = p3 + unshared + valueLen;
  }
  return entries;
}

/** Builds one block (block_builder.cc). */
class BlockBuilder {
  private readonly sink = new ByteSink();
  private restarts: number[] = [0];
  private counter = 0;
  private lastKey: Uint8Array = new Uint8Array(0);

  constructor(private readonly restartInterval: number) {}

  get empty(): boolean {
    return this.sink.length === 0;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      const n = Math.min(key.length, this.lastKey.length);
      while (shared < n && key[shared] === this.lastKey[shared]) shared++;
    } else {
      this.restarts.push(this.sink.length);
      this.counter = 0;
    }
    this.sink.varint(shared);
    this.sink.varint(key.length - shared);
    this.sink.varint(value.length);
    this.sink.bytes(key.subarray(shared));
    this.sink.bytes(value);
    this.lastKey = key;
    this.counter++;
  }

  sizeEstimate(): number {
    return this.sink.length + 4 * this.restarts.length + 4;
  }

  /** The finished block; the builder is reset. */
  finish(): Uint8Array {
    for (const r of this.restarts) this.sink.fixed32(r);
    this.sink.fixed32(this.restarts.length);
    const out = this.sink.view().slice();
    this.sink.clear();
    this.restarts = [0];
    this.counter = 0;
    this.lastKey = new Uint8Array(0);
    return out;
  }
}

/** Writes a table as TF's TableBuilder does with kNoCompression; keys must come in order. */
export class TableBuilder {
  private readonly out = new ByteSink();
  private readonly data: BlockBuilder;
  private readonly index = new BlockBuilder(1);
  private lastKey: Uint8Array | null = null;
  private pending: BlockHandle | null = null;

  constructor(private readonly options: TableOptions = TF_TABLE_OPTIONS) {
    this.data = new BlockBuilder(options.restartInterval);
  }

  add(key: Uint8Array, value: Uint8Array): void {
    if (this.lastKey !== null) {
      const last = this.lastKey;
      check(
        compareBytes(key, last) > 0,
        () => `internal: table key '${decodeUtf8(key)}' after '${decodeUtf8(last)}'`,
      );
      // TF cuts the block early when one entry alone is twice the block size.
      if (key.length + value.length >= 2 * this.options.blockSize) this.flush();
    }
    if (this.pending !== null && this.lastKey !== null) {
      this.addIndexEntry(shortestSeparator(this.lastKey, key), this.pending);
      this.pending = null;
    }
    this.lastKey = key;
    this.data.add(key, value);
    if (this.data.sizeEstimate() >= this.options.blockSize) this.flush();
  }

  /** The whole file: blocks, empty metaindex, index, footer. */
  finish(): Uint8Array {
    this.flush();
    const meta = this.writeBlock(new BlockBuilder(this.options.restartInterval).finish());
    if (this.pending !== null && this.lastKey !== null) {
      this.addIndexEntry(shortSuccessor(this.lastKey), this.pending);
      this.pending = null;
    }
    const index = this.writeBlock(this.index.finish());
    const footer = new ByteSink();
    for (const h of [meta, index]) {
      footer.varint(h.offset);
      footer.varint(h.size);
    }
    while (footer.length < 40) footer.byte(0);
    footer.fixed32(MAGIC_LO);
    footer.fixed32(MAGIC_HI);
    this.out.bytes(footer.view());
    return this.out.view().slice();
  }

  private flush(): void {
    if (this.data.empty) return;
    this.pending = this.writeBlock(this.data.finish());
  }

  private addIndexEntry(key: Uint8Array, h: BlockHandle): void {
    const enc = new ByteSink();
    enc.varint(h.offset);
    enc.varint(h.size);
    this.index.add(key, enc.view().slice());
  }

  private writeBlock(contents: Uint8Array): BlockHandle {
    const handle = { offset: this.out.length, size: contents.length };
    const type = new Uint8Array([RAW]);
    this.out.bytes(contents);
    this.out.bytes(type);
    this.out.fixed32(maskedCrc32cOf([contents, type]));
    return handle;
  }
}

/** A short key k with start <= k < limit (table_builder.cc FindShortestSeparator). */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let i = 0;
  while (i < n && start[i] === limit[i]) i++;
  if (i >= n) return start;
  const b = start[i]!;
  if (b < 0xff && b + 1 < limit[i]!) {
    const out = start.slice(0, i + 1);
    out[i] = b + 1;
    return out;
  }
  return start;
}

/** A short key >= key (table_builder.cc FindShortSuccessor). */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i] = key[i]! + 1;
      return out;
    }
  }
  return key;
}
