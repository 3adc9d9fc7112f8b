// bert extract_features against Python: the JSON line writer byte for byte against json.dumps
// (refgen/model/extract_features_format.py), and the whole run — read lines, tokenize, truncate,
// batch, load the checkpoint by name, run the encoder — against PyTorch's layer outputs for the
// same lines (refgen/model/make_fixture.py, float64). Values are compared after the original's
// round(x, 6): |got − want| ≤ 1e-6 + 1e-5·max|want| per layer.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { Kernels } from '../../src/engine/kernels.js';
import { writeTFCheckpoint } from '../../src/formats/checkpoint/bundle_writer.js';
import {
  extractFeatures,
  type ExtractFeaturesOptions,
} from '../../src/train/runners/extract_features.js';
import { formatFeatureLine } from '../../src/train/runners/extract_features_data.js';
import { ConfigError, FormatError, UsageError } from '../../src/util/errors.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';
import { readModelFixture } from '../model/fixture.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'model');

interface FormatCase {
  unique_id: number;
  tokens: string[];
  layer_indexes: number[];
  width: number;
  bits: number[][];
  line: string;
}

describe('extract_features JSON lines = Python json.dumps byte for byte', () => {
  const cases = JSON.parse(
    readFileSync(join(FIXTURES, 'extract_features_format.json'), 'utf8'),
  ) as FormatCase[];
  it.each(cases.map((c) => [c.unique_id, c] as const))('linex_index %i', (_id, c) => {
    const rows = c.bits.map((b) => new Float32Array(Uint32Array.from(b).buffer));
    const f = {
      uniqueId: c.unique_id,
      tokens: c.tokens,
      inputIds: [],
      inputMask: [],
      inputTypeIds: [],
    };
    expect(formatFeatureLine(f, c.layer_indexes, rows, c.width)).toBe(c.line);
  });
});

const fx = readModelFixture(join(FIXTURES, 'bert_pytorch.bin'));
const ex = fx.extractFeatures!;

/** vocab.txt, bert_config.json, a TF checkpoint of the fixture weights and the input lines. */
function writeInputs(dir: string, lines: string): ExtractFeaturesOptions {
  writeFileSync(join(dir, 'vocab.txt'), ex.vocab.join('\n') + '\n');
  writeFileSync(join(dir, 'bert_config.json'), JSON.stringify(fx.config));
  const names = fx.names.filter((n) => n.startsWith('param/')).map((n) => n.slice(6));
  const tensors = names.map((name) => ({
    name,
    dtype: 'float32' as const,
    shape: fx.shape(`param/${name}`),
    data: Float32Array.from(fx.get(`param/${name}`)),
  }));
  writeTFCheckpoint(join(dir, 'model.ckpt'), tensors);
  writeFileSync(join(dir, 'input.txt'), lines);
  return {
    inputFile: join(dir, 'input.txt'),
    outputFile: join(dir, 'features.jsonl'),
    vocabFile: join(dir, 'vocab.txt'),
    bertConfigFile: join(dir, 'bert_config.json'),
    initCheckpoint: join(dir, 'model.ckpt'),
    layers: '-1,-2',
    maxSeqLength: ex.max_seq_length,
    doLowerCase: true,
    batchSize: 3,
    numThreads: 1,
    logger: silentLogger,
  };
}

interface OutputLine {
  linex_index: number;
  features: { token: string; layers: { index: number; values: number[] }[] }[];
}

/** Largest |got − want| / (1e-6 + 1e-5·max|want|) over one layer of one example. */
function layerError(got: number[][], want: Float64Array): number {
  const scale = 1e-6 + 1e-5 * want.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  let worst = 0;
  got.flat().forEach((g, i) => (worst = Math.max(worst, Math.abs(g - want[i]!) / scale)));
  return worst;
}

describe.each(['reference-f32', 'wasm x1'])(
  'bert extract_features on the fixture model [%s]',
  (set) => {
    let k: Kernels<Float32Array>;
    beforeAll(async () => {
      k =
        set === 'reference-f32'
          ? createReferenceKernels('f32')
          : await createKernels({ threads: 1 });
    });
    afterAll(async () => {
      await k.dispose();
    });

    it('tokens, order and layer values (−1, −2) match PyTorch on 5 lines in batches of 3', async () => {
      const o = {
        ...writeInputs(mkdtempSync(join(tmpdir(), 'ef-')), ex.lines.join('\n') + '\n'),
        kernels: k,
      };
      await extractFeatures(o);
      const out = readFileSync(o.outputFile, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as OutputLine);
      expect(out.map((l) => l.linex_index)).toEqual([0, 1, 2, 3, 4]);
      const C = fx.config.hidden_size;
      const T = ex.max_seq_length;
      out.forEach((line, b) => {
        expect(line.features.map((f) => f.token)).toEqual(ex.tokens[b]);
        [1, 0].forEach((layer, j) => {
          const want = fx
            .get(`extract/layer_${layer}`)
            .subarray(b * T * C, (b * T + line.features.length) * C);
          expect(line.features.every((f) => f.layers[j]!.index === -1 - j)).toBe(true);
          expect(
            layerError(
              line.features.map((f) => f.layers[j]!.values),
              want,
            ),
          ).toBeLessThan(1);
        });
      });
    });
  },
);

describe('extract_features bad input', () => {
  const k = createReferenceKernels('f32');
  it('logs the first examples like the original', async () => {
    const logger = collectingLogger();
    const o = {
      ...writeInputs(mkdtempSync(join(tmpdir(), 'ef-')), ex.lines[1]! + '\n'),
      kernels: k,
      logger,
    };
    await extractFeatures(o);
    expect(logger.lines).toContain(
      'INFO:tokens: [CLS] is this jack ##son ##ville [SEP] no it is not [SEP]',
    );
    expect(logger.lines).toContain('INFO:input_type_ids: 0 0 0 0 0 0 0 1 1 1 1 1');
  });

  it('--layers beyond the model is a UsageError; no output file', async () => {
    const o = {
      ...writeInputs(mkdtempSync(join(tmpdir(), 'ef-')), 'the dog\n'),
      kernels: k,
      layers: '-1,-3',
    };
    await expect(extractFeatures(o)).rejects.toThrow(
      new UsageError('--layers=-1,-3: layer -3 does not exist in a 2-layer model'),
    );
    expect(existsSync(o.outputFile)).toBe(false);
  });

  it('max_seq_length beyond max_position_embeddings is a ConfigError', async () => {
    const o = {
      ...writeInputs(mkdtempSync(join(tmpdir(), 'ef-')), 'the dog\n'),
      kernels: k,
      maxSeqLength: 17,
    };
    await expect(extractFeatures(o)).rejects.toThrow(ConfigError);
  });

  it('invalid UTF-8 on line 2 is a FormatError naming file, line and byte; no output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ef-'));
    const o = { ...writeInputs(dir, ''), kernels: k };
    writeFileSync(o.inputFile, Buffer.from([0x61, 0x0a, 0x62, 0xff, 0x0a]));
    await expect(extractFeatures(o)).rejects.toThrow(FormatError);
    await expect(extractFeatures(o)).rejects.toThrow(
      `${o.inputFile}: line 2 (byte 3): invalid UTF-8`,
    );
    expect(existsSync(o.outputFile)).toBe(false);
  });
});
