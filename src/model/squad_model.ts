// A BERT encoder with run_squad's span head, wired together: one layout (bert/* then
// cls/squad/*), one parameter/gradient store, the model and the head.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { BertModel, type BertBatch, type ForwardOptions } from './bert_model.js';
import { addSquadParams, SquadHead, type SquadLabels, type SquadResult } from './heads/squad.js';
import { initParameters } from './init.js';
import { addBertParams, ParamLayout, type BertConfigFields } from './layout.js';
import { ParameterStore } from './parameters.js';

export interface SquadModelOptions {
  readonly maxBatch: number;
  readonly maxSeq: number;
  /** Seed of the initial weights (util/rng.ts). */
  readonly seed: number;
}

export interface SquadModel<A extends FloatArray> {
  readonly layout: ParamLayout;
  readonly store: ParameterStore<A>;
  readonly model: BertModel<A>;
  readonly head: SquadHead<A>;
}

/** Builds and initialises encoder + SQuAD head (checkpoint loading comes after). */
export function createSquadModel<A extends FloatArray>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: SquadModelOptions,
): SquadModel<A> {
  const layout = new ParamLayout();
  addBertParams(layout, config);
  addSquadParams(layout, config.hidden_size);
  const store = new ParameterStore(k, layout);
  initParameters(store, opts.seed);
  const limits = { maxBatch: opts.maxBatch, maxSeq: opts.maxSeq };
  const model = new BertModel(k, config, store, limits);
  const head = new SquadHead(k, store, config.hidden_size, opts.maxBatch, opts.maxSeq);
  return { layout, store, model, head };
}

/** One forward and backward of model + head; gradients ACCUMULATE into store.grads. */
export function squadForwardBackward<A extends FloatArray>(
  m: SquadModel<A>,
  batch: BertBatch,
  labels: SquadLabels,
  opts: ForwardOptions,
): SquadResult {
  const outputs = m.model.forward(batch, opts);
  const result = m.head.forward(outputs, labels, opts);
  m.head.backward(m.model.outputGrads);
  m.model.backward();
  return result;
}
