// Where a runner's weights come from, the same for every script (run_classifier.py and
// run_pretraining.py share it through the Estimator): output_dir's latest checkpoint when there is
// one (resume: variables now, Adam slots when training starts), else --init_checkpoint by the
// assignment map, else the seeded initialisers. Plus the checkpoint views of a parameter store
// and of the optimizer's slots, with their TF names and shapes.
import { openCheckpoint } from '../formats/checkpoint/source.js';
import type { ParamLayout } from '../model/layout.js';
import type { ParameterStore } from '../model/parameters.js';
import type { Logger } from '../util/log.js';
import type { AdamWeightDecay } from './adam_weight_decay.js';
import {
  initFromCheckpoint,
  latestCheckpoint,
  restoreTrainingCheckpoint,
  type NamedView,
} from './checkpoint_io.js';

/** The store's variables as checkpoint views, in layout order. */
export function storeViews(store: ParameterStore<Float32Array>): NamedView<Float32Array>[] {
  return [...store.namedParameters()].map((p) => ({ name: p.name, shape: p.shape, data: p.view }));
}

/** The optimizer's `<name>/adam_m`, `<name>/adam_v` slots with their variables' shapes. */
export function slotViews(
  optimizer: AdamWeightDecay<Float32Array>,
  layout: ParamLayout,
): NamedView<Float32Array>[] {
  return [...optimizer.namedSlots()].map((s) => ({
    name: s.name,
    data: s.data,
    shape: layout.entry(s.entry.name).shape,
  }));
}

/** global_step of a checkpoint that has one (a model.ckpt-N), else 0 (a released bert_model.ckpt). */
export function checkpointStep(path: string): number {
  const src = openCheckpoint(path);
  try {
    if (!src.has('global_step')) return 0;
    return Number(src.readTensor('global_step').data[0]);
  } finally {
    src.close();
  }
}

export interface WeightsSource {
  readonly outputDir: string;
  readonly initCheckpoint: string | null;
  readonly logger: Logger;
  /** The model's bert_config.json, named when a checkpoint does not fit it. */
  readonly bertConfigFile?: string;
}

export interface LoadedWeights {
  /** The global step of the weights now in the model. */
  readonly globalStep: number;
  /** The checkpoint being resumed (its slots are restored when training starts), or null. */
  readonly resumeFrom: string | null;
  /** Variables left at their initialisers (none when resuming; all without a checkpoint). */
  readonly initialised: readonly string[];
}

/** Resume from output_dir, else --init_checkpoint, else keep the initialisers. */
export function loadWeights(o: WeightsSource, views: NamedView<Float32Array>[]): LoadedWeights {
  const latest = latestCheckpoint(o.outputDir);
  if (latest !== null) {
    o.logger.info(`Restoring parameters from ${latest}`);
    const globalStep = restoreTrainingCheckpoint(latest, views, [], o.bertConfigFile);
    return { globalStep, resumeFrom: latest, initialised: [] };
  }
  if (o.initCheckpoint !== null) {
    const loaded = initFromCheckpoint(o.initCheckpoint, views, o.logger, o.bertConfigFile);
    const initialised = views.filter((v) => !loaded.has(v.name)).map((v) => v.name);
    return { globalStep: checkpointStep(o.initCheckpoint), resumeFrom: null, initialised };
  }
  return { globalStep: 0, resumeFrom: null, initialised: views.map((v) => v.name) };
}
