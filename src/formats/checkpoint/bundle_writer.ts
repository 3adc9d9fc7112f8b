// Writes a TF checkpoint as TF's BundleWriter (tensor_bundle.cc) does: one data shard
// PREFIX.data-00000-of-00001 with the tensors' bytes in name order, then PREFIX.index, an
// uncompressed table of key "" -> BundleHeaderProto {num_shards 1, LITTLE, version {producer 1}}
// and name -> BundleEntryProto. Each file goes to a temporary name and is renamed, data first,
// so a crash never leaves an index pointing at a half-written data file.
import { mkdirSync } from '../../host/fs.js';
import { dirname } from 'pathe';
import { UsageError } from '../../util/errors.js';
import { AtomicFileWriter, writeFileAtomicSync } from '../../util/fs.js';
import {
  encodeBundleEntry,
  encodeBundleHeader,
  type BundleEntry,
  type BundleHeader,
} from '../protos.js';
import { dataFile, indexFile } from './paths.js';
import { TableBuilder, TF_TABLE_OPTIONS, type TableOptions } from './sstable.js';
import { compareBytes } from '../../util/bytes.js';
import { ELEMENT_BYTES, TF_DTYPE, type Tensor, numElements } from './tensor.js';
import { encodeTensorBytes, tensorCrc } from './tensor_bytes.js';
import type { LazyTensor } from './source.js';

/** kTensorBundleVersion and kTensorBundleMinConsumer of tensor_bundle.h. */
export const TF_BUNDLE_HEADER: BundleHeader = {
  numShards: 1,
  endianness: 0,
  producer: 1,
  minConsumer: 0,
};

const utf8 = new TextEncoder();

/** The `.index` bytes for these entries (any order; they are sorted bytewise). */
export function encodeBundleIndex(
  header: BundleHeader,
  entries: ReadonlyArray<readonly [string, BundleEntry]>,
  options: TableOptions = TF_TABLE_OPTIONS,
): Uint8Array {
  const keyed = entries.map(([name, e]) => [utf8.encode(name), e] as const);
  keyed.sort((a, b) => compareBytes(a[0], b[0]));
  const table = new TableBuilder(options);
  table.add(new Uint8Array(0), encodeBundleHeader(header));
  for (const [key, e] of keyed) table.add(key, encodeBundleEntry(e));
  return table.finish();
}

/**
 * Writes `tensors` to PREFIX.data-00000-of-00001 and PREFIX.index (creating the directory).
 * Lazy tensors are read one at a time, so a conversion never holds the whole model.
 */
export function writeTFCheckpoint(
  prefix: string,
  tensors: Iterable<Tensor | LazyTensor>,
  options: TableOptions = TF_TABLE_OPTIONS,
): void {
  const list = sortedUnique([...tensors], prefix);
  mkdirSync(dirname(prefix), { recursive: true });
  const data = new AtomicFileWriter(dataFile(prefix, 0, 1));
  const entries: [string, BundleEntry][] = [];
  try {
    let offset = 0;
    for (const t of list) {
      const full = 'load' in t ? t.load() : t;
      const bytes = checkedBytes(full, t, prefix);
      const crc = tensorCrc(full.dtype, bytes, numElements(full.shape), prefix);
      entries.push([
        t.name,
        {
          dtype: TF_DTYPE[full.dtype],
          shape: t.shape,
          shardId: 0,
          offset,
          size: bytes.length,
          crc32c: crc,
          slices: 0,
        },
      ]);
      data.write(bytes);
      offset += bytes.length;
    }
    data.commit();
  } catch (e) {
    data.abort();
    throw e;
  }
  writeFileAtomicSync(indexFile(prefix), encodeBundleIndex(TF_BUNDLE_HEADER, entries, options));
}

function sortedUnique<T extends { name: string }>(list: T[], prefix: string): T[] {
  const keyed = list.map((t) => ({ t, key: utf8.encode(t.name) }));
  keyed.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 0; i < keyed.length; i++) {
    if (keyed[i]!.key.length === 0)
      throw new UsageError(`${prefix}: a tensor with the empty name (reserved for the header)`);
    if (i > 0 && compareBytes(keyed[i - 1]!.key, keyed[i]!.key) === 0)
      throw new UsageError(`${prefix}: tensor '${keyed[i]!.t.name}' given twice`);
  }
  return keyed.map((k) => k.t);
}

function checkedBytes(
  t: Tensor,
  declared: { name: string; dtype: string; shape: number[] },
  prefix: string,
): Uint8Array {
  const n = numElements(declared.shape);
  const where = `${prefix}: tensor '${declared.name}'`;
  if (t.dtype !== declared.dtype)
    throw new UsageError(`${where}: loaded as ${t.dtype}, declared ${declared.dtype}`);
  const count = t.dtype === 'string' ? t.data.length : t.data.byteLength / ELEMENT_BYTES[t.dtype];
  if (count !== n)
    throw new UsageError(
      `${where}: ${count} values for shape [${declared.shape.join(',')}] (${n} elements)`,
    );
  return encodeTensorBytes(t);
}
