// The writer: re-encoding Google's own indexes gives their exact bytes; a BERT-Tiny-shaped
// checkpoint round-trips bit-exactly, with the crcs TF wrote for the same values.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TFCheckpointReader } from '../../src/formats/checkpoint/bundle_reader.js';
import {
  TF_BUNDLE_HEADER,
  encodeBundleIndex,
  writeTFCheckpoint,
} from '../../src/formats/checkpoint/bundle_writer.js';
import {
  readCheckpointState,
  updateCheckpointStateFile,
} from '../../src/formats/checkpoint/paths.js';
import { type Tensor } from '../../src/formats/checkpoint/tensor.js';
import { CKPT_DIR, prefixOf, readListing } from './checkpoint_listing.js';
import { bertTinyTensors } from './checkpoint_tiny.js';

const LISTING = readListing();
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ckpt-'));

describe('index writer: byte for byte what TF wrote', () => {
  // The tf_serving tf1/tf2 indexes hold a Snappy block, which TF's BundleWriter no longer writes.
  const raw = [...LISTING.keys()].filter((f) => !/half_plus_two_tf[12]/.test(f));
  it.each(raw)('%s re-encodes to identical bytes', (file) => {
    const r = new TFCheckpointReader(prefixOf(file));
    const bytes = encodeBundleIndex(
      r.header,
      r.names().map((n) => [n, r.entry(n)] as const),
    );
    expect(Buffer.compare(Buffer.from(bytes), readFileSync(prefixOf(file) + '.index'))).toBe(0);
  });
  it('a small block size cuts several data blocks with shortened index keys, read back the same', () => {
    const r = new TFCheckpointReader(join(CKPT_DIR, 'chinese_L-12_H-768_A-12/bert_model.ckpt'));
    const entries = r.names().map((n) => [n, r.entry(n)] as const);
    const bytes = encodeBundleIndex(TF_BUNDLE_HEADER, entries, {
      blockSize: 256,
      restartInterval: 16,
    });
    const dir = tmp();
    writeFileSync(join(dir, 'x.index'), bytes);
    const back = new TFCheckpointReader(join(dir, 'x'));
    expect(r.blocks.filter((b) => b.kind === 'data').length).toBe(1);
    expect(back.blocks.filter((b) => b.kind === 'data').length).toBeGreaterThan(20);
    expect(back.names()).toEqual(r.names());
    for (const n of r.names()) expect(back.entry(n)).toEqual(r.entry(n));
  });
});

describe('writeTFCheckpoint: a BERT-Tiny-shaped checkpoint', () => {
  const tensors = bertTinyTensors(1234);
  const dir = tmp();
  const prefix = join(dir, 'model.ckpt-343');
  writeTFCheckpoint(prefix, tensors);

  it('writes exactly PREFIX.index and PREFIX.data-00000-of-00001 (no temporaries left)', () => {
    expect(readdirSync(dir).sort()).toEqual([
      'model.ckpt-343.data-00000-of-00001',
      'model.ckpt-343.index',
    ]);
  });
  it('reads back every tensor bit-exactly, names sorted bytewise, dtypes incl. int64 global_step', () => {
    const r = new TFCheckpointReader(prefix);
    const names = tensors
      .map((t) => t.name)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(r.names()).toEqual(names);
    for (const t of tensors) {
      const back = r.readTensor(t.name);
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(
        Buffer.from((back.data as Float32Array).buffer).equals(
          Buffer.from((t.data as Float32Array).buffer),
        ),
      ).toBe(true);
    }
    expect(r.readTensor('global_step').data).toEqual(new BigInt64Array([343n]));
  });
  it('lays tensors out as Google did (same offsets and sizes as the real MRPC checkpoint)', () => {
    const real = new TFCheckpointReader(join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/model.ckpt-343'));
    const mine = new TFCheckpointReader(prefix);
    expect(mine.names()).toEqual(real.names());
    for (const n of real.names()) {
      const { crc32c: _a, ...want } = real.entry(n);
      const { crc32c: _b, ...got } = mine.entry(n);
      expect(got).toEqual(want);
    }
  });
  it("crcs equal TF's for the same values: global_step 343 and all 80 zero Adam slots of step 0", () => {
    const step0 = new TFCheckpointReader(join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/model.ckpt-0'));
    const mine = new TFCheckpointReader(prefix);
    expect(mine.entry('global_step').crc32c).toBe(0x5603eae0);
    const slots = step0.names().filter((n) => /\/adam_[mv]$/.test(n));
    expect(slots.length).toBe(82);
    for (const n of slots) expect([n, mine.entry(n).crc32c]).toEqual([n, step0.entry(n).crc32c]);
  });
  it('rejects a duplicate name and a tensor whose data does not fit its shape, leaving no files', () => {
    const d = tmp();
    const a: Tensor = { name: 'a', dtype: 'float32', shape: [2], data: new Float32Array(2) };
    expect(() => writeTFCheckpoint(join(d, 'x'), [a, a])).toThrow(/x: tensor 'a' given twice/);
    const bad: Tensor = { name: 'b', dtype: 'float32', shape: [3], data: new Float32Array(2) };
    expect(() => writeTFCheckpoint(join(d, 'x'), [a, bad])).toThrow(
      /x: tensor 'b': 2 values for shape \[3\]/,
    );
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('the checkpoint state file', () => {
  it("writes TF's text format, relative paths inside the directory, and reads it back", () => {
    const dir = tmp();
    updateCheckpointStateFile(dir, join(dir, 'model.ckpt-343'), [
      join(dir, 'model.ckpt-0'),
      join(dir, 'model.ckpt-343'),
    ]);
    const real = readFileSync(join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/checkpoint'), 'utf8');
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8')).toBe(real);
    expect(readCheckpointState(join(dir, 'checkpoint'))).toEqual({
      modelCheckpointPath: 'model.ckpt-343',
      allModelCheckpointPaths: ['model.ckpt-0', 'model.ckpt-343'],
    });
  });
});

describe('every dtype through a TF checkpoint', () => {
  it("rewrites TF2's object-graph checkpoint: values equal, and the crcs (string tensor included) equal TF's", () => {
    const real = new TFCheckpointReader(join(CKPT_DIR, 'tf_serving_half_plus_two_tf2/variables'));
    const prefix = join(tmp(), 'variables');
    writeTFCheckpoint(
      prefix,
      real.names().map((n) => real.readTensor(n)),
    );
    const mine = new TFCheckpointReader(prefix);
    for (const n of real.names()) {
      expect([n, mine.entry(n).crc32c, mine.entry(n).size]).toEqual([
        n,
        real.entry(n).crc32c,
        real.entry(n).size,
      ]);
      expect(mine.readTensor(n)).toEqual(real.readTensor(n));
    }
  });
  it('float16, bfloat16, float64, int32, int64, bool and string tensors round-trip bit-exactly', () => {
    const tensors: Tensor[] = [
      { name: 'h', dtype: 'float16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x7c00]) },
      { name: 'bf', dtype: 'bfloat16', shape: [2], data: new Uint16Array([0x3f80, 0xbf80]) },
      { name: 'd', dtype: 'float64', shape: [2, 1], data: new Float64Array([0.1, -1e300]) },
      { name: 'i', dtype: 'int32', shape: [2], data: new Int32Array([-1, 2 ** 31 - 1]) },
      { name: 'l', dtype: 'int64', shape: [], data: new BigInt64Array([-(2n ** 62n)]) },
      { name: 'b', dtype: 'bool', shape: [2], data: new Uint8Array([1, 0]) },
      {
        name: 's',
        dtype: 'string',
        shape: [3],
        data: [new Uint8Array([]), new Uint8Array(200).fill(65), new Uint8Array([0, 255])],
      },
    ];
    const prefix = join(tmp(), 'all');
    writeTFCheckpoint(prefix, tensors);
    const r = new TFCheckpointReader(prefix);
    for (const t of tensors) expect(r.readTensor(t.name)).toEqual(t);
    expect([...r.readFloat32('h')]).toEqual([1, -2, Infinity]);
    expect([...r.readFloat32('bf')]).toEqual([1, -1]);
    expect(r.info('h')).toEqual({ dtype: 'float16', shape: [3] });
    expect(() => r.readFloat32('i')).toThrow(/all: tensor 'i' is int32, not a float tensor/);
  });
});
