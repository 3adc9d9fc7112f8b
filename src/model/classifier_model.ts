// A BERT encoder with run_classifier's head, wired together: one layout (bert/* then
// output_weights, output_bias), one parameter/gradient store, the model and the head. What the
// classifier trainer, the gradient checks and the fixtures build.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { BertModel, type BertBatch, type ForwardOptions } from './bert_model.js';
import {
  addClassifierParams,
  ClassifierHead,
  type ClassifierLabels,
  type ClassifierResult,
} from './heads/classifier.js';
import { initParameters } from './init.js';
import { addBertParams, ParamLayout, type BertConfigFields } from './layout.js';
import { ParameterStore } from './parameters.js';

export interface ClassifierModelOptions {
  readonly numLabels: number;
  readonly maxBatch: number;
  readonly maxSeq: number;
  /** Seed of the initial weights (util/rng.ts). */
  readonly seed: number;
  readonly regression?: boolean;
  /**
   * 'pooled' (default): the head reads only the pooled output, so the last layer runs for token
   * 0 alone (first_token_layer.ts) — same outputs and gradients, less work. 'all-layers' keeps
   * every layer's full output readable (model.forward(...).sequence).
   */
  readonly outputs?: 'pooled' | 'all-layers';
  /**
   * Forward only (eval and predict without training): the layers share one set of activation
   * buffers and no backward scratch is allocated (BertModel's limits.inference).
   */
  readonly inference?: boolean;
}

export interface ClassifierModel<A extends FloatArray> {
  readonly layout: ParamLayout;
  readonly store: ParameterStore<A>;
  readonly model: BertModel<A>;
  readonly head: ClassifierHead<A>;
}

/** Builds and initialises encoder + classifier head (checkpoint loading comes after). */
export function createClassifierModel<A extends FloatArray>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: ClassifierModelOptions,
): ClassifierModel<A> {
  const layout = new ParamLayout();
  addBertParams(layout, config);
  addClassifierParams(layout, opts.numLabels, config.hidden_size);
  const store = new ParameterStore(k, layout);
  initParameters(store, opts.seed);
  const model = new BertModel(k, config, store, {
    maxBatch: opts.maxBatch,
    maxSeq: opts.maxSeq,
    outputs: opts.outputs ?? 'pooled',
    inference: opts.inference ?? false,
  });
  const head = new ClassifierHead(k, store, {
    numLabels: opts.numLabels,
    hiddenSize: config.hidden_size,
    maxBatch: opts.maxBatch,
    regression: opts.regression ?? false,
  });
  return { layout, store, model, head };
}

/**
 * One forward and backward of model + head. Gradients ACCUMULATE into store.grads (call
 * model.zeroGrad() first unless accumulating over micro-batches).
 */
export function classifierForwardBackward<A extends FloatArray>(
  m: ClassifierModel<A>,
  batch: BertBatch,
  labels: ClassifierLabels,
  opts: ForwardOptions,
): ClassifierResult {
  const outputs = m.model.forward(batch, opts);
  const result = m.head.forward(outputs, labels, opts);
  m.head.backward(m.model.outputGrads);
  m.model.backward();
  return result;
}
