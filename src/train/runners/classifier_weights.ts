// Where a run_classifier model's weights come from, in the Estimator's order: output_dir's latest
// checkpoint (a resumed or finished run: everything restored), else --init_checkpoint by the
// assignment map (modeling.get_assignment_map_from_checkpoint), else the seeded initialisers —
// which only training may start from (the original's evaluate() refuses a model_dir without a
// trained model).
import type { ClassifierModel } from '../../model/classifier_model.js';
import { openCheckpoint } from '../../formats/checkpoint/source.js';
import { UsageError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import {
  initFromCheckpoint,
  latestCheckpoint,
  restoreTrainingCheckpoint,
  type NamedView,
} from '../checkpoint_io.js';

/** The model's variables as checkpoint views, in layout order. */
export function modelViews(m: ClassifierModel<Float32Array>): NamedView<Float32Array>[] {
  return [...m.store.namedParameters()].map((p) => ({
    name: p.name,
    shape: p.shape,
    data: p.view,
  }));
}

/** global_step of an --init_checkpoint that has one (a fine-tuned model.ckpt-N), else 0. */
function checkpointStep(path: string): number {
  const src = openCheckpoint(path);
  try {
    return src.has('global_step') ? Number(src.readTensor('global_step').data[0]) : 0;
  } finally {
    src.close();
  }
}

/** Throws before any output when an eval/predict-only run would have no trained weights. */
export function checkWeightsAvailable(
  outputDir: string,
  initCheckpoint: string | null,
  doTrain: boolean,
): void {
  if (doTrain || initCheckpoint !== null || latestCheckpoint(outputDir) !== null) return;
  throw new UsageError(
    `Could not find trained model in model_dir: ${outputDir}`,
    'train first (--do_train=true), or pass the weights with --init_checkpoint=PATH',
  );
}

export interface LoadedWeights {
  /** global_step of the loaded weights (0 for a fresh model). */
  readonly globalStep: number;
  /** The checkpoint a resumed run restores its optimizer slots from, if any. */
  readonly resumeFrom: string | null;
}

export function loadWeights(
  m: ClassifierModel<Float32Array>,
  outputDir: string,
  initCheckpoint: string | null,
  logger: Logger,
): LoadedWeights {
  const latest = latestCheckpoint(outputDir);
  if (latest !== null) {
    logger.info(`Restoring parameters from ${latest}`);
    // Slots are restored by the trainer when it resumes; evaluation needs only the variables.
    return { globalStep: restoreTrainingCheckpoint(latest, modelViews(m), []), resumeFrom: latest };
  }
  if (initCheckpoint !== null) {
    initFromCheckpoint(initCheckpoint, modelViews(m), logger);
    return { globalStep: checkpointStep(initCheckpoint), resumeFrom: null };
  }
  return { globalStep: 0, resumeFrom: null };
}
