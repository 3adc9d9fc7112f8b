// bert_config.json: the four real configs, BertConfig's defaults, to_json_string byte for byte.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BertConfig } from '../../src/model/config.js';
import { checkModelFits, encoderParameterCount } from '../../src/model/memory.js';
import { REPO, SHARED } from '../shared.js';

const cfg = (name: string): string => join(SHARED, 'configs', name, 'bert_config.json');

describe('BertConfig on the real configs', () => {
  it('BERT-Base: to_json_string equals the file byte for byte (it was written by to_json_string)', () => {
    const path = cfg('uncased_L-12_H-768_A-12');
    const c = BertConfig.fromJsonFile(path);
    expect(c.toJsonString()).toBe(readFileSync(path, 'utf8'));
    expect([
      c.hidden_size,
      c.num_hidden_layers,
      c.num_attention_heads,
      c.intermediate_size,
      c.vocab_size,
    ]).toEqual([768, 12, 12, 3072, 30522]);
    expect(c.headSize).toBe(64);
  });
  it('BERT-Large: 1024 hidden, 24 layers, 16 heads, 4096 intermediate; the file is to_json_string output', () => {
    const path = cfg('uncased_L-24_H-1024_A-16');
    const c = BertConfig.fromJsonFile(path);
    expect([
      c.hidden_size,
      c.num_hidden_layers,
      c.num_attention_heads,
      c.intermediate_size,
    ]).toEqual([1024, 24, 16, 4096]);
    expect(c.toJsonString()).toBe(readFileSync(path, 'utf8'));
  });
  it('Chinese: keeps directionality and pooler_* and writes them back (Python 2 wrote ", " at line ends)', () => {
    const path = cfg('chinese_L-12_H-768_A-12');
    const c = BertConfig.fromJsonFile(path);
    expect(c.vocab_size).toBe(21128);
    expect(c.extra).toEqual({
      directionality: 'bidi',
      pooler_fc_size: 768,
      pooler_num_attention_heads: 12,
      pooler_num_fc_layers: 3,
      pooler_size_per_head: 128,
      pooler_type: 'first_token_transform',
    });
    const file = readFileSync(path, 'utf8').replace(/, \n/g, ',\n');
    expect(c.toJsonString()).toBe(file.endsWith('\n') ? file : file + '\n');
  });
  it('BERT-Tiny (one unsorted line): sorted, indented, floats as repr', () => {
    const c = BertConfig.fromJsonFile(cfg('uncased_L-2_H-128_A-2'));
    expect(c.toJsonString()).toBe(
      '{\n  "attention_probs_dropout_prob": 0.1,\n  "hidden_act": "gelu",\n  "hidden_dropout_prob": 0.1,\n' +
        '  "hidden_size": 128,\n  "initializer_range": 0.02,\n  "intermediate_size": 512,\n' +
        '  "max_position_embeddings": 512,\n  "num_attention_heads": 2,\n  "num_hidden_layers": 2,\n' +
        '  "type_vocab_size": 2,\n  "vocab_size": 30522\n}\n',
    );
    expect(c.toDict()).toEqual(JSON.parse(readFileSync(cfg('uncased_L-2_H-128_A-2'), 'utf8')));
  });
});

describe("BertConfig's defaults and checks", () => {
  it('defaults as modeling.py, incl. type_vocab_size 16', () => {
    const c = BertConfig.fromDict({ vocab_size: 99 });
    expect(c.toDict()).toEqual({
      vocab_size: 99,
      hidden_size: 768,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      hidden_act: 'gelu',
      intermediate_size: 3072,
      hidden_dropout_prob: 0.1,
      attention_probs_dropout_prob: 0.1,
      max_position_embeddings: 512,
      type_vocab_size: 16,
      initializer_range: 0.02,
    });
    const json = new BertConfig(5, {
      initializer_range: 1e-5,
      hidden_dropout_prob: 1,
    }).toJsonString();
    expect(json).toContain(
      '\n  "hidden_dropout_prob": 1.0,\n  "hidden_size": 768,\n  "initializer_range": 1e-05,\n',
    );
  });
  it('non-ASCII in unknown keys is \\u-escaped as json.dumps does', () => {
    expect(BertConfig.fromDict({ vocab_size: 1, note: 'é中' }).toJsonString()).toContain(
      '"note": "\\u00e9\\u4e2d"',
    );
  });
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it.each([
    [
      'act.json',
      '{"vocab_size": 10, "hidden_act": "swish"}',
      /act\.json: unsupported hidden_act "swish"/,
    ],
    [
      'heads.json',
      '{"vocab_size": 10, "hidden_size": 100, "num_attention_heads": 3}',
      /heads\.json: hidden_size 100 is not a multiple of num_attention_heads 3/,
    ],
    ['novocab.json', '{"hidden_size": 128}', /novocab\.json: no "vocab_size"/],
    ['type.json', '{"vocab_size": "10"}', /type\.json: "vocab_size" is "10", expected an integer/],
    ['broken.json', '{"vocab_size": 10,', /broken\.json: not JSON/],
    // the runaway configs: refused on load, before anything is allocated
    [
      'layers.json',
      '{"vocab_size": 10, "num_hidden_layers": 1e9}',
      /layers\.json: "num_hidden_layers" is 1000000000, expected a positive integer ≤ 1000/,
    ],
    [
      'vocab.json',
      '{"vocab_size": 1e12}',
      /vocab\.json: "vocab_size" is 1000000000000, expected a positive integer ≤ 10000000/,
    ],
    [
      'zero.json',
      '{"vocab_size": 10, "intermediate_size": 0}',
      /zero\.json: "intermediate_size" is 0, expected a positive integer/,
    ],
    [
      'inf.json',
      '{"vocab_size": 10, "hidden_size": 1e999}',
      /inf\.json: "hidden_size" is null, expected an integer/,
    ],
    [
      'dropout.json',
      '{"vocab_size": 10, "hidden_dropout_prob": -0.5}',
      /dropout\.json: "hidden_dropout_prob" is -0.5, expected a probability in \[0, 1\]/,
    ],
    [
      // each count within its bound, the product not: 1.2e10 parameters
      'params.json',
      '{"vocab_size": 1000000, "hidden_size": 8192, "num_attention_heads": 64}',
      /params\.json: 1\.209e\+10 parameters need 90\.1 GiB with their gradients, more than the 4\.00 GiB of wasm32 memory/,
    ],
  ])('%s is a ConfigError naming the file', (name, text, msg) => {
    expect(() => BertConfig.fromJsonFile(write(name, text))).toThrow(msg);
  });
});

describe('to_json_string against Python (refgen/config/make_to_json_string.py)', () => {
  const PY = JSON.parse(
    readFileSync(join(REPO, 'test/fixtures/config/to_json_string.json'), 'utf8'),
  ) as {
    files: Record<string, string>;
    dicts: { input: Record<string, unknown>; json: string }[];
  };
  it.each(Object.keys(PY.files))('%s', (name) => {
    expect(BertConfig.fromJsonFile(cfg(name)).toJsonString()).toBe(PY.files[name]);
  });
  it.each(PY.dicts.map((d, i) => [i, d] as const))(
    'dict %i (defaults, floats, nested and non-ASCII extras)',
    (_i, d) => {
      expect(BertConfig.fromDict(d.input).toJsonString()).toBe(d.json);
    },
  );
});

describe('memory: a model that cannot fit in the 4 GiB of wasm32 memory is refused with the numbers', () => {
  const large = BertConfig.fromJsonFile(cfg('uncased_L-24_H-1024_A-16'));
  it('BERT-Large: 335 M parameters as modeling.py lays them out', () => {
    expect(encoderParameterCount(large)).toBe(335_141_888);
  });
  it('BERT-Large trains nowhere in 4 GiB (weights, gradients, Adam: 5.0 GiB) but runs forward', () => {
    const params = encoderParameterCount(large);
    expect(() =>
      checkModelFits(large, params, { maxBatch: 1, maxSeq: 128, inference: false }),
    ).toThrow(
      new RegExp(
        `uncased_L-24_H-1024_A-16/bert_config.json: the model needs 5\\.\\d+ GiB — ${params} parameters \\(4\\.99 GiB with gradients and Adam slots\\) and activations for batch 1 × 128 tokens`,
      ),
    );
    expect(() =>
      checkModelFits(large, params, { maxBatch: 8, maxSeq: 512, inference: true }),
    ).not.toThrow();
    expect(() =>
      checkModelFits(large, params, { maxBatch: 512, maxSeq: 512, inference: true }),
    ).toThrow(/activations for batch 512 × 512 tokens \(\d+\.?\d* GiB\)/);
  });
});
