// Reference LayerNorm (modeling.layer_norm = tf.contrib.layers.layer_norm over the last axis,
// epsilon 1e-12, biased variance). Shapes: inp/out (R,C), gamma/beta (C), mean/rstd (R).
import type { FloatArray } from '../kernels.js';

/** modeling.layer_norm's epsilon (tf.contrib.layers.layer_norm's default is 1e-12). */
export const LAYERNORM_EPS = 1e-12;

/** out = (inp − mean)·rstd·gamma + beta per row; writes out, mean, rstd. */
export function layernormForward(
  out: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  inp: FloatArray,
  gamma: FloatArray,
  beta: FloatArray,
  R: number,
  C: number,
): void {
  for (let r = 0; r < R; r++) {
    const row = r * C;
    let m = 0;
    for (let c = 0; c < C; c++) m += inp[row + c]!;
    m /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (inp[row + c]! - m) ** 2;
    v /= C;
    const s = 1 / Math.sqrt(v + LAYERNORM_EPS);
    for (let c = 0; c < C; c++) out[row + c] = (inp[row + c]! - m) * s * gamma[c]! + beta[c]!;
    mean[r] = m;
    rstd[r] = s;
  }
}

/**
 * Accumulates dInp(R,C), dGamma(C), dBeta(C) from dOut(R,C), the input and the saved
 * mean/rstd. With n = (x − mean)·rstd and g = dOut·gamma:
 * dx = rstd·(g − mean(g) − n·mean(g·n)).
 */
export function layernormBackward(
  dInp: FloatArray,
  dGamma: FloatArray,
  dBeta: FloatArray,
  dOut: FloatArray,
  inp: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  gamma: FloatArray,
  R: number,
  C: number,
): void {
  for (let r = 0; r < R; r++) {
    const row = r * C;
    const m = mean[r]!;
    const s = rstd[r]!;
    let gMean = 0;
    let gnMean = 0;
    for (let c = 0; c < C; c++) {
      const g = dOut[row + c]! * gamma[c]!;
      gMean += g;
      gnMean += g * (inp[row + c]! - m) * s;
    }
    gMean /= C;
    gnMean /= C;
    for (let c = 0; c < C; c++) {
      const n = (inp[row + c]! - m) * s;
      const g = dOut[row + c]! * gamma[c]!;
      dInp[row + c] = dInp[row + c]! + s * (g - gMean - n * gnMean);
      dGamma[c] = dGamma[c]! + dOut[row + c]! * n;
      dBeta[c] = dBeta[c]! + dOut[row + c]!;
    }
  }
}
