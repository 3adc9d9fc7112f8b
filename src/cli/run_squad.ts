// `bert run_squad`: run_squad.py's flags (same names, types and defaults), and one call to the
// runner, which makes the original's checks (validate_flags_or_throw). TPU flags are accepted and
// ignored (bert-ts runs on the CPU); --seed, --num_threads and --pad_to_max_seq_length are
// bert-ts additions (here padding defaults to max_seq_length, which is what is exact for SQuAD).
import {
  checkNumThreads,
  ENGINE_FLAGS,
  MODEL_FILE_FLAGS,
  runOptionsFromFlags,
  TPU_FLAGS,
} from './common_flags.js';
import { bool, float, int, str } from './flags.js';
import { defineScript } from './script.js';

const FLAGS = {
  bert_config_file: MODEL_FILE_FLAGS.bert_config_file,
  vocab_file: MODEL_FILE_FLAGS.vocab_file,
  output_dir: MODEL_FILE_FLAGS.output_dir,
  train_file: str({ help: 'SQuAD json for training. E.g., train-v1.1.json' }),
  predict_file: str({
    help: 'SQuAD json for predictions. E.g., dev-v1.1.json or test-v1.1.json',
  }),
  init_checkpoint: MODEL_FILE_FLAGS.init_checkpoint,
  do_lower_case: MODEL_FILE_FLAGS.do_lower_case,
  max_seq_length: int(384, 'The maximum total input sequence length after WordPiece tokenization.'),
  doc_stride: int(
    128,
    'When splitting up a long document into chunks, how much stride to take between chunks.',
  ),
  max_query_length: int(
    64,
    'The maximum number of tokens for the question (longer ones are truncated).',
  ),
  do_train: bool(false, 'Whether to run training.'),
  do_predict: bool(false, 'Whether to run eval on the dev set.'),
  train_batch_size: int(32, 'Total batch size for training.'),
  predict_batch_size: int(8, 'Total batch size for predictions.'),
  learning_rate: float(5e-5, 'The initial learning rate for Adam.'),
  num_train_epochs: float(3.0, 'Total number of training epochs to perform.'),
  warmup_proportion: float(
    0.1,
    'Proportion of training to perform linear learning rate warmup for.',
  ),
  save_checkpoints_steps: int(1000, 'How often to save the model checkpoint.'),
  n_best_size: int(
    20,
    'The total number of n-best predictions to generate in nbest_predictions.json.',
  ),
  max_answer_length: int(30, 'The maximum length of an answer that can be generated.'),
  verbose_logging: bool(
    false,
    'If true, all of the warnings related to data processing will be printed.',
  ),
  version_2_with_negative: bool(
    false,
    'If true, the SQuAD examples contain some that do not have an answer.',
  ),
  null_score_diff_threshold: float(
    0.0,
    'If null_score - best_non_null is greater than the threshold predict null.',
  ),
  ...TPU_FLAGS,
  ...ENGINE_FLAGS,
  pad_to_max_seq_length: bool(
    true,
    'bert-ts: pad every batch to max_seq_length as the original (exact); false: to its longest window (faster, not exact).',
  ),
} as const;

export default defineScript({
  name: 'run_squad',
  summary: 'SQuAD 1.1/2.0 fine-tuning and prediction (run_squad.py)',
  flags: FLAGS,
  async main(f) {
    checkNumThreads(f.num_threads);
    const { runSquad } = await import('../train/runners/run_squad.js');
    await runSquad({
      vocabFile: f.vocab_file!,
      bertConfigFile: f.bert_config_file!,
      outputDir: f.output_dir!,
      trainFile: f.train_file,
      predictFile: f.predict_file,
      initCheckpoint: f.init_checkpoint,
      doLowerCase: f.do_lower_case,
      maxSeqLength: f.max_seq_length,
      docStride: f.doc_stride,
      maxQueryLength: f.max_query_length,
      doTrain: f.do_train,
      doPredict: f.do_predict,
      trainBatchSize: f.train_batch_size,
      predictBatchSize: f.predict_batch_size,
      learningRate: f.learning_rate,
      numTrainEpochs: f.num_train_epochs,
      warmupProportion: f.warmup_proportion,
      saveCheckpointsSteps: f.save_checkpoints_steps,
      nBestSize: f.n_best_size,
      maxAnswerLength: f.max_answer_length,
      verboseLogging: f.verbose_logging,
      version2WithNegative: f.version_2_with_negative,
      nullScoreDiffThreshold: f.null_score_diff_threshold,
      ...runOptionsFromFlags(f),
    });
  },
});
