// run_squad's do_predict: the predict file's windows written to eval.tf_record (and kept, with
// their tokens and maps, for write_predictions), read back and run through the model in order,
// batches of predict_batch_size without dropout, then predictions.json, nbest_predictions.json
// and (v2.0) null_odds.json — and, when the file has answers, eval_results.json with what the
// official evaluation script prints for them.
import { join } from 'pathe';
import type { SquadExample } from '../../data/squad/examples.js';
import {
  evaluateV1,
  evaluateV2,
  formatV1,
  formatV2,
  type NaProb,
} from '../../data/squad/evaluate.js';
import type { SquadFeatures } from '../../data/squad/features.js';
import { predictionFiles, squadPredictions, type RawResult } from '../../data/squad/predictions.js';
import type { SquadFile } from '../../data/squad/squad_json.js';
import { forward } from '../../model/task_model.js';
import { writeFileAtomicSync } from '../../util/fs.js';
import { inOrderBatches } from '../sequence_batch.js';
import type { SquadTable } from './squad_data.js';
import { readBack, writeSquadRecords } from './squad_train.js';
import type { SquadRun } from './run_squad.js';

/** The start and end logits of every window, by unique_id, all max_seq_length positions. */
function rawResults(run: SquadRun, t: SquadTable): Map<number, RawResult> {
  const { o } = run;
  const T = t.seqLength;
  const results = new Map<number, RawResult>();
  const opts = { training: false, seed: 0 };
  for (const idx of inOrderBatches(t.count, o.predictBatchSize)) {
    const b = run.batcher.assemble(t, idx);
    const r = forward(run.est.m, b.batch, b.labels, opts);
    const Tb = b.batch.seqLength;
    idx.forEach((i, row) => {
      if (results.size % 1000 === 0) o.logger.info(`Processing example: ${results.size}`);
      const startLogits = new Float64Array(T).fill(-Infinity);
      const endLogits = new Float64Array(T).fill(-Infinity);
      startLogits.set(r.startLogits.subarray(row * Tb, (row + 1) * Tb));
      endLogits.set(r.endLogits.subarray(row * Tb, (row + 1) * Tb));
      results.set(t.uniqueIds[i]!, { startLogits, endLogits });
    });
  }
  return results;
}

/** True when the evaluation can score the file (v1.1: every question has an answer). */
function hasAnswers(file: SquadFile, version2: boolean): boolean {
  const qas = file.articles.flatMap((ps) => ps.flatMap((p) => p.qas));
  return version2 ? qas.some((q) => q.answers.length > 0) : qas.every((q) => q.answers.length > 0);
}

function evalResultsText(
  run: SquadRun,
  file: SquadFile,
  predictions: Map<string, string>,
  scoresDiff: Map<string, number> | null,
): string {
  const warn = (line: string) => run.o.logger.warn(line);
  if (scoresDiff === null) return formatV1(evaluateV1(file, predictions, warn)) + '\n';
  const naProbs = new Map<string, NaProb>(
    [...scoresDiff].map(([q, v]) => [q, { value: v, int: false }]),
  );
  return formatV2(evaluateV2(file, predictions, { naProbs, naProbThresh: 1.0, warn })) + '\n';
}

export function predictSquad(
  run: SquadRun,
  file: SquadFile,
  examples: readonly SquadExample[],
): void {
  const { o } = run;
  const features: SquadFeatures[] = [];
  const writer = writeSquadRecords(run, examples, 'eval.tf_record', false, (f) => features.push(f));
  o.logger.info('***** Running predictions *****');
  o.logger.info(`  Num orig examples = ${examples.length}`);
  o.logger.info(`  Num split examples = ${features.length}`);
  o.logger.info(`  Batch size = ${o.predictBatchSize}`);
  const table = readBack(run, writer, false);
  const results = rawResults(run, table);
  const out = join(o.outputDir, 'predictions.json');
  o.logger.info(`Writing predictions to: ${out}`);
  o.logger.info(`Writing nbest to: ${join(o.outputDir, 'nbest_predictions.json')}`);
  const p = squadPredictions(examples, features, results, {
    nBestSize: o.nBestSize,
    maxAnswerLength: o.maxAnswerLength,
    doLowerCase: o.doLowerCase,
    version2WithNegative: o.version2WithNegative,
    nullScoreDiffThreshold: o.nullScoreDiffThreshold,
    verbose: o.verboseLogging ? o.logger : null,
  });
  const files = predictionFiles(p);
  const evalText = hasAnswers(file, o.version2WithNegative)
    ? evalResultsText(run, file, p.predictions, p.scoresDiff)
    : null;
  writeFileAtomicSync(out, files.predictions);
  writeFileAtomicSync(join(o.outputDir, 'nbest_predictions.json'), files.nbest);
  if (files.nullOdds !== null)
    writeFileAtomicSync(join(o.outputDir, 'null_odds.json'), files.nullOdds);
  if (evalText !== null) {
    writeFileAtomicSync(join(o.outputDir, 'eval_results.json'), evalText);
    o.logger.info(`***** Eval results *****`);
    o.logger.info(`  ${evalText.trimEnd().replace(/\n\s*/g, ' ')}`);
  }
}
