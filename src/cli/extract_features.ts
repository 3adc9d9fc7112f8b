// `bert extract_features`: extract_features.py's flags (same names, types and defaults) and one
// call to the runner. TPU flags are accepted and ignored; --num_threads is a bert-ts addition.
import { checkNumThreads, MODEL_FILE_FLAGS, THREADS_FLAG } from './common_flags.js';
import { bool, int, str, strDefault } from './flags.js';
import { defineScript } from './script.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  input_file: str({ required: true, help: 'Lines of text_a, or text_a ||| text_b.' }),
  output_file: str({ required: true, help: 'The JSON lines file to write.' }),
  layers: strDefault('-1,-2,-3,-4', 'Encoder layers to output (negative: from the last).'),
  bert_config_file: MODEL_FILE_FLAGS.bert_config_file,
  max_seq_length: int(128, 'The maximum total input sequence length after WordPiece tokenization.'),
  init_checkpoint: { ...MODEL_FILE_FLAGS.init_checkpoint, required: true },
  vocab_file: MODEL_FILE_FLAGS.vocab_file,
  do_lower_case: bool(true, 'Whether to lower case the input text.'),
  batch_size: int(32, 'Batch size for predictions.'),
  use_tpu: bool(false, 'Whether to use TPU (accepted and ignored: bert-ts runs on the CPU).'),
  master: str({ help: 'If using a TPU, the address of the master (ignored).' }),
  num_tpu_cores: int(8, 'Only used if use_tpu is True (ignored).'),
  use_one_hot_embeddings: bool(false, 'TPU embedding lookups (ignored: same values).'),
  ...THREADS_FLAG,
} as const;

export default defineScript({
  name: 'extract_features',
  summary: 'per-token activations of chosen layers as JSON lines (extract_features.py)',
  flags: FLAGS,
  async main(f) {
    checkNumThreads(f.num_threads);
    const { extractFeatures } = await import('../train/runners/extract_features.js');
    await extractFeatures({
      inputFile: f.input_file!,
      outputFile: f.output_file!,
      vocabFile: f.vocab_file!,
      bertConfigFile: f.bert_config_file!,
      initCheckpoint: f.init_checkpoint!,
      layers: f.layers,
      maxSeqLength: f.max_seq_length,
      doLowerCase: f.do_lower_case,
      batchSize: f.batch_size,
      numThreads: f.num_threads,
      backend: f.backend,
      logger: stderrLogger,
    });
  },
});
