// The options every training runner takes beside its own (run_classifier, run_pretraining): the
// bert-ts engine settings, the TPU notice, where to log, and the two test hooks.
import type { Kernels } from '../../engine/kernels.js';
import type { Logger } from '../../util/log.js';

export interface RunOptions {
  /** Initialisation, shuffle and dropout seed. */
  readonly seed: number;
  readonly numThreads: number;
  readonly padToMaxSeqLength: boolean;
  readonly tpuFlagsGiven?: boolean;
  readonly logger: Logger;
  /** A terminal for the progress bar, or null for log lines. */
  readonly tty: NodeJS.WritableStream | null;
  /** Tests: stop training after this global step without the final save (a killed run). */
  readonly stopAtStep?: number;
  /** Tests: a kernel set to use instead of createKernels({ threads: numThreads }). */
  readonly kernels?: Kernels<Float32Array>;
}
