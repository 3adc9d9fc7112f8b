// Fuzzing the SQuAD readers with seeded mutations of the real dev set: run_squad --do_predict (the
// shipped model, one thread, 64-token windows) on one paragraph of dev-v1.1.json, and
// evaluate_squad on that paragraph's gold answers with a predictions.json. A refusal names the
// file and leaves nothing in output_dir; a change the reader cannot see (whitespace between JSON
// tokens, a BOM) gives exactly the unchanged file's predictions.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../shared.js';
import {
  blindMutations,
  CASE_TIMEOUT,
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  filesIn,
  fileWith,
  modelFlags,
  mutate,
  type Outcome,
  runBert,
  seeds,
  tempDir,
} from './harness.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** The first paragraph of dev-v1.1.json with its first three questions, as a SQuAD file. */
function smallSquad(): string {
  const dev = JSON.parse(readFileSync(join(SHARED, 'squad/v1.1/dev-v1.1.json'), 'utf8'));
  const article = dev.data[0];
  const p = article.paragraphs[0];
  const paragraph = { context: p.context, qas: p.qas.slice(0, 3) };
  return JSON.stringify({
    version: '1.1',
    data: [{ title: article.title, paragraphs: [paragraph] }],
  });
}

interface PredictRun {
  readonly o: Outcome;
  /** predictions.json, or null when the run wrote nothing. */
  readonly predictions: string | null;
}

/** run_squad --do_predict on `squad` (the file is named dev.json); a refusal writes nothing. */
async function predict(squad: Uint8Array | string): Promise<PredictRun> {
  const dir = tempDir('squad');
  const file = fileWith('dev.json', squad, dir);
  const out = join(dir, 'out');
  const o = await runBert([
    'run_squad',
    '--do_predict=true',
    `--predict_file=${file}`,
    ...modelFlags(),
    `--output_dir=${out}`,
    '--max_seq_length=64',
    '--doc_stride=32',
    '--max_query_length=16',
    '--num_threads=1',
  ]);
  if (o.code !== 0) {
    expect(existsSync(out), filesIn(out).join()).toBe(false); // not even output_dir
    return { o, predictions: null };
  }
  return { o, predictions: readFileSync(join(out, 'predictions.json'), 'utf8') };
}

/** evaluate_squad of `preds` (named predictions.json) against `gold` (named dev.json). */
async function evaluate(gold: Uint8Array | string, preds: Uint8Array | string): Promise<Outcome> {
  const dir = tempDir('squad-eval');
  mkdirSync(join(dir, 'in'));
  return runBert([
    'evaluate_squad',
    `--data_file=${fileWith('dev.json', gold, dir)}`,
    `--pred_file=${fileWith('predictions.json', preds, join(dir, 'in'))}`,
  ]);
}

describe('fuzz: SQuAD files (run_squad --do_predict, evaluate_squad)', () => {
  const squad = smallSquad();
  let predictions: string;

  it(
    'the real paragraph: a clean run, three predictions',
    async () => {
      const r = await predict(squad);
      expectClean(r.o);
      predictions = r.predictions!;
      expect(Object.keys(JSON.parse(predictions))).toHaveLength(3);
    },
    CASE_TIMEOUT,
  );
  it(
    'reindented JSON and a BOM: the same predictions',
    async () => {
      for (const text of [JSON.stringify(JSON.parse(squad), null, 2), `\ufeff${squad}`]) {
        const r = await predict(text);
        expectClean(r.o);
        expect(r.predictions).toBe(predictions);
      }
    },
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(6), seeds(6, 100)))(
    'run_squad: %s (seed %i): a clean run or one error naming the file',
    async (kind, seed) => {
      const r = await predict(mutate(kind, seed, enc(squad)));
      expectCleanOrRefused(r.o, 'dev.json');
    },
    CASE_TIMEOUT,
  );
  it(
    'evaluate_squad of the real predictions: exact_match and f1 on one line',
    async () => {
      const o = await evaluate(squad, predictions);
      expectClean(o);
      expect(o.stdout).toMatch(/^\{"exact_match": [\d.]+, "f1": [\d.]+\}\n$/);
    },
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(4, 200), seeds(4, 300)))(
    'evaluate_squad, predictions.json %s (seed %i): a clean run or one error naming the file',
    async (kind, seed) => {
      const o = await evaluate(squad, mutate(kind, seed, enc(predictions)));
      expectCleanOrRefused(o, 'predictions.json');
    },
    CASE_TIMEOUT,
  );
  it.each([
    ['a list', '[]', /expected a JSON object/],
    ['a number for an answer', '{"x": 1}', /question x: the prediction is not a string/],
  ])('evaluate_squad, predictions.json holding %s: refused', async (_what, preds, place) => {
    expectRefused(await evaluate(squad, preds), 'predictions.json', place);
  });
});
