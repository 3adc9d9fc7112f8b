// run_squad end to end at CI size: BERT-Tiny (the real uncased_L-2_H-128_A-2 config and uncased
// vocab), trained on 3 paragraphs of the real SQuAD 1.1 dev set (first answers) for a few steps of
// batch 8 on the wasm kernels, then predicting 2 other paragraphs. Checked: the records of
// train.tf_record / eval.tf_record, predictions.json / nbest_predictions.json against the
// write_predictions rules, eval_results.json = the official evaluation of predictions.json, that
// a run killed after a checkpoint and started again ends with identical files, a predict-only run
// from the trained output_dir, SQuAD 2.0 (null_odds.json), and the bad-input errors.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import runSquadScript from '../../src/cli/run_squad.js';
import { evaluateV1, formatV1 } from '../../src/data/squad/evaluate.js';
import { readSquadFile } from '../../src/data/squad/squad_json.js';
import { decodeExample } from '../../src/formats/example.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { runSquad, type RunSquadOptions } from '../../src/train/runners/run_squad.js';
import { FormatError, UsageError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';
import { REPO, SHARED } from '../shared.js';

const DATA = mkdtempSync(join(tmpdir(), 'bert-squad-'));
const TRAIN = join(DATA, 'train.json');
const PREDICT = join(DATA, 'predict.json');
const V2 = join(REPO, 'test/fixtures/squad/v2_small.json');

function options(outputDir: string, o: Partial<RunSquadOptions> = {}): RunSquadOptions {
  return {
    vocabFile: join(SHARED, 'vocab/uncased/vocab.txt'),
    bertConfigFile: join(SHARED, 'configs/uncased_L-2_H-128_A-2/bert_config.json'),
    outputDir,
    trainFile: TRAIN,
    predictFile: PREDICT,
    initCheckpoint: null,
    doLowerCase: true,
    maxSeqLength: 64,
    docStride: 32,
    maxQueryLength: 16,
    doTrain: true,
    doPredict: true,
    trainBatchSize: 8,
    predictBatchSize: 8,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    warmupProportion: 0.1,
    saveCheckpointsSteps: 2,
    nBestSize: 20,
    maxAnswerLength: 30,
    verboseLogging: false,
    version2WithNegative: false,
    nullScoreDiffThreshold: 0,
    seed: 3,
    numThreads: 2,
    padToMaxSeqLength: true,
    logger: silentLogger,
    bar: null,
    ...o,
  };
}

const records = (path: string) => [...readTFRecords(path)].map((b) => decodeExample(b));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

beforeAll(() => {
  const dev = JSON.parse(readFileSync(join(SHARED, 'squad/v1.1/dev-v1.1.json'), 'utf8'));
  const paragraphs = (a: number, from: number, to: number, firstAnswer: boolean) => ({
    title: dev.data[a].title,
    paragraphs: dev.data[a].paragraphs
      .slice(from, to)
      .map((p: { context: string; qas: { answers: unknown[] }[] }) => ({
        context: p.context,
        qas: p.qas.map((q) => ({ ...q, answers: firstAnswer ? q.answers.slice(0, 1) : q.answers })),
      })),
  });
  writeFileSync(TRAIN, JSON.stringify({ version: '1.1', data: [paragraphs(0, 0, 3, true)] }));
  writeFileSync(PREDICT, JSON.stringify({ version: '1.1', data: [paragraphs(1, 0, 2, false)] }));
});

describe('run_squad (SQuAD 1.1)', () => {
  const out = mkdtempSync(join(tmpdir(), 'bert-squad-out-'));
  beforeAll(async () => runSquad(options(out)), 300_000);

  it('writes the original’s records: 7 int64 features for training, 4 for prediction', () => {
    const train = records(join(out, 'train.tf_record'));
    expect([...train[0]!.keys()]).toEqual([
      'unique_ids',
      'input_ids',
      'input_mask',
      'segment_ids',
      'start_positions',
      'end_positions',
      'is_impossible',
    ]);
    expect(train[0]!.get('input_ids')!.values).toHaveLength(64);
    const evalRecords = records(join(out, 'eval.tf_record'));
    expect([...evalRecords[0]!.keys()]).toEqual([
      'unique_ids',
      'input_ids',
      'input_mask',
      'segment_ids',
    ]);
    expect(evalRecords.map((r) => r.get('unique_ids')!.values[0])).toEqual(
      evalRecords.map((_, i) => 1000000000 + i),
    );
  });

  it('predicts every question; the n-best is sorted, ≤ 20, probabilities sum to 1, the best first', () => {
    const file = readSquadFile(PREDICT);
    const ids = file.articles.flatMap((ps) => ps.flatMap((p) => p.qas.map((q) => q.id)));
    const predictions = JSON.parse(read(out, 'predictions.json')) as Record<string, string>;
    expect(Object.keys(predictions)).toEqual(ids);
    const nbest = JSON.parse(read(out, 'nbest_predictions.json')) as Record<
      string,
      { text: string; probability: number; start_logit: number; end_logit: number }[]
    >;
    for (const id of ids) {
      const entries = nbest[id]!;
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBeLessThanOrEqual(20);
      expect(entries[0]!.text).toBe(predictions[id]);
      expect(entries.reduce((s, e) => s + e.probability, 0)).toBeCloseTo(1, 12);
      const scores = entries.map((e) => e.start_logit + e.end_logit);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(entries.map((e) => e.text)).size).toBe(entries.length);
    }
    expect(read(out, 'predictions.json')).toMatch(/^\{\n {4}"/);
    expect(existsSync(join(out, 'null_odds.json'))).toBe(false);
  });

  it('eval_results.json is the official v1.1 evaluation of predictions.json', () => {
    const preds = new Map(
      Object.entries(JSON.parse(read(out, 'predictions.json')) as Record<string, string>),
    );
    expect(read(out, 'eval_results.json')).toBe(
      formatV1(evaluateV1(readSquadFile(PREDICT), preds, () => {})) + '\n',
    );
  });

  it('killed after step 2 and started again: the same checkpoint step and the same predictions', async () => {
    const again = mkdtempSync(join(tmpdir(), 'bert-squad-kill-'));
    await runSquad(options(again, { stopAtStep: 2 }));
    expect(existsSync(join(again, 'predictions.json'))).toBe(false);
    await runSquad(options(again));
    for (const f of [
      'predictions.json',
      'nbest_predictions.json',
      'eval_results.json',
      'checkpoint',
    ])
      expect(read(again, f), f).toBe(read(out, f));
  }, 300_000);

  it('predict-only from the trained output_dir gives the same files', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'bert-squad-predict-'));
    const ckpt = read(out, 'checkpoint').match(/model_checkpoint_path: "([^"]+)"/)![1]!;
    await runSquad(options(copy, { doTrain: false, initCheckpoint: join(out, ckpt) }));
    expect(read(copy, 'predictions.json')).toBe(read(out, 'predictions.json'));
    expect(read(copy, 'nbest_predictions.json')).toBe(read(out, 'nbest_predictions.json'));
  }, 300_000);
});

describe('run_squad (SQuAD 2.0)', () => {
  it('trains on impossible questions and writes null_odds.json for every question', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bert-squad-v2-'));
    await runSquad(
      options(out, {
        trainFile: V2,
        predictFile: V2,
        version2WithNegative: true,
        trainBatchSize: 4,
      }),
    );
    const train = records(join(out, 'train.tf_record'));
    expect(train.some((r) => r.get('is_impossible')!.values[0] === 1)).toBe(true);
    const odds = JSON.parse(read(out, 'null_odds.json')) as Record<string, number>;
    expect(Object.keys(odds)).toHaveLength(13);
    expect(JSON.parse(read(out, 'eval_results.json'))).toHaveProperty('HasAns_exact');
  }, 300_000);
});

describe('bad input', () => {
  const bad = (name: string, content: string) => {
    const p = join(DATA, name);
    writeFileSync(p, content);
    return p;
  };
  const qa = (extra: object) =>
    JSON.stringify({
      data: [
        {
          paragraphs: [
            {
              context: 'Some context here.',
              qas: [
                {
                  id: 'q-7',
                  question: 'Why?',
                  answers: [{ text: 'context', answer_start: 5 }],
                  ...extra,
                },
              ],
            },
          ],
        },
      ],
    });
  it.each([
    ['not JSON', bad('notjson.json', '{"data": ['), /notjson\.json: not JSON/],
    ['no data', bad('nodata.json', '{"version": "1.1"}'), /nodata\.json: no 'data'/],
    [
      'no qas',
      bad('noqas.json', '{"data": [{"paragraphs": [{"context": "x"}]}]}'),
      /noqas\.json: data\[0\]\.paragraphs\[0\]: no 'qas'/,
    ],
    [
      'no id',
      bad(
        'noid.json',
        '{"data": [{"paragraphs": [{"context": "x", "qas": [{"question": "q"}]}]}]}',
      ),
      /noid\.json: data\[0\]\.paragraphs\[0\]\.qas\[0\]: no 'id'/,
    ],
    [
      'answer outside',
      bad('outside.json', qa({ answers: [{ text: 'here', answer_start: 40 }] })),
      /outside\.json: question q-7: answers\[0\]: answer_start 40/,
    ],
    [
      'two training answers',
      bad(
        'two.json',
        qa({
          answers: [
            { text: 'Some', answer_start: 0 },
            { text: 'here', answer_start: 13 },
          ],
        }),
      ),
      /two\.json: question q-7: 2 answers/,
    ],
  ])(
    '%s: one FormatError naming the file and the place; nothing written',
    async (_name, file, message) => {
      const out = join(mkdtempSync(join(tmpdir(), 'bert-squad-bad-')), 'out');
      const run = runSquad(options(out, { trainFile: file }));
      await expect(run).rejects.toThrow(FormatError);
      await expect(runSquad(options(out, { trainFile: file }))).rejects.toThrow(message);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    },
  );
  it('a missing file: a FormatError naming it, no stack trace', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bert-squad-bad-')), 'out');
    const missing = join(DATA, 'nowhere.json');
    await expect(runSquad(options(out, { predictFile: missing }))).rejects.toThrow(
      `${missing}: cannot read the SQuAD file: no such file`,
    );
  });
  it('a bad predict_file fails before training writes anything', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bert-squad-bad-')), 'out');
    const file = bad('badpredict.json', qa({ id: 17 }));
    await expect(runSquad(options(out, { predictFile: file }))).rejects.toThrow(
      /badpredict\.json: .*id is not a string/,
    );
    expect(existsSync(out)).toBe(false);
  });
  it('validate_flags_or_throw', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bert-squad-flags-')), 'out');
    await expect(runSquad(options(out, { maxSeqLength: 19 }))).rejects.toThrow(
      'The max_seq_length (19) must be greater than max_query_length (16) + 3',
    );
    await expect(runSquad(options(out, { trainFile: null }))).rejects.toThrow(
      'If `do_train` is True, then `train_file` must be specified.',
    );
    await expect(runSquad(options(out, { doTrain: false, doPredict: false }))).rejects.toThrow(
      UsageError,
    );
    await expect(runSquad(options(out, { maxSeqLength: 1024 }))).rejects.toThrow(
      /only trained up to sequence length 512/,
    );
  });
  it('the original flag defaults', () => {
    const d = (k: keyof typeof runSquadScript.flags) => runSquadScript.flags[k].default;
    expect([
      d('max_seq_length'),
      d('doc_stride'),
      d('max_query_length'),
      d('train_batch_size'),
      d('predict_batch_size'),
    ]).toEqual([384, 128, 64, 32, 8]);
    expect([
      d('learning_rate'),
      d('num_train_epochs'),
      d('warmup_proportion'),
      d('n_best_size'),
      d('max_answer_length'),
    ]).toEqual([5e-5, 3, 0.1, 20, 30]);
    expect([
      d('version_2_with_negative'),
      d('null_score_diff_threshold'),
      d('do_lower_case'),
      d('save_checkpoints_steps'),
    ]).toEqual([false, 0, true, 1000]);
  });
});
