// The training loop every runner shares (what Estimator.train does for run_classifier and
// run_pretraining): per step, zero the gradients, let the task compute loss and gradients for
// the batch of that step, clip_by_global_norm(1.0), apply AdamWeightDecay at the scheduled
// learning rate, global_step += 1. Around it: a checkpoint at step 0, every
// save_checkpoints_steps and at the end; progress; TensorBoard scalars; the loss curve.
// A non-finite loss stops the run, as the Estimator's NanTensorHook does.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { BertError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { type AdamWeightDecay, globalNormClip } from './adam_weight_decay.js';
import { type NamedView, saveTrainingCheckpoint } from './checkpoint_io.js';
import { type CurvePoint, readCurve, writeCurve } from './plot.js';
import { npFloat32Str } from '../util/py_format.js';
import { TrainProgress, type ProgressBar } from './progress.js';
import { learningRate, type ScheduleOptions } from './schedule.js';

/** Where the loop writes scalars (src/formats/events.ts's EventFileWriter). */
export interface ScalarSink {
  addScalar(tag: string, value: number, step: number): void;
  flush(): void;
}

export interface StepOutcome {
  /** The batch's mean loss (the `loss` the Estimator logs). */
  readonly loss: number;
  /** Real (non-padding) tokens in the batch, for tokens/s. */
  readonly tokens: number;
}

export interface TrainLoopOptions<A extends FloatArray> {
  readonly kernels: Kernels<A>;
  /** The flat parameter and gradient buffers (same layout as the optimizer's entries). */
  readonly params: A;
  readonly grads: A;
  /** Variables for checkpoints, in layout order. */
  readonly namedParams: () => Iterable<NamedView<A>>;
  readonly optimizer: AdamWeightDecay<A>;
  readonly schedule: ScheduleOptions;
  readonly startStep: number;
  readonly saveCheckpointsSteps: number;
  readonly outputDir: string;
  readonly logger: Logger;
  readonly bar: ProgressBar | null;
  readonly events: ScalarSink | null;
  /** Zeroed gradients in, loss and gradients of the batch of `step` out. */
  readonly computeGradients: (step: number) => StepOutcome;
  /** Stop after this global step without the final save (tests simulate a killed run). */
  readonly stopAtStep?: number;
}

export interface TrainLoopResult {
  readonly globalStep: number;
  readonly curve: CurvePoint[];
  readonly seconds: number;
}

/** Saves model.ckpt-<step> (variables, Adam slots, global_step) and the loss curve so far. */
function save<A extends FloatArray>(
  o: TrainLoopOptions<A>,
  step: number,
  curve: CurvePoint[],
): void {
  const params = [...o.namedParams()];
  const shapes = new Map(params.map((p) => [p.name, p.shape]));
  const slots = [...o.optimizer.namedSlots()].map((s) => ({
    name: s.name,
    data: s.data,
    shape: shapes.get(s.entry.name) ?? [s.entry.size],
  }));
  saveTrainingCheckpoint({ outputDir: o.outputDir, step, params, slots, logger: o.logger });
  writeCurve(o.outputDir, curve);
}

/** One optimizer step at `step`; returns the loss and the learning rate used. */
function trainStep<A extends FloatArray>(o: TrainLoopOptions<A>, step: number) {
  o.kernels.zero(o.grads, o.grads.length);
  const out = o.computeGradients(step);
  if (!Number.isFinite(out.loss))
    throw new BertError(`Model diverged with loss = ${out.loss} at step ${step}.`);
  const clip = globalNormClip(o.kernels, o.grads, o.grads.length, 1.0);
  const lr = learningRate(o.schedule, step);
  o.optimizer.apply(o.params, o.grads, lr, clip.scale);
  return { ...out, lr };
}

/** Trains from o.startStep to schedule.numTrainSteps (or stopAtStep). */
export function trainLoop<A extends FloatArray>(o: TrainLoopOptions<A>): TrainLoopResult {
  const N = o.schedule.numTrainSteps;
  const t0 = performance.now();
  const curve: CurvePoint[] = [];
  if (o.startStep >= N) {
    o.logger.info('Skipping training since max_steps has already saved.');
    return { globalStep: o.startStep, curve, seconds: 0 };
  }
  curve.push(...readCurve(o.outputDir, o.startStep)); // a resumed run keeps the curve so far
  if (o.startStep === 0) save(o, 0, curve);
  const progress = new TrainProgress({
    total: N,
    start: o.startStep,
    logger: o.logger,
    bar: o.bar,
  });
  let step = o.startStep;
  let rateFrom = { step, t: t0 };
  try {
    while (step < N) {
      const r = trainStep(o, step);
      curve.push({ step, loss: r.loss, lr: r.lr });
      progress.step({ step, loss: r.loss, lr: r.lr, tokens: r.tokens });
      o.events?.addScalar('loss', r.loss, step);
      o.events?.addScalar('learning_rate', r.lr, step);
      step++;
      if (step % 100 === 0) {
        const t = performance.now();
        const rate = (step - rateFrom.step) / ((t - rateFrom.t) / 1000);
        o.events?.addScalar('global_step/sec', rate, step);
        o.events?.flush();
        rateFrom = { step, t };
      }
      if (step % o.saveCheckpointsSteps === 0 || step === N) save(o, step, curve);
      if (o.stopAtStep !== undefined && step >= o.stopAtStep) break;
    }
  } finally {
    progress.stop();
    o.events?.flush();
  }
  const seconds = (performance.now() - t0) / 1000;
  const last = curve[curve.length - 1];
  if (last !== undefined) o.logger.info(`Loss for final step: ${npFloat32Str(last.loss)}.`);
  return { globalStep: step, curve, seconds };
}
