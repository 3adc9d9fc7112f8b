// Damaged checkpoints: each fails with one line naming the file and the place (byte, block,
// tensor), never a wrong value.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TFCheckpointReader } from '../../src/formats/checkpoint/bundle_reader.js';
import { TF_BUNDLE_HEADER, encodeBundleIndex } from '../../src/formats/checkpoint/bundle_writer.js';
import { TableBuilder } from '../../src/formats/checkpoint/sstable.js';
import { encodeBundleEntry, encodeBundleHeader } from '../../src/formats/protos.js';
import { FormatError } from '../../src/util/errors.js';
import { CKPT_DIR } from './checkpoint_listing.js';

const SRC = join(CKPT_DIR, 'tf_serving_half_plus_two_mkl/variables');
const SNAPPY_SRC = join(CKPT_DIR, 'tf_serving_half_plus_two_tf2/variables');

/** A copy of a checkpoint in a fresh directory, its index and data edited. */
function damaged(
  src: string,
  edit: { index?: (b: Buffer) => Buffer; data?: (b: Buffer) => Buffer },
): string {
  const prefix = join(mkdtempSync(join(tmpdir(), 'bad-ckpt-')), 'variables');
  writeFileSync(`${prefix}.index`, (edit.index ?? ((b) => b))(readFileSync(`${src}.index`)));
  writeFileSync(
    `${prefix}.data-00000-of-00001`,
    (edit.data ?? ((b) => b))(readFileSync(`${src}.data-00000-of-00001`)),
  );
  return prefix;
}
const flip = (at: (b: Buffer) => number) => (b: Buffer) => {
  const c = Buffer.from(b);
  const i = at(c);
  c[i] = c[i]! ^ 0x01;
  return c;
};

describe('damaged .index files', () => {
  it.each([
    [
      'bad magic',
      { index: flip((b) => b.length - 1) },
      /variables\.index: footer at byte 301: bad table magic 0xda4775248b80fb57, expected 0xdb4775248b80fb57/,
    ],
    [
      'truncated to 40 bytes',
      { index: (b: Buffer) => b.subarray(0, 40) },
      /variables\.index: 40 bytes, shorter than the 48-byte table footer/,
    ],
    [
      'truncated by 100 bytes (footer gone)',
      { index: (b: Buffer) => b.subarray(0, b.length - 100) },
      /variables\.index: footer at byte 201: bad table magic/,
    ],
    [
      'a flipped byte in the data block',
      { index: flip(() => 20) },
      /variables\.index: data block at byte 0: crc32c 0x[0-9a-f]{8}, expected 0x[0-9a-f]{8}/,
    ],
    [
      'a flipped byte in a Snappy block',
      { index: flip(() => 10) },
      /variables\.index: data block at byte 0: crc32c/,
    ],
  ])('%s', (what, edit, msg) => {
    const prefix = damaged(what.includes('Snappy') ? SNAPPY_SRC : SRC, edit);
    expect(() => new TFCheckpointReader(prefix)).toThrow(FormatError);
    expect(() => new TFCheckpointReader(prefix)).toThrow(msg);
  });
  it('a block handle past the footer', () => {
    // Footer: metaindex handle (8c 02, 08), index handle (99 02, 0f); make the index offset 16383.
    const prefix = damaged(SRC, {
      index: (b) => {
        const c = Buffer.from(b);
        const footer = c.length - 48;
        c[footer + 3] = 0xff;
        c[footer + 4] = 0x7f;
        return c;
      },
    });
    expect(() => new TFCheckpointReader(prefix)).toThrow(
      /variables\.index: index block at byte 16383 \(15 bytes\) runs past the footer at byte 301/,
    );
  });
});

describe('damaged or missing data files', () => {
  it('a flipped byte in the data: crc error naming the tensor, other tensors still read', () => {
    const prefix = damaged(SRC, { data: flip(() => 17) }); // inside conv2d/kernel (offset 16)
    const r = new TFCheckpointReader(prefix);
    expect(() => r.readTensor('conv2d/kernel')).toThrow(
      /variables: tensor 'conv2d\/kernel': crc32c 0x[0-9a-f]{8} of its 4 bytes at offset 16, the index says 0x8071c907/,
    );
    expect([...r.readFloat32('b')]).toEqual([2]);
  });
  it('a truncated data file names the tensor and the byte range', () => {
    const r = new TFCheckpointReader(damaged(SRC, { data: (b) => b.subarray(0, 30) }));
    expect(() => r.readTensor('conv2d_2/kernel')).toThrow(
      /tensor 'conv2d_2\/kernel': bytes \[32, 36\) lie past the end of .*variables\.data-00000-of-00001 \(30 bytes\)/,
    );
  });
  it('a missing shard: listing works, reading names the missing file', () => {
    const prefix = damaged(SRC, {});
    rmSync(`${prefix}.data-00000-of-00001`);
    const r = new TFCheckpointReader(prefix);
    expect(r.names().length).toBe(9);
    expect(r.missingDataFiles()).toEqual([`${prefix}.data-00000-of-00001`]);
    expect(() => r.readTensor('a')).toThrow(
      /variables: tensor 'a': data file .*variables\.data-00000-of-00001 is missing/,
    );
  });
  it("another checkpoint's data file: the crc catches the tensors whose bytes differ", () => {
    const prefix = damaged(SRC, {});
    copyFileSync(`${SNAPPY_SRC}.data-00000-of-00001`, `${prefix}.data-00000-of-00001`);
    const r = new TFCheckpointReader(prefix);
    // a, b, c hold 0.5, 2, 3 at offsets 0, 4, 8 in both files; from byte 12 on they differ.
    expect([...r.readFloat32('c')]).toEqual([3]);
    expect(() => r.readTensor('conv2d/kernel')).toThrow(/tensor 'conv2d\/kernel': crc32c/);
  });
});

describe('index entries that are well-framed but wrong', () => {
  const entry = { dtype: 1, shape: [2], shardId: 0, offset: 0, size: 8, crc32c: 0, slices: 0 };
  function indexWith(build: (t: TableBuilder) => void): string {
    const prefix = join(mkdtempSync(join(tmpdir(), 'bad-entry-')), 'x');
    const t = new TableBuilder();
    build(t);
    writeFileSync(`${prefix}.index`, t.finish());
    writeFileSync(`${prefix}.data-00000-of-00001`, new Uint8Array(8));
    return prefix;
  }
  const key = (s: string): Uint8Array => new TextEncoder().encode(s);
  it('no header entry', () => {
    const prefix = indexWith((t) => t.add(key('a'), encodeBundleEntry(entry)));
    expect(() => new TFCheckpointReader(prefix)).toThrow(
      /x\.index: first key is not the header key ""/,
    );
  });
  it('an entry that is not a BundleEntryProto names the tensor', () => {
    const prefix = indexWith((t) => {
      t.add(new Uint8Array(0), encodeBundleHeader(TF_BUNDLE_HEADER));
      t.add(key('w'), new Uint8Array([0xff, 0xff, 0xff]));
    });
    expect(() => new TFCheckpointReader(prefix)).toThrow(
      /x\.index: entry 'w': not a valid BundleEntryProto/,
    );
  });
  it('an unsupported dtype lists under its TF name and fails by name when read; a size that does not fit the shape too', () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'bad-entry-')), 'x');
    writeFileSync(
      `${prefix}.index`,
      encodeBundleIndex(TF_BUNDLE_HEADER, [
        ['r', { ...entry, dtype: 20 }],
        ['s', { ...entry, size: 12 }],
      ]),
    );
    writeFileSync(`${prefix}.data-00000-of-00001`, new Uint8Array(12));
    const r = new TFCheckpointReader(prefix);
    expect(r.info('r')).toEqual({ dtype: 'DT_RESOURCE', shape: [2] });
    expect(() => r.readTensor('r')).toThrow(
      /x: tensor 'r': dtype DT_RESOURCE is not supported by bert-ts/,
    );
    expect(() => r.readTensor('s')).toThrow(
      /x: tensor 's': 12 bytes for shape \[2\] of float32, expected 8/,
    );
  });
});
