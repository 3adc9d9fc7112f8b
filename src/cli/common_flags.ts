// Flag table fragments shared by the training scripts (run_classifier, run_pretraining) and, for
// --num_threads, extract_features: spread into each script's own table so every script still
// shows its whole flag list in one place.
import { availableParallelism } from 'node:os';
import { bool, int, oneOf, str } from './flags.js';
import { terminalBar } from './progress_bar.js';
import { BACKENDS, type Backend } from '../engine/index.js';
import { MAX_THREADS } from '../engine/pool.js';
import type { RunOptions } from '../train/runners/run_options.js';
import { UsageError } from '../util/errors.js';
import { stderrLogger } from '../util/log.js';

/**
 * The model-file flags Google's scripts share, with their help text (each script picks the ones
 * it has, in its own order; extract_features requires init_checkpoint, so it makes it required).
 */
export const MODEL_FILE_FLAGS = {
  bert_config_file: str({
    required: true,
    help: 'The config json file corresponding to the pre-trained BERT model.',
  }),
  vocab_file: str({
    required: true,
    help: 'The vocabulary file that the BERT model was trained on.',
  }),
  output_dir: str({
    required: true,
    help: 'The output directory where the model checkpoints will be written.',
  }),
  init_checkpoint: str({
    help: 'Initial checkpoint (usually from a pre-trained BERT model; TF prefix or .safetensors).',
  }),
  do_lower_case: bool(
    true,
    'Whether to lower case the input text. Should be True for uncased models.',
  ),
} as const;

/** The TPU flags of run_classifier.py and run_pretraining.py: accepted, and ignored (CPU only). */
export const TPU_FLAGS = {
  iterations_per_loop: int(
    1000,
    'How many steps to make in each estimator call (TPU only; ignored).',
  ),
  use_tpu: bool(false, 'Whether to use TPU (accepted and ignored: bert-ts runs on the CPU).'),
  tpu_name: str({ help: 'The Cloud TPU to use for training (ignored).' }),
  tpu_zone: str({ help: 'GCE zone where the Cloud TPU is located in (ignored).' }),
  gcp_project: str({ help: 'Project name for the Cloud TPU-enabled project (ignored).' }),
  master: str({ help: 'TensorFlow master URL (ignored).' }),
  num_tpu_cores: int(8, 'Only used if use_tpu is True (ignored).'),
} as const;

interface TpuFlagValues {
  readonly iterations_per_loop: number;
  readonly use_tpu: boolean;
  readonly tpu_name: string | null;
  readonly tpu_zone: string | null;
  readonly gcp_project: string | null;
  readonly master: string | null;
  readonly num_tpu_cores: number;
}

/** True when any TPU flag differs from its default: the runner then logs that they are ignored. */
export function tpuFlagsGiven(f: TpuFlagValues): boolean {
  return (
    f.use_tpu ||
    [f.tpu_name, f.tpu_zone, f.gcp_project, f.master].some((v) => v !== null) ||
    f.num_tpu_cores !== TPU_FLAGS.num_tpu_cores.default ||
    f.iterations_per_loop !== TPU_FLAGS.iterations_per_loop.default
  );
}

/**
 * bert-ts's --num_threads (the kernels' threads, by default the machine's cores, capped) and
 * --backend (which kernel set: the native one where its binary loads, else WebAssembly).
 */
export const THREADS_FLAG = {
  num_threads: int(
    Math.min(availableParallelism(), MAX_THREADS),
    `bert-ts: worker threads of the kernels (default: the machine's cores, at most ${MAX_THREADS}).`,
  ),
  backend: oneOf(
    BACKENDS,
    'auto',
    'bert-ts: the kernels: native (C, AVX-512/AVX2), wasm (WebAssembly SIMD), or auto (native where it loads).',
  ),
} as const;

/** The bert-ts additions of the training scripts: seed, threads and padding. */
export const ENGINE_FLAGS = {
  seed: int(12345, 'bert-ts: seed of the initialisation, the shuffle and dropout.'),
  ...THREADS_FLAG,
  pad_to_max_seq_length: bool(
    false,
    'bert-ts: pad every batch to max_seq_length as the original (default: to its longest example).',
  ),
} as const;

/** The usage check of --num_threads, the same in every script that has it. */
export function checkNumThreads(numThreads: number): void {
  if (numThreads < 1) throw new UsageError(`--num_threads=${numThreads}: must be at least 1`);
}

interface EngineFlagValues extends TpuFlagValues {
  readonly seed: number;
  readonly num_threads: number;
  readonly backend: Backend;
  readonly pad_to_max_seq_length: boolean;
}

/** The runner options that come from the shared flags, logging to stderr (a bar on a terminal). */
export function runOptionsFromFlags(f: EngineFlagValues): RunOptions {
  return {
    seed: f.seed,
    numThreads: f.num_threads,
    backend: f.backend,
    padToMaxSeqLength: f.pad_to_max_seq_length,
    tpuFlagsGiven: tpuFlagsGiven(f),
    logger: stderrLogger,
    bar: process.stderr.isTTY ? terminalBar(process.stderr) : null,
  };
}
