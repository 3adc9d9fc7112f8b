// `bert run_classifier`: run_classifier.py's flags (same names, types and defaults), its checks,
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
import { RUN_CLASSIFIER_DEFAULTS as D } from '../train/runners/classifier_defaults.js';
import { UsageError } from '../util/errors.js';

const FLAGS = {
  data_dir: str({
    required: true,
    help: 'The input data dir. Should contain the .tsv files (or other data files) for the task.',
  }),
  bert_config_file: MODEL_FILE_FLAGS.bert_config_file,
  task_name: str({ required: true, help: 'The name of the task to train.' }),
  vocab_file: MODEL_FILE_FLAGS.vocab_file,
  output_dir: MODEL_FILE_FLAGS.output_dir,
  init_checkpoint: MODEL_FILE_FLAGS.init_checkpoint,
  do_lower_case: { ...MODEL_FILE_FLAGS.do_lower_case, default: D.doLowerCase },
  max_seq_length: int(
    D.maxSeqLength,
    'The maximum total input sequence length after WordPiece tokenization.',
  ),
  do_train: bool(D.doTrain, 'Whether to run training.'),
  do_eval: bool(D.doEval, 'Whether to run eval on the dev set.'),
  do_predict: bool(D.doPredict, 'Whether to run the model in inference mode on the test set.'),
  train_batch_size: int(D.trainBatchSize, 'Total batch size for training.'),
  eval_batch_size: int(D.evalBatchSize, 'Total batch size for eval.'),
  predict_batch_size: int(D.predictBatchSize, 'Total batch size for predict.'),
  learning_rate: float(D.learningRate, 'The initial learning rate for Adam.'),
  num_train_epochs: float(D.numTrainEpochs, 'Total number of training epochs to perform.'),
  warmup_proportion: float(
    D.warmupProportion,
    'Proportion of training to perform linear learning rate warmup for.',
  ),
  save_checkpoints_steps: int(D.saveCheckpointsSteps, 'How often to save the model checkpoint.'),
  ...TPU_FLAGS,
  ...ENGINE_FLAGS,
} as const;

export default defineScript({
  name: 'run_classifier',
  summary: 'GLUE fine-tuning, eval and predict (run_classifier.py)',
  flags: FLAGS,
  async main(f) {
    if (!f.do_train && !f.do_eval && !f.do_predict)
      throw new UsageError("At least one of `do_train`, `do_eval` or `do_predict' must be True.");
    checkNumThreads(f.num_threads);
    const { runClassifier } = await import('../train/runners/run_classifier.js');
    await runClassifier({
      taskName: f.task_name!,
      dataDir: f.data_dir!,
      vocabFile: f.vocab_file!,
      bertConfigFile: f.bert_config_file!,
      outputDir: f.output_dir!,
      initCheckpoint: f.init_checkpoint,
      doLowerCase: f.do_lower_case,
      maxSeqLength: f.max_seq_length,
      doTrain: f.do_train,
      doEval: f.do_eval,
      doPredict: f.do_predict,
      trainBatchSize: f.train_batch_size,
      evalBatchSize: f.eval_batch_size,
      predictBatchSize: f.predict_batch_size,
      learningRate: f.learning_rate,
      numTrainEpochs: f.num_train_epochs,
      warmupProportion: f.warmup_proportion,
      saveCheckpointsSteps: f.save_checkpoints_steps,
      ...runOptionsFromFlags(f),
    });
  },
});
