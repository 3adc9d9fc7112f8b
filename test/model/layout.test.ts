// The parameter layout against Google's own checkpoint indexes (shared/data): every name and TF
// shape the model + classifier head declares is exactly what run_classifier saved, and the
// decay flags follow optimization.py's exclude list.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { BertConfig } from '../../src/model/config.js';
import { addClassifierParams } from '../../src/model/heads/classifier.js';
import { addBertParams, ParamLayout, usesWeightDecay } from '../../src/model/layout.js';
import { ConfigError } from '../../src/util/errors.js';
import { SHARED } from '../shared.js';

const CKPT = join(SHARED, 'fixtures', 'tf_checkpoint');

/** name → shape of the checkpoint's trainable tensors (no Adam slots, no global_step, no cls/). */
function trainableShapes(path: string): Map<string, number[]> {
  const src = openCheckpoint(path);
  const out = new Map<string, number[]>();
  for (const name of src.names()) {
    if (/\/adam_[mv]$/.test(name) || name === 'global_step' || name.startsWith('cls/')) continue;
    out.set(name, src.info(name).shape);
  }
  src.close();
  return out;
}

function layoutShapes(layout: ParamLayout): Map<string, number[]> {
  return new Map(layout.entries.map((e) => [e.name, [...e.shape]]));
}

describe('ParamLayout vs Google checkpoints', () => {
  it('BERT-Tiny + 2-label classifier = run_classifier MRPC model.ckpt-0 (41 tensors, names and shapes)', () => {
    const config = BertConfig.fromJsonFile(
      join(SHARED, 'configs', 'uncased_L-2_H-128_A-2', 'bert_config.json'),
    );
    const layout = new ParamLayout();
    addBertParams(layout, config);
    addClassifierParams(layout, 2, config.hidden_size);
    const want = trainableShapes(join(CKPT, 'bert_tiny_mrpc_finetuned', 'model.ckpt-0'));
    expect(want.size).toBe(41);
    expect(layoutShapes(layout)).toEqual(want);
    expect(layout.size).toBe(4385920 + 2 * 128 + 2); // BERT-Tiny's 4,385,920 + the head
  });

  it('Chinese BERT-Base: the bert/* tensors of Google’s index (199 tensors)', () => {
    const config = BertConfig.fromJsonFile(
      join(SHARED, 'configs', 'chinese_L-12_H-768_A-12', 'bert_config.json'),
    );
    const layout = new ParamLayout();
    addBertParams(layout, config);
    const want = trainableShapes(join(CKPT, 'chinese_L-12_H-768_A-12', 'bert_model.ckpt'));
    expect(want.size).toBe(199);
    expect(layoutShapes(layout)).toEqual(want);
  });

  it('offsets tile the buffer in order; decay is off for LayerNorm, layer_norm and every bias', () => {
    const config = BertConfig.fromJsonFile(
      join(SHARED, 'configs', 'uncased_L-12_H-768_A-12', 'bert_config.json'),
    );
    const layout = new ParamLayout();
    addBertParams(layout, config);
    addClassifierParams(layout, 2, 768);
    let offset = 0;
    for (const e of layout.entries) {
      expect(e.offset).toBe(offset);
      offset += e.size;
    }
    expect(layout.size).toBe(109482240 + 2 * 768 + 2); // BERT-Base: 109,482,240 parameters
    const noDecay = layout.entries.filter((e) => !e.decay).map((e) => e.name);
    expect(noDecay.length).toBe(2 + 12 * (6 + 4) + 1 + 1); // LN pairs, 6 biases + 2 LN pairs a layer
    expect(noDecay).toContain('output_bias');
    expect(layout.entry('output_weights').decay).toBe(true);
    expect(usesWeightDecay('cls/predictions/transform/layer_norm/x')).toBe(false);
    expect(usesWeightDecay('bert/embeddings/word_embeddings')).toBe(true);
  });

  it('a name added twice or looked up and missing is a ConfigError naming it', () => {
    const layout = new ParamLayout();
    layout.add('a/kernel', [2, 3], { kind: 'zeros' });
    expect(() => layout.add('a/kernel', [2, 3], { kind: 'zeros' })).toThrow(
      new ConfigError('parameter layout: a/kernel is added twice'),
    );
    expect(() => layout.entry('b')).toThrow('parameter layout: no tensor named b');
  });
});
