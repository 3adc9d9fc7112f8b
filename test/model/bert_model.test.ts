// modeling_test.py's BertModelTest shapes (batch 13, seq 7, vocab 99, hidden 32, 5 layers, 4
// heads, intermediate 37, type_vocab 16, is_training) with value checks: LayerNorm rows, dropout
// rate, tanh range, seeds, padding invariance, initialisation statistics and the bad-input errors.
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { BertConfig } from '../../src/model/config.js';
import { BertModel, type BertBatch } from '../../src/model/bert_model.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { initParameters } from '../../src/model/init.js';
import { addBertParams, ParamLayout } from '../../src/model/layout.js';
import { ParameterStore } from '../../src/model/parameters.js';
import { ConfigError, ShapeError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';
import { tinyBatch, tinyConfig } from './tiny.js';

const k = createReferenceKernels('f64');
const CONFIG = new BertConfig(99, {
  hidden_size: 32,
  num_hidden_layers: 5,
  num_attention_heads: 4,
  intermediate_size: 37,
  type_vocab_size: 16,
});
const [B, T, C] = [13, 7, 32];

function randomBatch(seed: number): BertBatch {
  const rng = new Rng(seed);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(99));
  const mask = Int32Array.from({ length: B * T }, () => rng.int(2));
  const types = Int32Array.from({ length: B * T }, () => rng.int(16));
  return { batchSize: B, seqLength: T, inputIds: ids, inputMask: mask, segmentIds: types };
}

function buildModel(maxBatch = B, maxSeq = T) {
  const layout = new ParamLayout();
  addBertParams(layout, CONFIG);
  const store = new ParameterStore(k, layout);
  initParameters(store, 3);
  return new BertModel(k, CONFIG, store, { maxBatch, maxSeq });
}

/** Per-row mean and (biased) variance of a (R,C) buffer. */
function rowStats(x: ArrayLike<number>, R: number): { mean: number; v: number }[] {
  return Array.from({ length: R }, (_, r) => {
    let m = 0;
    for (let c = 0; c < C; c++) m += x[r * C + c]!;
    m /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[r * C + c]! - m) ** 2;
    return { mean: m, v: v / C };
  });
}

describe('BertModel (modeling_test.py shapes: B 13, T 7, V 99, H 32, L 5, NH 4, I 37)', () => {
  const model = buildModel();
  const out = model.forward(randomBatch(1), { training: true, seed: 7 });

  it('outputs have modeling_test’s shapes: embedding/sequence [13,7,32], pooled [13,32], 5 layers', () => {
    expect([out.B, out.T]).toEqual([B, T]);
    expect(out.embeddingOutput.length).toBe(B * T * C);
    expect(out.sequence.length).toBe(B * T * C);
    expect(out.pooled.length).toBe(B * C);
    expect(out.layers.length).toBe(5);
    expect(out.sequence).toBe(out.layers[4]);
  });

  it('training: LayerNorm rows before dropout have mean 0, variance 1 (|err| < 1e-8); ~10% dropped', () => {
    // Embedding sums have variance ~1e-3 (σ 0.02 tables), so eps 1e-12 leaves var = 1 − ~1e-9.
    for (const { mean, v } of rowStats(model.arena.embeddings.norm, B * T)) {
      expect(Math.abs(mean)).toBeLessThan(1e-10);
      expect(Math.abs(v - 1)).toBeLessThan(1e-8);
    }
    const zeros = out.embeddingOutput.filter((x) => x === 0).length / (B * T * C);
    expect(Math.abs(zeros - 0.1)).toBeLessThan(0.03); // 2912 elements: σ ≈ 0.0056
  });

  it('eval: every layer output row has mean 0 and variance 1 (gamma 1, beta 0 at init); pooled in (−1,1)', () => {
    const ev = model.forward(randomBatch(1), { training: false, seed: 7 });
    for (const layer of ev.layers) {
      for (const { mean, v } of rowStats(layer, B * T)) {
        expect(Math.abs(mean)).toBeLessThan(1e-10);
        expect(Math.abs(v - 1)).toBeLessThan(1e-10);
      }
    }
    expect(ev.pooled.every((x) => Math.abs(x) < 1)).toBe(true);
    expect(ev.pooled.some((x) => x !== 0)).toBe(true);
  });

  it('the same seed gives the same masks and outputs, another seed others; eval ignores the seed', () => {
    const run = (training: boolean, seed: number) =>
      Float64Array.from(model.forward(randomBatch(1), { training, seed }).sequence);
    expect(run(true, 7)).toEqual(run(true, 7));
    expect(run(true, 7)).not.toEqual(run(true, 8));
    expect(run(false, 7)).toEqual(run(false, 8));
  });
});

describe('one arena, any batch up to its limits', () => {
  it('a row padded to T 9 gives bit-identical outputs at its real positions to T 5', () => {
    const model = buildModel(4, 9);
    const short = tinyBatch(); // B 2, T 5; row 1 has a padded position
    const pad = (a: Int32Array) =>
      Int32Array.from({ length: 18 }, (_, i) =>
        i % 9 < 5 ? a[Math.floor(i / 9) * 5 + (i % 9)]! : 0,
      );
    const long: BertBatch = {
      batchSize: 2,
      seqLength: 9,
      inputIds: pad(short.inputIds),
      inputMask: pad(short.inputMask!),
      segmentIds: pad(short.segmentIds!),
    };
    const a = model.forward(long, { training: false, seed: 0 });
    const wantPooled = Float64Array.from(a.pooled);
    const wantSeq = Float64Array.from(a.sequence);
    const b = model.forward(short, { training: false, seed: 0 });
    expect(Float64Array.from(b.pooled)).toEqual(wantPooled);
    for (let row = 0; row < 2; row++)
      for (let t = 0; t < 5; t++)
        expect(b.sequence.subarray((row * 5 + t) * C, (row * 5 + t + 1) * C)).toEqual(
          wantSeq.subarray((row * 9 + t) * C, (row * 9 + t + 1) * C),
        );
  });

  it('missing input_mask means all ones and missing segment ids mean zeros', () => {
    const model = buildModel(2, 5);
    const { inputIds } = tinyBatch();
    const full: BertBatch = {
      batchSize: 2,
      seqLength: 5,
      inputIds,
      inputMask: new Int32Array(10).fill(1),
      segmentIds: new Int32Array(10),
    };
    const want = Float64Array.from(model.forward(full, { training: false, seed: 0 }).pooled);
    expect(
      Float64Array.from(
        model.forward({ batchSize: 2, seqLength: 5, inputIds }, { training: false, seed: 0 })
          .pooled,
      ),
    ).toEqual(want);
  });
});

function maxAbs(x: Float64Array): number {
  return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

describe('inference arena (limits.inference: layers share their buffers)', () => {
  it('gives bit-identical layer outputs and pooled output; refuses training and backward', () => {
    const full = buildModel();
    const lean = new BertModel(k, CONFIG, full.store, { maxBatch: B, maxSeq: T, inference: true });
    const opts = { training: false, seed: 0 };
    const want = full.forward(randomBatch(2), opts);
    const got = lean.forward(randomBatch(2), opts);
    got.layers.forEach((layer, l) => expect(layer).toEqual(want.layers[l]));
    expect(got.pooled).toEqual(want.pooled);
    expect(() => lean.backward()).toThrow(ConfigError);
    expect(() => lean.forward(randomBatch(2), { training: true, seed: 0 })).toThrow(
      'BertModel: built for inference (limits.inference), not for training',
    );
  });
});

describe('initialisation (modeling.create_initializer, run_classifier output_weights)', () => {
  it('truncated normal within 2σ with σ = initializer_range; biases 0, gammas 1; reproducible', () => {
    const m = createClassifierModel(
      k,
      new BertConfig(500, {
        hidden_size: 64,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 64,
        initializer_range: 0.05,
      }),
      { numLabels: 2, maxBatch: 1, maxSeq: 2, seed: 9 },
    );
    const word = m.store.view('bert/embeddings/word_embeddings');
    const sd = Math.sqrt(word.reduce((s, x) => s + x * x, 0) / word.length);
    expect(maxAbs(word)).toBeLessThanOrEqual(0.1);
    // sd of N(0,1) truncated at ±2 is 0.8796: 0.05·0.8796 = 0.04398 (32000 draws: ±0.5%)
    expect(Math.abs(sd / 0.04398 - 1)).toBeLessThan(0.02);
    expect(maxAbs(m.store.view('output_weights'))).toBeLessThanOrEqual(0.04);
    expect(m.store.view('bert/pooler/dense/bias').every((x) => x === 0)).toBe(true);
    expect(m.store.view('bert/encoder/layer_0/output/LayerNorm/gamma').every((x) => x === 1)).toBe(
      true,
    );
    const again = createClassifierModel(k, m.model.config, {
      numLabels: 2,
      maxBatch: 1,
      maxSeq: 2,
      seed: 9,
    });
    expect(again.store.params.every((x, i) => x === m.store.params[i])).toBe(true);
  });
});

describe('bad input', () => {
  const model = buildModel(2, 5);
  const batch = tinyBatch();
  it('a batch beyond the arena or max_position_embeddings is a ShapeError', () => {
    expect(() => model.forward({ ...batch, batchSize: 3 }, { training: false, seed: 0 })).toThrow(
      new ShapeError("BertModel: batch (3, 5) is outside the arena's (2, 5)"),
    );
    const small = new BertConfig(99, { ...tinyConfig(0), max_position_embeddings: 4 });
    const layout = new ParamLayout();
    addBertParams(layout, small);
    const m2 = new BertModel(k, small, new ParameterStore(k, layout), { maxBatch: 2, maxSeq: 5 });
    expect(() => m2.forward(batch, { training: false, seed: 0 })).toThrow(
      'BertModel: seq_length 5 > max_position_embeddings 4',
    );
  });

  it('short input arrays and out-of-vocabulary ids are ShapeErrors naming the tensor', () => {
    expect(() =>
      model.forward({ ...batch, inputMask: new Int32Array(9) }, { training: false, seed: 0 }),
    ).toThrow('BertModel: input_mask has 9 elements, expected B·T = 2·5');
    const ids = batch.inputIds.slice();
    ids[6] = 99;
    expect(() => model.forward({ ...batch, inputIds: ids }, { training: false, seed: 0 })).toThrow(
      'embeddings: input_ids[1][1] = 99 is outside the table of 99 rows',
    );
  });

  it('hidden size not divisible by heads, or an unknown activation, is a ConfigError', () => {
    const layout = new ParamLayout();
    const store = new ParameterStore(k, layout);
    const bad = { ...tinyConfig(0), num_attention_heads: 3 };
    expect(() => new BertModel(k, bad, store, { maxBatch: 1, maxSeq: 1 })).toThrow(
      new ConfigError('The hidden size (8) is not a multiple of the number of attention heads (3)'),
    );
    expect(
      () =>
        new BertModel(k, { ...tinyConfig(0), hidden_act: 'swish' }, store, {
          maxBatch: 1,
          maxSeq: 1,
        }),
    ).toThrow('Unsupported activation: swish');
  });
});
