// A BERT encoder with run_squad's span head (task_model.ts): the layout bert/* then cls/squad/*.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { addSquadParams, SquadHead } from './heads/squad.js';
import type { BertConfigFields } from './layout.js';
import { createTaskModel, type TaskModel, type TaskModelOptions } from './task_model.js';

export type SquadModel<A extends FloatArray> = TaskModel<A, SquadHead<A>>;

/** Builds and initialises encoder + SQuAD head (checkpoint loading comes after). */
export function createSquadModel<A extends FloatArray>(
  k: Kernels<A>,
  config: BertConfigFields,
  opts: TaskModelOptions,
): SquadModel<A> {
  const C = config.hidden_size;
  return createTaskModel(k, config, opts, {
    addParams: (layout) => addSquadParams(layout, C),
    create: (k, store) => new SquadHead(k, store, C, opts.maxBatch, opts.maxSeq),
  });
}
