// A BERT encoder with one task head on top, wired together the way every script of the original
// builds its model: one layout (bert/* then the head's variables, tf.trainable_variables()'s
// order), one parameter/gradient store, the seeded initialisers, the model and the head. The
// classifier, pre-training and SQuAD models are this with their head (classifier_model.ts,
// pretraining_model.ts, squad_model.ts); runners, gradient checks and benchmarks build them.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { BertModel, type BertBatch, type ForwardOptions } from './bert_model.js';
import type { Head } from './heads/head.js';
import { initParameters } from './init.js';
import { addBertParams, ParamLayout, type BertConfigFields } from './layout.js';
import { ParameterStore } from './parameters.js';

export interface TaskModelOptions {
  readonly maxBatch: number;
  readonly maxSeq: number;
  /** Seed of the initial weights (util/rng.ts). */
  readonly seed: number;
  /**
   * Forward only (eval and predict without training): the layers share one set of activation
   * buffers and no backward scratch is allocated (BertModel's limits.inference).
   */
  readonly inference?: boolean;
  /**
   * 'pooled': the head reads only the pooled output, so the last layer runs for token 0 alone
   * (first_token_layer.ts) — same outputs and gradients, less work. 'all-layers' (default) keeps
   * every layer's full output readable.
   */
  readonly outputs?: 'pooled' | 'all-layers';
}

/** How a task adds its head: its variables (before allocation), then the head over the store. */
export interface HeadSpec<A extends FloatArray, H> {
  addParams(layout: ParamLayout): void;
  create(k: Kernels<A>, store: ParameterStore<A>): H;
}

export interface TaskModel<A extends FloatArray, H> {
  readonly layout: ParamLayout;
  readonly store: ParameterStore<A>;
  readonly model: BertModel<A>;
  readonly head: H;
}

/** Builds and initialises encoder + head (checkpoint loading comes after). */
export function createTaskModel<A extends FloatArray, H>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: TaskModelOptions,
  head: HeadSpec<A, H>,
): TaskModel<A, H> {
  const layout = new ParamLayout();
  addBertParams(layout, config);
  head.addParams(layout);
  const store = new ParameterStore(k, layout);
  initParameters(store, opts.seed);
  const model = new BertModel(k, config, store, {
    maxBatch: opts.maxBatch,
    maxSeq: opts.maxSeq,
    outputs: opts.outputs ?? 'all-layers',
    inference: opts.inference ?? false,
  });
  return { layout, store, model, head: head.create(k, store) };
}

/** Loss and predictions of model + head on a batch, dropout as opts say, no gradients. */
export function forward<A extends FloatArray, L, R>(
  m: TaskModel<A, Head<A, L, R>>,
  batch: BertBatch,
  labels: L,
  opts: ForwardOptions,
): R {
  return m.head.forward(m.model.forward(batch, opts), labels, opts);
}

/**
 * One forward and backward of model + head. Gradients ACCUMULATE into store.grads (zero them
 * first unless accumulating over micro-batches).
 */
export function forwardBackward<A extends FloatArray, L, R>(
  m: TaskModel<A, Head<A, L, R>>,
  batch: BertBatch,
  labels: L,
  opts: ForwardOptions,
): R {
  const result = forward(m, batch, labels, opts);
  m.head.backward(m.model.outputGrads);
  m.model.backward();
  return result;
}
