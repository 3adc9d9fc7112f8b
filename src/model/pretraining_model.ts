// A BERT encoder with run_pretraining's heads, wired together: one layout (bert/* then cls/*, the
// order tf.trainable_variables() has in run_pretraining.py), one parameter/gradient store, the
// model and the masked-LM + next-sentence head. What the pre-training runner, the gradient check
// and the step benchmark build.
import type { Activation, FloatArray, Kernels } from '../engine/kernels.js';
import { BertModel, type BertBatch, type ForwardOptions } from './bert_model.js';
import {
  addPretrainingParams,
  PretrainingHead,
  type PretrainingLabels,
  type PretrainingResult,
} from './heads/pretraining.js';
import { initParameters } from './init.js';
import { addBertParams, ParamLayout, type BertConfigFields } from './layout.js';
import { ParameterStore } from './parameters.js';

export interface PretrainingModelOptions {
  readonly maxBatch: number;
  readonly maxSeq: number;
  /** max_predictions_per_seq of the data. */
  readonly maxPredictions: number;
  /** Seed of the initial weights (util/rng.ts). */
  readonly seed: number;
  /**
   * Forward only (eval and predict without training): the layers share one set of activation
   * buffers and no backward scratch is allocated (BertModel's limits.inference).
   */
  readonly inference?: boolean;
}

export interface PretrainingModel<A extends FloatArray> {
  readonly layout: ParamLayout;
  readonly store: ParameterStore<A>;
  readonly model: BertModel<A>;
  readonly head: PretrainingHead<A>;
}

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
  const layout = new ParamLayout();
  addBertParams(layout, config);
  addPretrainingParams(layout, config);
  const store = new ParameterStore(k, layout);
  initParameters(store, opts.seed);
  const model = new BertModel(k, config, store, {
    maxBatch: opts.maxBatch,
    maxSeq: opts.maxSeq,
    inference: opts.inference ?? false,
  });
  const head = new PretrainingHead(k, store, config, {
    maxBatch: opts.maxBatch,
    maxPredictions: opts.maxPredictions,
    act: transformActivation(config.hidden_act),
  });
  return { layout, store, model, head };
}

/**
 * One forward and backward of model + heads. Gradients ACCUMULATE into store.grads (call
 * model.zeroGrad() first unless accumulating over micro-batches).
 */
export function pretrainingForwardBackward<A extends FloatArray>(
  m: PretrainingModel<A>,
  batch: BertBatch,
  labels: PretrainingLabels,
  opts: ForwardOptions,
): PretrainingResult {
  const outputs = m.model.forward(batch, opts);
  const result = m.head.forward(outputs, labels, opts);
  m.head.backward(m.model.outputGrads);
  m.model.backward();
  return result;
}
