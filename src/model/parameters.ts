// The parameter and gradient buffers of one model (+ heads): two flat buffers of layout.size
// elements from the kernel set, views by TF name, and namedParameters, through which checkpoints
// are saved and loaded (train/checkpoint_io.ts is the one loader).
import type { FloatArray, Kernels } from '../engine/kernels.js';
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

  private slice(buf: A, e: ParamEntry): A {
    // subarray of a Float32Array is a Float32Array (and likewise for Float64Array).
    return buf.subarray(e.offset, e.offset + e.size) as A;
  }
}
