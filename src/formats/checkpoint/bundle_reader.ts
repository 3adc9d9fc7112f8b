// Reads a TF checkpoint (tensor_bundle V2, tensorflow/core/util/tensor_bundle): the whole
// `.index` table at open (a few KB), each tensor on request by offset from its data shard, its
// crc32c checked. A 1.3 GB BERT-Large checkpoint is never read whole.
import { closeSync, existsSync, readSync } from '../../host/fs.js';
import { type InputFile, openInputFile, readInputFile } from '../../util/fs.js';
import { FormatError, UsageError, hex32 } from '../../util/errors.js';
import {
  decodeBundleEntry,
  decodeBundleHeader,
  type BundleEntry,
  type BundleHeader,
} from '../protos.js';
import { dataFile, indexFile, resolveCheckpointPrefix } from './paths.js';
import { readTable, type BlockInfo } from './sstable.js';
import {
  type DType,
  type Tensor,
  ELEMENT_BYTES,
  dtypeFromTF,
  numElements,
  tfDTypeName,
  toFloat32,
} from './tensor.js';
import { decodeTensorBytes, tensorCrc } from './tensor_bytes.js';
import type { CheckpointSource, TensorInfo } from './source.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class TFCheckpointReader implements CheckpointSource {
  readonly path: string;
  readonly header: BundleHeader;
  /** The .index file's blocks, for inspect_checkpoint. */
  readonly blocks: BlockInfo[];
  private readonly entries = new Map<string, BundleEntry>();
  private readonly fds = new Map<number, InputFile>();

  /** `path`: a prefix, PREFIX.index, or a directory with a `checkpoint` file. */
  constructor(path: string) {
    this.path = resolveCheckpointPrefix(path);
    const file = indexFile(this.path);
    const { entries: table, blocks } = readTable(readInputFile(file, 'checkpoint index'), file);
    this.blocks = blocks;
    const first = table[0];
    if (first === undefined || first.key.length !== 0)
      throw new FormatError(
        `${file}: first key is not the header key ""`,
        'not a tensor bundle index',
      );
    this.header = decodeBundleHeader(first.value, `${file}: header`);
    if (this.header.numShards < 1)
      throw new FormatError(`${file}: header: num_shards ${this.header.numShards}, expected >= 1`);
    if (this.header.endianness !== 0)
      throw new FormatError(
        `${file}: header: big-endian checkpoint, bert-ts reads little-endian ones`,
      );
    for (const { key, value } of table.slice(1)) {
      const name = utf8.decode(key);
      const e = decodeBundleEntry(value, `${file}: entry '${name}'`);
      if (e.shardId >= this.header.numShards)
        throw new FormatError(
          `${file}: entry '${name}': shard ${e.shardId} of ${this.header.numShards}`,
        );
      this.entries.set(name, e);
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  entry(name: string): BundleEntry {
    const e = this.entries.get(name);
    if (e === undefined)
      throw new UsageError(`${this.path}: no tensor '${name}' in the checkpoint`);
    return e;
  }

  /** dtype (numpy's name, or TF's DT_ name when bert-ts cannot read it) and shape. */
  info(name: string): TensorInfo {
    const e = this.entry(name);
    return { dtype: dtypeFromTF(e.dtype) ?? tfDTypeName(e.dtype), shape: e.shape };
  }

  /** The data files this checkpoint needs that do not exist. */
  missingDataFiles(): string[] {
    const missing: string[] = [];
    for (let s = 0; s < this.header.numShards; s++) {
      const f = dataFile(this.path, s, this.header.numShards);
      if (!existsSync(f)) missing.push(f);
    }
    return missing;
  }

  /** The tensor's stored bytes, after checking their size and crc32c against the index. */
  readBytes(name: string): { dtype: DType; bytes: Uint8Array } {
    const e = this.entry(name);
    const where = `${this.path}: tensor '${name}'`;
    const dtype = dtypeFromTF(e.dtype);
    if (dtype === null)
      throw new FormatError(`${where}: dtype ${tfDTypeName(e.dtype)} is not supported by bert-ts`);
    if (e.slices > 0)
      throw new FormatError(`${where}: a partitioned variable (${e.slices} slices), not supported`);
    if (dtype !== 'string' && e.size !== numElements(e.shape) * ELEMENT_BYTES[dtype])
      throw new FormatError(
        `${where}: ${e.size} bytes for shape [${e.shape.join(',')}] of ${dtype}, expected ${numElements(e.shape) * ELEMENT_BYTES[dtype]}`,
      );
    const bytes = this.readAt(e, where);
    const crc = tensorCrc(dtype, bytes, numElements(e.shape), where);
    if (crc !== e.crc32c)
      throw new FormatError(
        `${where}: crc32c ${hex32(crc)} of its ${e.size} bytes at offset ${e.offset}, the index says ${hex32(e.crc32c)}`,
        'the data file is corrupted or belongs to another checkpoint',
      );
    return { dtype, bytes };
  }

  readTensor(name: string): Tensor {
    const { dtype, bytes } = this.readBytes(name);
    return decodeTensorBytes(
      name,
      dtype,
      this.entry(name).shape,
      bytes,
      `${this.path}: tensor '${name}'`,
    );
  }

  readFloat32(name: string): Float32Array {
    const t = this.readTensor(name);
    const f = toFloat32(t);
    if (f === null)
      throw new UsageError(`${this.path}: tensor '${name}' is ${t.dtype}, not a float tensor`);
    return f;
  }

  close(): void {
    for (const { fd } of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private readAt(e: BundleEntry, where: string): Uint8Array {
    const file = dataFile(this.path, e.shardId, this.header.numShards);
    let open = this.fds.get(e.shardId);
    if (open === undefined) {
      if (!existsSync(file))
        throw new FormatError(
          `${where}: data file ${file} is missing`,
          'copy the .data-* file(s) next to the .index file',
        );
      open = openInputFile(file, 'checkpoint data file');
      this.fds.set(e.shardId, open);
    }
    const { fd, size } = open;
    if (e.offset + e.size > size)
      throw new FormatError(
        `${where}: bytes [${e.offset}, ${e.offset + e.size}) lie past the end of ${file} (${size} bytes)`,
        'truncated data file',
      );
    const buf = new Uint8Array(e.size);
    let got = 0;
    while (got < e.size) {
      const n = readSync(fd, buf, got, e.size - got, e.offset + got);
      if (n === 0) throw new FormatError(`${where}: ${file} ended after ${got} of ${e.size} bytes`);
      got += n;
    }
    return buf;
  }
}
