// A BERT encoder with run_pretraining's heads (task_model.ts): the layout bert/* then cls/*, the
// order tf.trainable_variables() has in run_pretraining.py. What the pre-training runner, the
// gradient check and the step benchmark build.
import type { Activation, FloatArray, Kernels } from '../engine/kernels.js';
import { addPretrainingParams, PretrainingHead } from './heads/pretraining.js';
import type { BertConfigFields } from './layout.js';
import { createTaskModel, type TaskModel, type TaskModelOptions } from './task_model.js';

export interface PretrainingModelOptions extends TaskModelOptions {
  /** max_predictions_per_seq of the data. */
  readonly maxPredictions: number;
}

export type PretrainingModel<A extends FloatArray> = TaskModel<A, PretrainingHead<A>>;

const KNOWN: readonly Activation[] = ['gelu', 'relu', 'tanh', 'linear'];

/** modeling.get_activation for the transform dense (BertModel has already rejected bad names). */
function transformActivation(hiddenAct: string): Activation {
  const name = hiddenAct.toLowerCase();
  return KNOWN.find((a) => a === name) ?? 'linear';
}

/** Builds and initialises encoder + pre-training heads (checkpoint loading comes after). */
export function createPretrainingModel<A extends FloatArray>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: PretrainingModelOptions,
): PretrainingModel<A> {
  return createTaskModel(k, config, opts, {
    addParams: (layout) => addPretrainingParams(layout, config),
    create: (k, store) =>
      new PretrainingHead(k, store, config, {
        maxBatch: opts.maxBatch,
        maxPredictions: opts.maxPredictions,
        act: transformActivation(config.hidden_act),
      }),
  });
}
