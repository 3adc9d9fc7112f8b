// Training checkpoints: a saved checkpoint of the BERT-Tiny MRPC classifier holds exactly the
// tensors (names, shapes, dtypes) of the real TF run's model.ckpt-0 (Heytgala/BERT-Model), the
// last 5 are kept, restore gives back every value, and --init_checkpoint follows the
// assignment map and logs like run_classifier.py.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { writeSafetensors } from '../../src/formats/safetensors.js';
import { AdamWeightDecay, type ParamEntry } from '../../src/train/adam_weight_decay.js';
import {
  initFromCheckpoint,
  latestCheckpoint,
  restoreTrainingCheckpoint,
  saveTrainingCheckpoint,
  type NamedView,
} from '../../src/train/checkpoint_io.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';
import { SHARED } from '../shared.js';

/** Elements where a and b differ (vitest's deep equality is too slow for millions). */
function differing(a: Float32Array, b: Float32Array): number {
  let n = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

const REAL = join(SHARED, 'fixtures/tf_checkpoint/bert_tiny_mrpc_finetuned/model.ckpt-0');

/** The real checkpoint's variables (no slots, no global_step) as a flat model with values. */
function modelLikeReal(seed: number, small = false) {
  const src = openCheckpoint(REAL);
  const names = src
    .names()
    .filter((n) => !/\/adam_[mv]$/.test(n) && n !== 'global_step')
    .filter((n) => !small || n !== 'bert/embeddings/word_embeddings');
  const entries: ParamEntry[] = [];
  let offset = 0;
  const shapes = new Map<string, number[]>();
  for (const name of names) {
    const shape = src.info(name).shape;
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, offset, size, decay: !/LayerNorm|layer_norm|bias/.test(name) });
    shapes.set(name, shape);
    offset += size;
  }
  src.close();
  const k = createReferenceKernels('f32');
  const params = k.alloc(offset);
  for (let i = 0; i < offset; i++) params[i] = Math.sin(i * 0.37 + seed);
  const opt = new AdamWeightDecay(k, entries, offset);
  for (let i = 0; i < offset; i++) [opt.m[i], opt.v[i]] = [Math.cos(i + seed), i % 7];
  const views = (buf: Float32Array): NamedView[] =>
    entries.map((e) => ({
      name: e.name,
      shape: shapes.get(e.name)!,
      data: buf.subarray(e.offset, e.offset + e.size),
    }));
  const slots = (o: AdamWeightDecay<Float32Array>): NamedView[] =>
    [...o.namedSlots()].map((s) => ({ ...s, shape: shapes.get(s.entry.name)! }));
  return { k, entries, params, opt, views, slots, size: offset };
}

describe('saveTrainingCheckpoint', () => {
  it("holds exactly the real run's 124 tensors: variables, adam_m/adam_v, global_step", () => {
    const m = modelLikeReal(1);
    const dir = mkdtempSync(join(tmpdir(), 'bert-ckpt-'));
    const prefix = saveTrainingCheckpoint({
      outputDir: dir,
      step: 0,
      params: m.views(m.params),
      slots: m.slots(m.opt),
      logger: silentLogger,
    });
    const ours = openCheckpoint(prefix);
    const real = openCheckpoint(REAL);
    expect(ours.names()).toEqual(real.names());
    expect(ours.names()).toHaveLength(124);
    for (const n of real.names()) expect(ours.info(n)).toEqual(real.info(n));
    expect(ours.info('global_step')).toEqual({ dtype: 'int64', shape: [] });
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8')).toBe(
      'model_checkpoint_path: "model.ckpt-0"\nall_model_checkpoint_paths: "model.ckpt-0"\n',
    );
    ours.close();
    real.close();
  });

  it('keeps the last 5 and restores every value and the global step', () => {
    const m = modelLikeReal(2, true); // without the 3.9 M word embeddings: seven saves stay fast
    const dir = mkdtempSync(join(tmpdir(), 'bert-ckpt-'));
    for (const step of [0, 10, 20, 30, 40, 50, 60]) {
      m.params[0] = step; // something that differs per checkpoint
      saveTrainingCheckpoint({
        outputDir: dir,
        step,
        params: m.views(m.params),
        slots: m.slots(m.opt),
        logger: silentLogger,
      });
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('.index'));
    expect(files.sort()).toEqual([20, 30, 40, 50, 60].map((s) => `model.ckpt-${s}.index`).sort());
    expect(existsSync(join(dir, 'model.ckpt-10.data-00000-of-00001'))).toBe(false);
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8').split('\n')[0]).toBe(
      'model_checkpoint_path: "model.ckpt-60"',
    );
    const latest = latestCheckpoint(dir)!;
    expect(latest).toBe(join(dir, 'model.ckpt-60'));
    const fresh = modelLikeReal(99, true);
    const step = restoreTrainingCheckpoint(
      latest,
      fresh.views(fresh.params),
      fresh.slots(fresh.opt),
    );
    expect(step).toBe(60);
    expect(differing(fresh.params, m.params)).toBe(0);
    expect(differing(fresh.opt.m, m.opt.m)).toBe(0);
    expect(differing(fresh.opt.v, m.opt.v)).toBe(0);
  });

  it('a checkpoint of another model is refused on restore, naming the tensor', () => {
    const m = modelLikeReal(3, true);
    const dir = mkdtempSync(join(tmpdir(), 'bert-ckpt-'));
    const prefix = saveTrainingCheckpoint({
      outputDir: dir,
      step: 5,
      params: m.views(m.params).filter((v) => v.name !== 'output_bias'),
      slots: [],
      logger: silentLogger,
    });
    expect(() => restoreTrainingCheckpoint(prefix, m.views(m.params), [])).toThrow(
      /model.ckpt-5: tensor output_bias is missing/,
    );
    expect(latestCheckpoint(mkdtempSync(join(tmpdir(), 'bert-none-')))).toBeNull();
  });
});

describe('initFromCheckpoint (get_assignment_map_from_checkpoint)', () => {
  it('loads what the checkpoint has, keeps the head, logs *INIT_FROM_CKPT* like the original', () => {
    const m = modelLikeReal(4, true);
    const dir = mkdtempSync(join(tmpdir(), 'bert-init-'));
    // a pre-trained checkpoint: bert/* only (no output_*, no slots), plus a cls/ tensor we lack
    const pre = m.views(m.params).filter((v) => v.name.startsWith('bert/'));
    const extra = { name: 'cls/predictions/output_bias', shape: [7], data: new Float32Array(7) };
    const prefix = saveTrainingCheckpoint({
      outputDir: dir,
      step: 0,
      params: [...pre, extra],
      slots: [],
      logger: silentLogger,
    });
    const fresh = modelLikeReal(5, true);
    const log = collectingLogger();
    const loaded = initFromCheckpoint(prefix, fresh.views(fresh.params), log);
    expect(loaded.size).toBe(38); // the 39 bert/* tensors less word_embeddings (left out: speed)
    expect(loaded.has('output_weights')).toBe(false);
    const emb = fresh.entries.find((e) => e.name === 'bert/embeddings/position_embeddings')!;
    const slice = (p: Float32Array) => p.subarray(emb.offset, emb.offset + emb.size);
    expect(differing(slice(fresh.params), slice(m.params))).toBe(0);
    const ow = fresh.entries.find((e) => e.name === 'output_weights')!;
    expect(fresh.params[ow.offset]).toBe(Math.fround(Math.sin(ow.offset * 0.37 + 5))); // kept
    expect(log.lines).toContain('INFO:**** Trainable Variables ****');
    expect(log.lines).toContain(
      'INFO:  name = bert/embeddings/position_embeddings:0, shape = (512, 128), *INIT_FROM_CKPT*',
    );
    expect(log.lines).toContain('INFO:  name = output_bias:0, shape = (2,)');
    expect(log.lines).toContain('INFO:  name = output_weights:0, shape = (2, 128)');
  });

  it('a checkpoint sharing no variable with the model is refused, not silently ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-init-'));
    const prefix = saveTrainingCheckpoint({
      outputDir: dir,
      step: 0,
      params: [{ name: 'some/other/model', shape: [3], data: new Float32Array(3) }],
      slots: [],
      logger: silentLogger,
    });
    const m = modelLikeReal(7, true);
    expect(() => initFromCheckpoint(prefix, m.views(m.params), silentLogger)).toThrow(
      /model.ckpt-0: none of its 2 tensors is a variable of this model \(such as bert\/embeddings/,
    );
  });

  it('a shape mismatch is a ShapeError naming the file and the tensor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-init-'));
    const prefix = saveTrainingCheckpoint({
      outputDir: dir,
      step: 0,
      params: [{ name: 'output_bias', shape: [3], data: new Float32Array(3) }],
      slots: [],
      logger: silentLogger,
    });
    const m = modelLikeReal(6, true);
    expect(() => initFromCheckpoint(prefix, m.views(m.params), silentLogger)).toThrow(
      /model.ckpt-0: tensor output_bias: shape \[3\] in the checkpoint, the model has \[2\]/,
    );
  });
});

describe('the one loader: names, shapes and dtypes, naming the checkpoint and the config', () => {
  const CONFIG = 'some/dir/bert_config.json';
  /** A checkpoint in a fresh directory holding `tensors` (TF format). */
  function checkpointOf(...tensors: NamedView[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'bert-fit-'));
    return saveTrainingCheckpoint({
      outputDir: dir,
      step: 0,
      params: tensors,
      slots: [],
      logger: silentLogger,
    });
  }

  it('a transposed table (same element count) is refused, from a TF checkpoint and from safetensors', () => {
    const m = modelLikeReal(8, true);
    const data = new Float32Array(256);
    const name = 'bert/embeddings/token_type_embeddings'; // [2, 128] in the model
    const prefix = checkpointOf({ name, shape: [128, 2], data });
    const want = `tensor ${name}: shape [128,2] in the checkpoint, the model built from ${CONFIG} has [2,128]`;
    expect(() => initFromCheckpoint(prefix, m.views(m.params), silentLogger, CONFIG)).toThrow(
      `${prefix}: ${want}`,
    );
    const st = join(mkdtempSync(join(tmpdir(), 'bert-fit-')), 'model.safetensors');
    const hfName = 'bert.embeddings.token_type_embeddings.weight';
    writeSafetensors(st, [{ name: hfName, dtype: 'float32', shape: [128, 2], data }]);
    expect(() => initFromCheckpoint(st, m.views(m.params), silentLogger, CONFIG)).toThrow(
      `${st}: ${want}`,
    );
    const only = m.views(m.params).filter((v) => v.name === name);
    expect(() => restoreTrainingCheckpoint(prefix, only, [], CONFIG)).toThrow(want);
  });

  it('an integer tensor under a variable name is refused by dtype', () => {
    const st = join(mkdtempSync(join(tmpdir(), 'bert-fit-')), 'model.safetensors');
    const name = 'bert/pooler/dense/bias';
    writeSafetensors(st, [{ name, dtype: 'int32', shape: [128], data: new Int32Array(128) }]);
    const m = modelLikeReal(9, true);
    expect(() => initFromCheckpoint(st, m.views(m.params), silentLogger)).toThrow(
      `${st}: tensor ${name}: dtype int32, a model variable is float32`,
    );
  });

  it('encoder tensors the model lacks (a deeper checkpoint, a smaller config) are refused', () => {
    const m = modelLikeReal(10, true);
    const deeper = { name: 'bert/encoder/layer_2/output/dense/bias', shape: [128] };
    const prefix = checkpointOf(...m.views(m.params).filter((v) => v.name.startsWith('bert/')), {
      ...deeper,
      data: new Float32Array(128),
    });
    expect(() => initFromCheckpoint(prefix, m.views(m.params), silentLogger, CONFIG)).toThrow(
      `${prefix}: 1 encoder tensor(s) the model built from ${CONFIG} lacks, such as ${deeper.name}`,
    );
  });
});
