// The files of an exported folder, read back: config.json (every BertConfig field, hidden_act
// mapped to the HF name of the same function, the head's fields), model.safetensors (the same
// weights under HF names), onnx/model.onnx (opset 17, the three int64 inputs, standard ops only),
// bert_ts.json; and the failures, which leave no folder behind.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hfActivation, hfConfigJson } from '../../src/export/hf_config.js';
import { writeHfFolder, type ExportSource } from '../../src/export/hf_folder.js';
import { writeTFCheckpoint } from '../../src/formats/checkpoint/bundle_writer.js';
import { lazyTensors, openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { modelMeta, modelMetaJson, type ModelMetaFields } from '../../src/formats/model_folder.js';
import { exportModel } from '../../src/export/export_model.js';
import { BertConfig } from '../../src/model/config.js';
import { ConfigError, UsageError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';
import { SHARED } from '../shared.js';
import { BROWN } from './fixture.js';

const config = BertConfig.fromJsonFile(join(BROWN, 'bert_config.json'));
const H = config.hidden_size;

/** The Brown weights plus a classifier head of `n` outputs, as a TF checkpoint prefix. */
function classifierCheckpoint(n: number): string {
  const prefix = join(mkdtempSync(join(tmpdir(), 'bert-export-ckpt-')), 'model.ckpt-1');
  const brown = openCheckpoint(join(BROWN, 'bert_model.ckpt'));
  const w = Float32Array.from({ length: n * H }, (_, i) => Math.sin(i) * 0.02);
  writeTFCheckpoint(prefix, [
    ...lazyTensors(
      brown,
      brown.names().filter((x) => x.startsWith('bert/')),
    ),
    { name: 'output_weights', dtype: 'float32', shape: [n, H], data: w },
    {
      name: 'output_bias',
      dtype: 'float32',
      shape: [n],
      data: Float32Array.of(...Array(n).fill(0.1)),
    },
  ]);
  brown.close();
  return prefix;
}

function source(weights: string, meta: Partial<ModelMetaFields> = {}): ExportSource {
  return {
    config,
    configFile: join(BROWN, 'bert_config.json'),
    vocabFile: join(BROWN, 'vocab.txt'),
    weights: openCheckpoint(weights),
    meta: modelMeta({
      task_name: 'mrpc',
      labels: ['0', '1'],
      is_regression: false,
      do_lower_case: true,
      max_seq_length: 128,
      ...meta,
    }),
  };
}

const json = (dir: string, f: string) =>
  JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;

describe('config.json', () => {
  it("maps Google's activations to the HF names of the same functions", () => {
    expect(['gelu', 'GELU', 'relu', 'tanh', 'linear', ''].map(hfActivation)).toEqual([
      'gelu_new',
      'gelu_new',
      'relu',
      'tanh',
      'linear',
      'linear',
    ]);
    expect(() => hfActivation('swish')).toThrow(ConfigError);
  });

  it('keeps every BertConfig field and the Chinese config extra keys; a bare encoder is BertModel', () => {
    const chinese = BertConfig.fromJsonFile(
      join(SHARED, 'configs/chinese_L-12_H-768_A-12/bert_config.json'),
    );
    const c = JSON.parse(hfConfigJson(chinese, { kind: 'encoder' }, 0)) as Record<string, unknown>;
    for (const [k, v] of Object.entries(chinese.toDict()))
      expect(c[k], k).toEqual(k === 'hidden_act' ? 'gelu_new' : v);
    expect(c).toMatchObject({
      model_type: 'bert',
      architectures: ['BertModel'],
      layer_norm_eps: 1e-12,
    });
    expect(c.id2label).toBeUndefined();
  });

  it('regression: one output, problem_type regression', () => {
    const c = JSON.parse(
      hfConfigJson(config, { kind: 'classifier', labels: [], regression: true }, 0),
    ) as Record<string, unknown>;
    expect(c).toMatchObject({
      problem_type: 'regression',
      id2label: { 0: 'LABEL_0' },
      label2id: { LABEL_0: 0 },
    });
  });
});

describe('an exported classifier folder', () => {
  const ckpt = classifierCheckpoint(3);
  const dir = join(mkdtempSync(join(tmpdir(), 'bert-export-out-')), 'hf');
  beforeAll(async () => {
    await writeHfFolder(
      source(ckpt, { labels: ['a', 'b', 'c'], task_name: 'mnli' }),
      dir,
      silentLogger,
    );
  });

  it('holds the Hugging Face files and the bert-ts ones, nothing else', () => {
    expect(readdirSync(dir).sort()).toEqual([
      'bert_config.json',
      'bert_ts.json',
      'config.json',
      'model.safetensors',
      'onnx',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    expect(json(dir, 'config.json')).toMatchObject({
      architectures: ['BertForSequenceClassification'],
      id2label: { 0: 'a', 1: 'b', 2: 'c' },
      label2id: { a: 0, b: 1, c: 2 },
      problem_type: 'single_label_classification',
    });
    expect(json(dir, 'bert_ts.json')).toEqual({
      format: 'bert-ts-model',
      version: 1,
      task_name: 'mnli',
      labels: ['a', 'b', 'c'],
      is_regression: false,
      do_lower_case: true,
      max_seq_length: 128,
    });
    expect(json(dir, 'tokenizer_config.json')).toMatchObject({
      model_max_length: 128,
      do_lower_case: true,
    });
    expect(readFileSync(join(dir, 'vocab.txt'))).toEqual(readFileSync(join(BROWN, 'vocab.txt')));
  });

  it('model.safetensors holds the same weights under HF names', () => {
    const want = openCheckpoint(ckpt);
    const got = openCheckpoint(join(dir, 'model.safetensors')); // read back under Google names
    expect(got.names()).toEqual(want.names());
    for (const name of want.names())
      expect(
        Buffer.from(got.readFloat32(name).buffer).equals(
          Buffer.from(want.readFloat32(name).buffer),
        ),
        name,
      ).toBe(true);
  });

  it('onnx/model.onnx: opset 17, int64 inputs [batch, seq], logits [batch, 3], standard ops', () => {
    const m = onnxProto.onnx.ModelProto.decode(readFileSync(join(dir, 'onnx/model.onnx')));
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const g = onnxProto.onnx.GraphProto.fromObject(m.graph!);
    expect(g.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(
      g.input.every(
        (i) => i.type?.tensorType?.elemType === onnxProto.onnx.TensorProto.DataType.INT64,
      ),
    ).toBe(true);
    expect(
      g.output.map((o) => [
        o.name,
        o.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)),
      ]),
    ).toEqual([['logits', ['batch_size', 3]]]);
    const ops = new Set(g.node.map((n) => n.opType));
    expect([...ops].sort()).toEqual(
      [
        'Add',
        'Cast',
        'Gather',
        'Gemm',
        'LayerNormalization',
        'MatMul',
        'Mul',
        'Reshape',
        'Shape',
        'Slice',
        'Softmax',
        'Sub',
        'Tanh',
        'Transpose',
        'Unsqueeze',
      ].sort(),
    );
  });
});

describe('failures leave nothing behind', () => {
  it('a non-empty output folder is refused and left as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-export-busy-'));
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await expect(exportModel({ modelDir: BROWN, outputDir: dir })).rejects.toThrow(UsageError);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('a classifier folder whose weights have no head names the missing tensors, writes nothing', async () => {
    const model = mkdtempSync(join(tmpdir(), 'bert-export-nohead-'));
    for (const f of readdirSync(BROWN)) copyFileSync(join(BROWN, f), join(model, f));
    const meta = modelMeta({
      task_name: 'mrpc',
      labels: ['0', '1'],
      is_regression: false,
      do_lower_case: true,
      max_seq_length: 128,
    });
    writeFileSync(join(model, 'bert_ts.json'), modelMetaJson(meta));
    const parent = mkdtempSync(join(tmpdir(), 'bert-export-nohead-out-'));
    await expect(exportModel({ modelDir: model, outputDir: join(parent, 'hf') })).rejects.toThrow(
      /without its head: no output_weights, output_bias/,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a head whose size is not the number of labels is a ShapeError; the empty target stays empty', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'bert-export-shape-'));
    mkdirSync(join(parent, 'hf'));
    await expect(
      writeHfFolder(source(classifierCheckpoint(3)), join(parent, 'hf'), silentLogger),
    ).rejects.toThrow(/tensor 'output_weights' has shape \[3,128\], expected \[2,128\]/);
    expect(readdirSync(parent)).toEqual(['hf']);
    expect(readdirSync(join(parent, 'hf'))).toEqual([]);
  });
});
