// Hugging Face names and conversion both ways on a synthetic BERT-Tiny-shaped checkpoint with
// every head Google writes (pretraining cls/*, run_classifier's top-level output_weights,
// run_squad's cls/squad/*), Adam slots and global_step; layouts checked element by element.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import convertScript from '../../src/cli/convert_checkpoint.js';
import { writeTFCheckpoint } from '../../src/formats/checkpoint/bundle_writer.js';
import { convertCheckpoint } from '../../src/formats/checkpoint/convert.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { updateCheckpointStateFile } from '../../src/formats/checkpoint/paths.js';
import { type Tensor } from '../../src/formats/checkpoint/tensor.js';
import { googleToHf, hfToGoogle, isTrainingState } from '../../src/formats/hf_names.js';
import { SafetensorsFile, writeSafetensors } from '../../src/formats/safetensors.js';
import { silentLogger } from '../../src/util/log.js';
import { CKPT_DIR } from './checkpoint_listing.js';
import { MRPC_343, PRETRAIN_20, tensorsLike } from './checkpoint_tiny.js';
import { TFCheckpointReader } from '../../src/formats/checkpoint/bundle_reader.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'conv-'));
/** Bitwise equality of two typed arrays (vitest's deep equality is slow on 4M elements). */
const bytesOf = (a: Tensor['data']): Buffer =>
  Array.isArray(a) ? Buffer.concat(a) : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBits = (a: Tensor['data'], b: Tensor['data']): boolean => bytesOf(a).equals(bytesOf(b));

describe('Google <-> Hugging Face names', () => {
  it.each([
    ['bert/embeddings/word_embeddings', 'bert.embeddings.word_embeddings.weight', false],
    ['bert/embeddings/LayerNorm/gamma', 'bert.embeddings.LayerNorm.weight', false],
    [
      'bert/encoder/layer_11/attention/self/query/kernel',
      'bert.encoder.layer.11.attention.self.query.weight',
      true,
    ],
    [
      'bert/encoder/layer_0/attention/output/dense/bias',
      'bert.encoder.layer.0.attention.output.dense.bias',
      false,
    ],
    [
      'bert/encoder/layer_1/attention/output/LayerNorm/beta',
      'bert.encoder.layer.1.attention.output.LayerNorm.bias',
      false,
    ],
    [
      'bert/encoder/layer_1/intermediate/dense/kernel',
      'bert.encoder.layer.1.intermediate.dense.weight',
      true,
    ],
    ['bert/encoder/layer_1/output/dense/kernel', 'bert.encoder.layer.1.output.dense.weight', true],
    ['bert/pooler/dense/kernel', 'bert.pooler.dense.weight', true],
    ['cls/predictions/transform/dense/kernel', 'cls.predictions.transform.dense.weight', true],
    [
      'cls/predictions/transform/LayerNorm/gamma',
      'cls.predictions.transform.LayerNorm.weight',
      false,
    ],
    ['cls/predictions/output_bias', 'cls.predictions.bias', false],
    ['cls/seq_relationship/output_weights', 'cls.seq_relationship.weight', false],
    ['output_weights', 'classifier.weight', false],
    ['output_bias', 'classifier.bias', false],
    ['cls/squad/output_weights', 'qa_outputs.weight', false],
  ])('%s <-> %s (transposed: %s)', (g, h, t) => {
    expect(googleToHf(g)).toEqual({ name: h, transpose: t });
    expect(hfToGoogle(h)).toEqual({ name: g, transpose: t });
  });
  it('HF variants: no bert. prefix, old gamma/beta, decoder.bias; buffers and the tied decoder have no Google name', () => {
    expect(hfToGoogle('encoder.layer.0.output.LayerNorm.gamma')).toEqual({
      name: 'bert/encoder/layer_0/output/LayerNorm/gamma',
      transpose: false,
    });
    expect(hfToGoogle('embeddings.LayerNorm.beta')).toEqual({
      name: 'bert/embeddings/LayerNorm/beta',
      transpose: false,
    });
    expect(hfToGoogle('pooler.dense.weight')).toEqual({
      name: 'bert/pooler/dense/kernel',
      transpose: true,
    });
    expect(hfToGoogle('cls.predictions.decoder.bias')).toEqual({
      name: 'cls/predictions/output_bias',
      transpose: false,
    });
    expect(hfToGoogle('bert.embeddings.position_ids')).toBeNull();
    expect(hfToGoogle('cls.predictions.decoder.weight')).toBeNull();
  });
  it("every weight name in Google's real indexes maps to HF and back (Chinese Base, MRPC, pretraining)", () => {
    const files = [
      join(CKPT_DIR, 'chinese_L-12_H-768_A-12/bert_model.ckpt'),
      MRPC_343,
      PRETRAIN_20,
    ];
    const names = new Set(
      files.flatMap((f) => new TFCheckpointReader(f).names()).filter((n) => !isTrainingState(n)),
    );
    expect(names.size).toBe(206 + 2); // Chinese: 199 bert/* + 7 cls/*; MRPC adds output_weights, output_bias
    for (const n of names) expect([n, hfToGoogle(googleToHf(n)!.name)?.name]).toEqual([n, n]);
  });
});

/** A checkpoint with every head: MRPC (classifier, slots, global_step) + pretraining cls/* + SQuAD. */
function allHeads(): Tensor[] {
  const mrpc = tensorsLike(MRPC_343, 7);
  const cls = tensorsLike(PRETRAIN_20, 99).filter(
    (t) => t.name.startsWith('cls/') && !isTrainingState(t.name),
  );
  const squad: Tensor[] = [
    {
      name: 'cls/squad/output_weights',
      dtype: 'float32',
      shape: [2, 128],
      data: Float32Array.from({ length: 256 }, (_, i) => i / 7),
    },
    {
      name: 'cls/squad/output_bias',
      dtype: 'float32',
      shape: [2],
      data: new Float32Array([0.5, -0.5]),
    },
  ];
  return [...mrpc, ...cls, ...squad];
}

describe('convert_checkpoint, TF -> safetensors -> TF', () => {
  const dir = tmp();
  const tensors = allHeads();
  const byName = new Map(tensors.map((t) => [t.name, t]));
  writeTFCheckpoint(join(dir, 'model.ckpt-343'), tensors);
  updateCheckpointStateFile(dir, join(dir, 'model.ckpt-343'), [join(dir, 'model.ckpt-343')]);
  const st = join(dir, 'hf', 'model.safetensors');
  const count = convertCheckpoint(dir, st, silentLogger);

  it('writes weights only (no Adam slots, no global_step), plus the tied decoder, metadata format=pt', () => {
    const f = new SafetensorsFile(st);
    const weights = tensors.filter((t) => !isTrainingState(t.name));
    expect(weights.length).toBe(41 + 7 + 2); // MRPC weights, pretraining cls/*, squad
    expect(count).toBe(weights.length + 1);
    expect(f.names().length).toBe(count);
    expect(f.names().some((n) => n.includes('adam') || n === 'global_step')).toBe(false);
    expect(f.metadata).toEqual({ format: 'pt' });
    const decoder = f.readTensor('cls.predictions.decoder.weight');
    expect(decoder.shape).toEqual([30522, 128]);
    expect(sameBits(decoder.data, byName.get('bert/embeddings/word_embeddings')!.data)).toBe(true);
  });
  it('kernels transposed element by element ([in,out] -> [out,in]); output_weights not transposed', () => {
    const f = new SafetensorsFile(st);
    const g = byName.get('bert/encoder/layer_0/intermediate/dense/kernel')!.data as Float32Array; // [128, 512]
    const h = f.readTensor('bert.encoder.layer.0.intermediate.dense.weight');
    expect(h.shape).toEqual([512, 128]);
    for (let i = 0; i < 128; i++)
      for (let o = 0; o < 512; o++)
        if ((h.data as Float32Array)[o * 128 + i] !== g[i * 512 + o])
          throw new Error(`mismatch at ${i},${o}`);
    for (const [gn, hn] of [
      ['output_weights', 'classifier.weight'],
      ['cls/seq_relationship/output_weights', 'cls.seq_relationship.weight'],
      ['cls/squad/output_weights', 'qa_outputs.weight'],
    ] as const) {
      const t = f.readTensor(hn);
      expect(t.shape).toEqual(byName.get(gn)!.shape);
      expect(t.data).toEqual(byName.get(gn)!.data);
    }
  });
  it('openCheckpoint on the safetensors (or its directory) gives Google names and layouts back', () => {
    for (const path of [st, join(dir, 'hf')]) {
      const src = openCheckpoint(path);
      expect(src.info('bert/encoder/layer_1/output/dense/kernel')).toEqual({
        dtype: 'float32',
        shape: [512, 128],
      });
      const got = src.readFloat32('bert/encoder/layer_1/output/dense/kernel');
      expect(sameBits(got, byName.get('bert/encoder/layer_1/output/dense/kernel')!.data)).toBe(
        true,
      );
      src.close();
    }
  });
  it('and back to a TF checkpoint: every weight bit-exact under its Google name', () => {
    const back = join(dir, 'back', 'bert_model.ckpt');
    convertCheckpoint(st, back, silentLogger);
    const r = new TFCheckpointReader(back);
    expect(r.names()).toEqual([...byName.keys()].filter((n) => !isTrainingState(n)).sort());
    for (const n of r.names())
      expect([n, sameBits(r.readTensor(n).data, byName.get(n)!.data)]).toEqual([n, true]);
    expect(readdirSync(join(dir, 'back')).sort()).toEqual([
      'bert_model.ckpt.data-00000-of-00001',
      'bert_model.ckpt.index',
    ]);
  });
});

describe('reading a Hugging Face BertModel file (no bert. prefix, gamma/beta, position_ids buffer)', () => {
  it('maps to Google names and skips the buffer', () => {
    const path = join(tmp(), 'model.safetensors');
    writeSafetensors(path, [
      {
        name: 'embeddings.LayerNorm.gamma',
        dtype: 'float32',
        shape: [2],
        data: new Float32Array([1, 2]),
      },
      {
        name: 'embeddings.position_ids',
        dtype: 'int64',
        shape: [1, 3],
        data: new BigInt64Array([0n, 1n, 2n]),
      },
      {
        name: 'encoder.layer.0.attention.self.key.weight',
        dtype: 'float16',
        shape: [2, 3],
        data: new Uint16Array([0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600]),
      },
    ]);
    const src = openCheckpoint(path);
    expect(src.names()).toEqual([
      'bert/embeddings/LayerNorm/gamma',
      'bert/encoder/layer_0/attention/self/key/kernel',
    ]);
    expect(src.info('bert/encoder/layer_0/attention/self/key/kernel')).toEqual({
      dtype: 'float16',
      shape: [3, 2],
    });
    // HF [out=2, in=3] rows (1,2,3) (4,5,6) -> Google [in=3, out=2]
    expect([...src.readFloat32('bert/encoder/layer_0/attention/self/key/kernel')]).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
  });
  it('a tensor that is not BERT is an error naming it', () => {
    const path = join(tmp(), 'model.safetensors');
    writeSafetensors(path, [
      { name: 'lm_head.weight', dtype: 'float32', shape: [1], data: new Float32Array(1) },
    ]);
    expect(() => openCheckpoint(path)).toThrow(
      /model\.safetensors: tensor 'lm_head\.weight' is not a BERT parameter/,
    );
  });
});

describe('the convert_checkpoint script', () => {
  it('refuses --from equal to --to, and a TF checkpoint whose tensors are not BERT', async () => {
    await expect(convertScript.main({ from: 'x', to: 'x' }, [])).rejects.toThrow(
      /--from and --to name the same path/,
    );
    const to = join(tmp(), 'm.safetensors');
    await expect(
      convertScript.main({ from: join(CKPT_DIR, 'tf_serving_counter/variables'), to }, []),
    ).rejects.toThrow(/variables: tensor 'counter' has no Hugging Face BERT name/);
    expect(readdirSync(join(to, '..'))).toEqual([]);
  });
});
