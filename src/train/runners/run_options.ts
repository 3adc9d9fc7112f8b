// The options every training runner takes beside its own (run_classifier, run_pretraining): the
// bert-ts engine settings, the TPU notice, where to log, the library's progress callback, and the
// two test hooks.
import type { Kernels } from '../../engine/kernels.js';
import type { Backend } from '../../engine/index.js';
import type { Logger } from '../../util/log.js';
import type { ProgressBar } from '../progress.js';

/** What a training step reports to RunOptions.onStep. */
export interface StepInfo {
  /** 1-based: the steps done with this one. */
  readonly step: number;
  readonly totalSteps: number;
  /** The batch's mean loss. */
  readonly loss: number;
  /** This step's learning rate (warm-up, then linear decay). */
  readonly learningRate: number;
}

export interface RunOptions {
  /** Initialisation, shuffle and dropout seed. */
  readonly seed: number;
  /** Kernel threads, the main one included (default: every core, at most 48). */
  readonly numThreads?: number;
  /** The kernel set (default 'auto': native where it loads, else wasm). */
  readonly backend?: Backend;
  readonly padToMaxSeqLength: boolean;
  readonly tpuFlagsGiven?: boolean;
  readonly logger: Logger;
  /** A terminal for the progress bar, or null for log lines. */
  readonly bar: ProgressBar | null;
  /** Library callers (Classifier.fineTune): called after each step's forward and backward. */
  readonly onStep?: (s: StepInfo) => void;
  /** Tests: stop training after this global step without the final save (a killed run). */
  readonly stopAtStep?: number;
  /** Tests: a kernel set to use instead of createKernels({ threads: numThreads, backend }). */
  readonly kernels?: Kernels<Float32Array>;
}
