// Initialisation as modeling.py and run_classifier.py do it: truncated normal (re-drawn beyond
// 2σ, tf.truncated_normal_initializer) for every weight matrix and embedding, zeros for biases
// and LayerNorm beta, ones for LayerNorm gamma. TF's own random stream is not reproduced; the
// draws come from util/rng.ts seeded once, tensor by tensor in layout order.
import type { FloatArray } from '../engine/kernels.js';
import { Rng } from '../util/rng.js';
import type { ParameterStore } from './parameters.js';

/** Fills every parameter from its layout initialiser; the same seed gives the same weights. */
export function initParameters<A extends FloatArray>(store: ParameterStore<A>, seed: number): void {
  const rng = new Rng(seed);
  for (const { view, name } of store.namedParameters()) {
    const init = store.layout.entry(name).init;
    switch (init.kind) {
      case 'truncated_normal':
        for (let i = 0; i < view.length; i++) view[i] = rng.truncatedNormal(init.stddev);
        break;
      case 'zeros':
        view.fill(0);
        break;
      case 'ones':
        view.fill(1);
        break;
      default:
        init satisfies never;
    }
  }
}
