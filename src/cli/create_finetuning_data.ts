// `bert create_finetuning_data`: writes one split of a GLUE task as run_classifier.py's
// tf_record (the train.tf_record / eval.tf_record / predict.tf_record it builds before running),
// with run_classifier's flag names and defaults. --split and --output_file are this script's own.
import { MODEL_FILE_FLAGS } from './common_flags.js';
import { int, oneOf, str, strDefault } from './flags.js';
import { defineScript } from './script.js';
import { createFinetuningData } from '../data/finetuning_data.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  task_name: str({
    required: true,
    help: 'The name of the task (cola, mnli, mnli-mm, mrpc, xnli, sst-2, sts-b, qqp, qnli, rte, wnli).',
  }),
  data_dir: str({ required: true, help: "The input data dir, holding the task's .tsv files." }),
  vocab_file: MODEL_FILE_FLAGS.vocab_file,
  do_lower_case: MODEL_FILE_FLAGS.do_lower_case,
  max_seq_length: int(128, 'The maximum total input sequence length after WordPiece tokenization.'),
  split: oneOf(
    ['train', 'dev', 'test'] as const,
    'train',
    'Which examples: train (train.tf_record), dev (eval.tf_record) or test (predict.tf_record).',
  ),
  output_file: str({ required: true, help: 'The TFRecord file to write.' }),
  xnli_language: strDefault('zh', 'bert-ts: the XNLI language (run_classifier.py hard-codes zh).'),
} as const;

export default defineScript({
  name: 'create_finetuning_data',
  summary: "One split of a GLUE task as run_classifier's tf_record features",
  flags: FLAGS,
  async main(f) {
    createFinetuningData({
      taskName: f.task_name!,
      dataDir: f.data_dir!,
      vocabFile: f.vocab_file!,
      doLowerCase: f.do_lower_case,
      maxSeqLength: f.max_seq_length,
      split: f.split,
      outputFile: f.output_file!,
      xnliLanguage: f.xnli_language,
      logger: stderrLogger,
    });
  },
});
