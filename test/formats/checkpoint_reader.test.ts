// Reads every staged .index (Google's BERT-Tiny and Chinese BERT-Base, the MRPC fine-tune and
// the pretraining run, tensorflow/serving's complete checkpoints) and compares each entry with
// EXPECTED_index_listing.tsv; reads the complete ones' values with their crcs checked.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TFCheckpointReader } from '../../src/formats/checkpoint/bundle_reader.js';
import { UsageError } from '../../src/util/errors.js';
import { pyFloatRepr } from '../../src/util/py_format.js';
import { CKPT_DIR, prefixOf, readListing } from './checkpoint_listing.js';

const LISTING = readListing();

describe('TF checkpoint index: every staged file against the Python listing', () => {
  it('the listing covers the ten staged indexes', () => {
    expect(LISTING.size).toBe(10);
  });
  it.each([...LISTING.keys()])(
    '%s: names, dtypes, shapes, offsets, sizes, crcs row by row',
    (file) => {
      const { header, rows, blockTypes } = LISTING.get(file)!;
      const r = new TFCheckpointReader(prefixOf(file));
      const count = (c: number): number => r.blocks.filter((b) => b.compression === c).length;
      expect(`snappy=${count(1)},raw=${count(0)}`).toBe(blockTypes);
      expect(header).toBe('num_shards=1 endianness=0 version=0801');
      expect(r.header).toEqual({ numShards: 1, endianness: 0, producer: 1, minConsumer: 0 });
      expect(r.names()).toEqual(rows.map((x) => x.key));
      for (const row of rows) {
        const e = r.entry(row.key);
        expect({
          name: row.key,
          ...r.info(row.key),
          shard: e.shardId,
          offset: e.offset,
          size: e.size,
          crc: e.crc32c,
        }).toEqual({
          name: row.key,
          dtype: row.dtype,
          shape: row.shape,
          shard: row.shard,
          offset: row.offset,
          size: row.size,
          crc: row.crc,
        });
      }
      r.close();
    },
  );

  it.each([
    ['tf_checkpoint/bert_tiny_uncased_L-2_H-128_A-2/bert_model.ckpt.index', 46],
    ['tf_checkpoint/bert_tiny_mrpc_finetuned/model.ckpt-0.index', 124],
    ['tf_checkpoint/bert_tiny_mrpc_finetuned/model.ckpt-343.index', 124],
    ['tf_checkpoint/bert_tiny_pretrain_sample_text/model.ckpt-20.index', 139],
    ['tf_checkpoint/chinese_L-12_H-768_A-12/bert_model.ckpt.index', 206],
  ])('%s holds %i tensors', (file, n) => {
    expect(new TFCheckpointReader(prefixOf(file)).names().length).toBe(n);
  });

  it('BERT-Tiny: word_embeddings [30522,128] float32, the fine-tune adds output_weights [2,128] and int64 global_step', () => {
    const tiny = new TFCheckpointReader(
      join(CKPT_DIR, 'bert_tiny_uncased_L-2_H-128_A-2/bert_model.ckpt'),
    );
    expect(tiny.info('bert/embeddings/word_embeddings')).toEqual({
      dtype: 'float32',
      shape: [30522, 128],
    });
    const step0 = new TFCheckpointReader(join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/model.ckpt-0'));
    const step343 = new TFCheckpointReader(
      join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/model.ckpt-343'),
    );
    expect(step343.info('output_weights')).toEqual({ dtype: 'float32', shape: [2, 128] });
    expect(step343.info('global_step')).toEqual({ dtype: 'int64', shape: [] });
    // The fine-tune started from these weights: at step 0 the 39 bert/* crcs agree; by 343 none do.
    const shared = tiny.names().filter((n) => n.startsWith('bert/'));
    expect(shared.length).toBe(39);
    for (const n of shared) expect(step0.entry(n).crc32c).toBe(tiny.entry(n).crc32c);
    expect(shared.filter((n) => step343.entry(n).crc32c === tiny.entry(n).crc32c)).toEqual([]);
  });
});

describe('TF checkpoint values (complete tensorflow/serving checkpoints)', () => {
  const complete = [...LISTING.keys()].filter((f) => f.includes('tf_serving'));
  it.each(complete)('%s: every tensor read, crc checked, values as listed', (file) => {
    const r = new TFCheckpointReader(prefixOf(file));
    expect(r.missingDataFiles()).toEqual([]);
    for (const row of LISTING.get(file)!.rows) {
      const t = r.readTensor(row.key);
      if (t.dtype === 'string') {
        expect(row.values).toBe(`string tensor, ${row.size} bytes on disk`);
        expect(t.data.length).toBe(1);
        // 619 bytes = varint length (2 bytes) + 4-byte length crc + the serialized object graph.
        expect(t.data[0]!.length).toBe(row.size - 2 - 4);
      } else {
        expect(t.dtype).toBe('float32');
        expect([...(t.data as Float32Array)].map(pyFloatRepr).join(' ')).toBe(row.values);
      }
    }
  });
  it('readFloat32 of a float scalar; a clear error for the string tensor', () => {
    const r = new TFCheckpointReader(join(CKPT_DIR, 'tf_serving_half_plus_two_tf2/variables'));
    expect([...r.readFloat32('b/.ATTRIBUTES/VARIABLE_VALUE')]).toEqual([2]);
    expect(() => r.readFloat32('_CHECKPOINTABLE_OBJECT_GRAPH')).toThrow(
      /variables: tensor '_CHECKPOINTABLE_OBJECT_GRAPH' is string, not a float tensor/,
    );
  });
});

describe('checkpoint paths as TF takes them', () => {
  const dir = join(CKPT_DIR, 'bert_tiny_mrpc_finetuned');
  it('a directory uses model_checkpoint_path of its checkpoint file (relative to the directory)', () => {
    expect(new TFCheckpointReader(dir).path).toBe(join(dir, 'model.ckpt-343'));
  });
  it('model.ckpt-0, and PREFIX.index, name the prefix', () => {
    expect(new TFCheckpointReader(join(dir, 'model.ckpt-0')).path).toBe(join(dir, 'model.ckpt-0'));
    expect(new TFCheckpointReader(join(dir, 'model.ckpt-0.index')).path).toBe(
      join(dir, 'model.ckpt-0'),
    );
  });
  it('a missing prefix and a directory without a checkpoint file are usage errors naming the path', () => {
    expect(() => new TFCheckpointReader(join(dir, 'model.ckpt-7'))).toThrow(
      /model\.ckpt-7: not a checkpoint: neither .*model\.ckpt-7\.index/,
    );
    const empty = mkdtempSync(join(tmpdir(), 'bert-ckpt-dir-'));
    expect(() => new TFCheckpointReader(empty)).toThrow(
      new UsageError(
        `${empty}: directory without a 'checkpoint' file or a bert_model.ckpt checkpoint`,
        `pass a checkpoint prefix, such as ${join(empty, 'model.ckpt-100')}`,
      ),
    );
  });
  it("a directory without a 'checkpoint' file: its bert_model.ckpt (a Google download), else the prefixes it holds", () => {
    const google = join(CKPT_DIR, 'chinese_L-12_H-768_A-12');
    expect(new TFCheckpointReader(google).path).toBe(join(google, 'bert_model.ckpt'));
    const other = mkdtempSync(join(tmpdir(), 'bert-ckpt-dir-'));
    copyFileSync(join(dir, 'model.ckpt-343.index'), join(other, 'model.ckpt-343.index'));
    expect(() => new TFCheckpointReader(other)).toThrow(
      new UsageError(
        `${other}: directory without a 'checkpoint' file or a bert_model.ckpt checkpoint`,
        `pass a checkpoint prefix, such as ${join(other, 'model.ckpt-343')}`,
      ),
    );
  });
  it('an index whose data file is missing lists, and names the missing file when a tensor is read', () => {
    const r = new TFCheckpointReader(join(dir, 'model.ckpt-343'));
    expect(r.missingDataFiles()).toEqual([join(dir, 'model.ckpt-343.data-00000-of-00001')]);
    expect(() => r.readTensor('output_bias')).toThrow(
      /model\.ckpt-343: tensor 'output_bias': data file .*model\.ckpt-343\.data-00000-of-00001 is missing/,
    );
  });
});
