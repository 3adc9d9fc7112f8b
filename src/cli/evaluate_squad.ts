// `bert evaluate_squad`: the official SQuAD evaluation — evaluate-v1.1.py (data_file, pred_file →
// {"exact_match", "f1"} on one line) or, with --version_2_with_negative, evaluate-v2.0.py (→ the
// indent-2 JSON with HasAns_/NoAns_ splits, and best_exact/best_f1 with --na_prob_file). Prints
// exactly what the script prints; its warnings (unanswered / missing questions) go to stderr.
import { bool, float, str } from './flags.js';
import { defineScript } from './script.js';

const FLAGS = {
  data_file: str({
    required: true,
    help: 'The SQuAD data file (e.g. dev-v1.1.json) with the gold answers.',
  }),
  pred_file: str({
    required: true,
    help: 'Model predictions: {question id: answer text} (predictions.json).',
  }),
  version_2_with_negative: bool(
    false,
    'Evaluate as evaluate-v2.0.py (questions without answers count).',
  ),
  na_prob_file: str({
    help: 'v2.0: model estimates of the probability of no answer (null_odds.json).',
  }),
  na_prob_thresh: float(1.0, 'v2.0: predict "" if the no-answer probability exceeds this.'),
} as const;

export default defineScript({
  name: 'evaluate_squad',
  summary: 'The official SQuAD v1.1 / v2.0 evaluation (evaluate-v1.1.py, evaluate-v2.0.py)',
  flags: FLAGS,
  async main(f) {
    const { readSquadFile } = await import('../data/squad/squad_json.js');
    const ev = await import('../data/squad/evaluate.js');
    const { readNaProbFile, readPredictionFile } = await import('../data/squad/eval_files.js');
    const data = readSquadFile(f.data_file!);
    const preds = readPredictionFile(f.pred_file!);
    if (!f.version_2_with_negative) {
      if (data.version !== '1.1')
        process.stderr.write(`Evaluation expects v-1.1, but got dataset with v-${data.version}\n`);
      const warn = (line: string) => process.stderr.write(line + '\n'); // as evaluate-v1.1.py
      process.stdout.write(ev.formatV1(ev.evaluateV1(data, preds, warn)) + '\n');
      return;
    }
    const naProbs = f.na_prob_file === null ? null : readNaProbFile(f.na_prob_file);
    // evaluate-v2.0.py prints its "Missing prediction for …" lines to stdout, before the JSON.
    const warn = (line: string) => process.stdout.write(line + '\n');
    const out = ev.evaluateV2(data, preds, { naProbs, naProbThresh: f.na_prob_thresh, warn });
    process.stdout.write(ev.formatV2(out) + '\n');
  },
});
