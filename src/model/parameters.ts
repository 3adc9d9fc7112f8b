// The parameter and gradient buffers of one model (+ heads): two flat buffers of layout.size
// elements from the kernel set, views by TF name, and the checkpoint hooks (namedParameters for
// saving, loadFromNamedTensors for modeling.get_assignment_map_from_checkpoint's restore).
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { ShapeError } from '../util/errors.js';
import type { ParamEntry, ParamLayout } from './layout.js';

export interface NamedParameter<A extends FloatArray> {
  readonly name: string;
  readonly shape: readonly number[];
  readonly decay: boolean;
  /** The tensor's elements inside the parameter buffer (row-major, TF layout). */
  readonly view: A;
  /** The tensor's gradient inside the gradient buffer. */
  readonly grad: A;
}

export class ParameterStore<A extends FloatArray> {
  readonly params: A;
  readonly grads: A;

  constructor(
    private readonly k: Kernels<A>,
    readonly layout: ParamLayout,
  ) {
    this.params = k.alloc(layout.size);
    this.grads = k.alloc(layout.size);
  }

  /** The parameter tensor `name` (a view into params). */
  view(name: string): A {
    return this.slice(this.params, this.layout.entry(name));
  }

  /** The gradient of `name` (a view into grads). */
  grad(name: string): A {
    return this.slice(this.grads, this.layout.entry(name));
  }

  /** Every tensor in layout order: name, shape, decay flag, parameter and gradient views. */
  *namedParameters(): IterableIterator<NamedParameter<A>> {
    for (const e of this.layout.entries) {
      const { name, shape, decay } = e;
      yield {
        name,
        shape,
        decay,
        view: this.slice(this.params, e),
        grad: this.slice(this.grads, e),
      };
    }
  }

  zeroGrad(): void {
    this.k.zero(this.grads, this.grads.length);
  }

  /**
   * Copies each tensor `get(name)` returns into the parameters (as get_assignment_map_from_checkpoint:
   * names the source lacks keep their initial values; a size mismatch is a ShapeError) and returns
   * the names that were initialised, in layout order.
   */
  loadFromNamedTensors(get: (name: string) => Float32Array | Float64Array | undefined): string[] {
    const loaded: string[] = [];
    for (const e of this.layout.entries) {
      const src = get(e.name);
      if (src === undefined) continue;
      if (src.length !== e.size) {
        throw new ShapeError(
          `${e.name}: the source tensor has ${src.length} elements, the model expects ` +
            `[${e.shape.join(', ')}] = ${e.size}`,
          'is bert_config.json the one the checkpoint was trained with?',
        );
      }
      this.slice(this.params, e).set(src);
      loaded.push(e.name);
    }
    return loaded;
  }

  private slice(buf: A, e: ParamEntry): A {
    // subarray of a Float32Array is a Float32Array (and likewise for Float64Array).
    return buf.subarray(e.offset, e.offset + e.size) as A;
  }
}
