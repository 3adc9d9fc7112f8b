// A BERT encoder with run_classifier's head (task_model.ts): the layout bert/* then
// output_weights, output_bias. What the classifier trainer, the gradient checks and the fixtures
// build.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { addClassifierParams, ClassifierHead } from './heads/classifier.js';
import type { BertConfigFields } from './layout.js';
import { createTaskModel, type TaskModel, type TaskModelOptions } from './task_model.js';

export interface ClassifierModelOptions extends TaskModelOptions {
  readonly numLabels: number;
  readonly regression?: boolean;
}

export type ClassifierModel<A extends FloatArray> = TaskModel<A, ClassifierHead<A>>;

/**
 * Builds and initialises encoder + classifier head. `outputs` defaults to 'pooled' here: the
 * head reads only the pooled output.
 */
export function createClassifierModel<A extends FloatArray>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: ClassifierModelOptions,
): ClassifierModel<A> {
  const C = config.hidden_size;
  return createTaskModel(
    k,
    config,
    { ...opts, outputs: opts.outputs ?? 'pooled' },
    {
      addParams: (layout) => addClassifierParams(layout, opts.numLabels, C),
      create: (k, store) =>
        new ClassifierHead(k, store, {
          numLabels: opts.numLabels,
          hiddenSize: C,
          maxBatch: opts.maxBatch,
          regression: opts.regression ?? false,
        }),
    },
  );
}
