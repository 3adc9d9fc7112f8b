// EXPECTED_index_listing.tsv (an independent Python parse of every staged .index file), grouped
// by file, for the checkpoint tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../shared.js';

export const CKPT_DIR = join(SHARED, 'fixtures/tf_checkpoint');

export interface ListingRow {
  key: string;
  dtype: string;
  shape: number[];
  shard: number;
  offset: number;
  size: number;
  crc: number;
  values: string;
}

/** file (relative to fixtures/, e.g. tf_checkpoint/x/variables.index) -> header field + rows. */
export function readListing(): Map<
  string,
  { header: string; blockTypes: string; rows: ListingRow[] }
> {
  const out = new Map<string, { header: string; blockTypes: string; rows: ListingRow[] }>();
  const text = readFileSync(join(CKPT_DIR, 'EXPECTED_index_listing.tsv'), 'utf8');
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split('\t');
    const file = f[0]!;
    const group = out.get(file) ?? { header: '', blockTypes: f[8]!, rows: [] };
    out.set(file, group);
    if (f[1] === '<BundleHeaderProto>') {
      group.header = f[9]!;
      continue;
    }
    group.rows.push({
      key: f[1]!,
      dtype: f[2]!,
      shape: JSON.parse(f[3]!) as number[],
      shard: Number(f[4]),
      offset: Number(f[5]),
      size: Number(f[6]),
      crc: parseInt(f[7]!, 16),
      values: f[9] ?? '',
    });
  }
  return out;
}

/** The checkpoint prefix of a listing file name. */
export function prefixOf(file: string): string {
  return join(SHARED, 'fixtures', file.replace(/\.index$/, ''));
}
