// `bert run_pretraining`: run_pretraining.py's flags (same names, types and defaults), its checks,
// and one call to the runner. TPU flags are accepted and ignored (bert-ts runs on the CPU);
// --seed, --num_threads and --pad_to_max_seq_length are bert-ts additions.
import {
  checkNumThreads,
  ENGINE_FLAGS,
  MODEL_FILE_FLAGS,
  runOptionsFromFlags,
  TPU_FLAGS,
} from './common_flags.js';
import { bool, float, int, str } from './flags.js';
import { defineScript } from './script.js';
import { expandInputPatterns } from '../data/pretraining/input_files.js';
import { UsageError } from '../util/errors.js';

const FLAGS = {
  bert_config_file: MODEL_FILE_FLAGS.bert_config_file,
  input_file: str({
    required: true,
    help: 'Input TF example files (can be a glob or comma separated).',
  }),
  output_dir: MODEL_FILE_FLAGS.output_dir,
  init_checkpoint: MODEL_FILE_FLAGS.init_checkpoint,
  max_seq_length: int(
    128,
    'The maximum total input sequence length after WordPiece tokenization. Must match data generation.',
  ),
  max_predictions_per_seq: int(
    20,
    'Maximum number of masked LM predictions per sequence. Must match data generation.',
  ),
  do_train: bool(false, 'Whether to run training.'),
  do_eval: bool(false, 'Whether to run eval on the dev set.'),
  train_batch_size: int(32, 'Total batch size for training.'),
  eval_batch_size: int(8, 'Total batch size for eval.'),
  learning_rate: float(5e-5, 'The initial learning rate for Adam.'),
  num_train_steps: int(100000, 'Number of training steps.'),
  num_warmup_steps: int(10000, 'Number of warmup steps.'),
  save_checkpoints_steps: int(1000, 'How often to save the model checkpoint.'),
  max_eval_steps: int(100, 'Maximum number of eval steps.'),
  ...TPU_FLAGS,
  ...ENGINE_FLAGS,
} as const;

export default defineScript({
  name: 'run_pretraining',
  summary: 'Masked-LM + next-sentence pre-training and eval (run_pretraining.py)',
  flags: FLAGS,
  async main(f) {
    if (!f.do_train && !f.do_eval)
      throw new UsageError('At least one of `do_train` or `do_eval` must be True.');
    checkNumThreads(f.num_threads);
    for (const name of ['train_batch_size', 'eval_batch_size', 'save_checkpoints_steps'] as const)
      if (f[name] < 1) throw new UsageError(`--${name}=${f[name]}: must be at least 1`);
    const { runPretraining } = await import('../train/runners/run_pretraining.js');
    await runPretraining({
      inputFiles: expandInputPatterns(f.input_file!),
      outputDir: f.output_dir!,
      doTrain: f.do_train,
      doEval: f.do_eval,
      bertConfigFile: f.bert_config_file!,
      initCheckpoint: f.init_checkpoint,
      maxSeqLength: f.max_seq_length,
      maxPredictionsPerSeq: f.max_predictions_per_seq,
      trainBatchSize: f.train_batch_size,
      evalBatchSize: f.eval_batch_size,
      learningRate: f.learning_rate,
      numTrainSteps: f.num_train_steps,
      numWarmupSteps: f.num_warmup_steps,
      saveCheckpointsSteps: f.save_checkpoints_steps,
      maxEvalSteps: f.max_eval_steps,
      ...runOptionsFromFlags(f),
    });
  },
});
