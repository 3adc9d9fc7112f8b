// Reference activations (modeling.get_activation): "gelu" is the tanh approximation
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) of modeling.gelu, not the exact erf form.
import type { Activation, FloatArray } from '../kernels.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

function geluValue(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
}

/** d gelu / dx of the tanh approximation. */
function geluDerivative(x: number): number {
  const u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
  const t = Math.tanh(u);
  const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
}

function value(act: Activation, x: number): number {
  switch (act) {
    case 'gelu':
      return geluValue(x);
    case 'relu':
      return x > 0 ? x : 0;
    case 'tanh':
      return Math.tanh(x);
    case 'linear':
      return x;
    default:
      return act satisfies never;
  }
}

function derivative(act: Activation, x: number): number {
  switch (act) {
    case 'gelu':
      return geluDerivative(x);
    case 'relu':
      return x > 0 ? 1 : 0; // TF's ReluGrad: 0 at x = 0
    case 'tanh': {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'linear':
      return 1;
    default:
      return act satisfies never;
  }
}

/** out(n) = act(inp(n)). */
export function activationForward(
  act: Activation,
  out: FloatArray,
  inp: FloatArray,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[i] = value(act, inp[i]!);
}

/** dInp(n) += act'(inp)·dOut; inp is the pre-activation input. */
export function activationBackward(
  act: Activation,
  dInp: FloatArray,
  inp: FloatArray,
  dOut: FloatArray,
  n: number,
): void {
  for (let i = 0; i < n; i++) dInp[i] = dInp[i]! + derivative(act, inp[i]!) * dOut[i]!;
}
