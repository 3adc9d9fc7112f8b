// The learning-rate schedule of optimization.create_optimizer:
//   lr(step) = init_lr · (1 − min(step, N)/N)            polynomial_decay, power 1, end 0, from step 0
//   lr(step) = init_lr · step / warmup   while step < warmup   (linear warm-up; 0 at step 0)
// Note the decay runs from step 0, not from the end of warm-up, so with 10% warm-up the rate
// falls from ≈init_lr to 0.9·init_lr at the end of warm-up (Hugging Face's schedule differs).
// TF computes every term in float32; each operation is rounded with Math.fround to match.

export interface ScheduleOptions {
  /** --learning_rate. */
  readonly initLr: number;
  /** num_train_steps = int(len(train_examples) / train_batch_size * num_train_epochs). */
  readonly numTrainSteps: number;
  /** num_warmup_steps = int(num_train_steps * warmup_proportion); 0 disables warm-up. */
  readonly numWarmupSteps: number;
}

const f = Math.fround;

/** tf.train.polynomial_decay(init_lr, step, N, end_learning_rate=0.0, power=1.0, cycle=False). */
function polynomialDecay(initLr: number, step: number, numTrainSteps: number): number {
  if (numTrainSteps <= 0) return 0; // no training steps: nothing will be applied
  const s = Math.min(step, numTrainSteps);
  return f(f(initLr) * f(1 - f(f(s) / f(numTrainSteps))));
}

/** The learning rate applied by the update that runs at `globalStep` (before it increments). */
export function learningRate(o: ScheduleOptions, globalStep: number): number {
  const decayed = polynomialDecay(o.initLr, globalStep, o.numTrainSteps);
  if (o.numWarmupSteps > 0 && globalStep < o.numWarmupSteps) {
    return f(f(o.initLr) * f(f(globalStep) / f(o.numWarmupSteps)));
  }
  return decayed;
}

/** run_classifier's derived step counts, with Python's int() truncation. */
export function trainSteps(
  numExamples: number,
  batchSize: number,
  numEpochs: number,
  warmupProportion: number,
): { numTrainSteps: number; numWarmupSteps: number } {
  const numTrainSteps = Math.trunc((numExamples / batchSize) * numEpochs);
  return { numTrainSteps, numWarmupSteps: Math.trunc(numTrainSteps * warmupProportion) };
}
