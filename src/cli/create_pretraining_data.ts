// `bert create_pretraining_data`: create_pretraining_data.py's flags (same names, types and
// defaults) and one library call. The same seed and input give Google's instances under Python 3.
// --streaming is a bert-ts addition (bounded memory; documents shuffled only within each file).
import { MODEL_FILE_FLAGS } from './common_flags.js';
import { bool, float, int, str } from './flags.js';
import { defineScript } from './script.js';
import { createPretrainingData } from '../data/pretraining/create_pretraining_data.js';
import { expandInputPatterns } from '../data/pretraining/input_files.js';
import { FullTokenizer } from '../tokenization/full.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  input_file: str({
    required: true,
    help: 'Input raw text file (or comma-separated list of files).',
  }),
  output_file: str({
    required: true,
    help: 'Output TF example file (or comma-separated list of files).',
  }),
  vocab_file: MODEL_FILE_FLAGS.vocab_file,
  do_lower_case: bool(
    true,
    'Whether to lower case the input text. Should be True for uncased models and False for cased models.',
  ),
  do_whole_word_mask: bool(
    false,
    'Whether to use whole word masking rather than per-WordPiece masking.',
  ),
  max_seq_length: int(128, 'Maximum sequence length.'),
  max_predictions_per_seq: int(20, 'Maximum number of masked LM predictions per sequence.'),
  random_seed: int(12345, 'Random seed for data generation.'),
  dupe_factor: int(10, 'Number of times to duplicate the input data (with different masks).'),
  masked_lm_prob: float(0.15, 'Masked LM probability.'),
  short_seq_prob: float(
    0.1,
    'Probability of creating sequences which are shorter than the maximum length.',
  ),
  streaming: bool(
    false,
    'bert-ts: one input file at a time, written as it goes, in bounded memory (documents are then shuffled and paired only within each file).',
  ),
} as const;

export default defineScript({
  name: 'create_pretraining_data',
  summary: 'Masked-LM / next-sentence TFRecords from raw text (create_pretraining_data.py)',
  flags: FLAGS,
  async main(f) {
    const tokenizer = FullTokenizer.fromFile(f.vocab_file!, f.do_lower_case);
    createPretrainingData(
      tokenizer,
      {
        maxSeqLength: f.max_seq_length,
        maxPredictionsPerSeq: f.max_predictions_per_seq,
        maskedLmProb: f.masked_lm_prob,
        shortSeqProb: f.short_seq_prob,
        doWholeWordMask: f.do_whole_word_mask,
        dupeFactor: f.dupe_factor,
        randomSeed: f.random_seed,
      },
      {
        inputFiles: expandInputPatterns(f.input_file!),
        outputFiles: f.output_file!.split(','),
        streaming: f.streaming,
        log: stderrLogger,
      },
    );
  },
});
