// run_squad.create_model's head: per-token logits = sequence_output·cls/squad/output_weightsᵀ +
// cls/squad/output_bias ([2, H], truncated normal 0.02; [2], zeros), split into start and end
// logits (B,T); loss = (mean CE(start) + mean CE(end)) / 2 over the T positions.
// Parity note: the original's softmax runs over all max_seq_length positions, padding included
// (it does not mask the logits), so a batch must be padded to max_seq_length to give its losses.
// Shapes: B batch, T sequence, C hidden, BT = B·T rows.
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import { ShapeError, check } from '../../util/errors.js';
import type { BertOutputs, ForwardOptions } from '../bert_model.js';
import type { ParamLayout } from '../layout.js';
import type { ParameterStore } from '../parameters.js';
import type { Head, OutputGrads } from './head.js';

const W = 'cls/squad/output_weights';
const BIAS = 'cls/squad/output_bias';

/** start_positions and end_positions (B): token indexes of the answer span. */
export interface SquadLabels {
  readonly startPositions: Int32Array;
  readonly endPositions: Int32Array;
}

export interface SquadResult {
  /** total_loss = (start_loss + end_loss) / 2. */
  readonly loss: number;
  /** (B,T) logits, RawResult.start_logits / end_logits of run_squad's predictions. */
  readonly startLogits: Float64Array;
  readonly endLogits: Float64Array;
}

/** Adds cls/squad/output_weights [2, H] and cls/squad/output_bias [2] to the layout. */
export function addSquadParams(layout: ParamLayout, hiddenSize: number): void {
  layout.add(W, [2, hiddenSize], { kind: 'truncated_normal', stddev: 0.02 });
  layout.add(BIAS, [2], { kind: 'zeros' });
}

interface SquadBuffers<A extends FloatArray> {
  logits: A; // (BT,2): start, end interleaved per token
  start: A; // (B,T) start logits, then end logits in `end`
  end: A;
  startProbs: A; // (B,T)
  endProbs: A;
  losses: A; // (B) scratch for per-example losses
  dLoss: A; // (B) 1/(2B)
  dStart: A; // (B,T)
  dEnd: A;
  dLogits: A; // (BT,2)
}

export class SquadHead<A extends FloatArray> implements Head<A, SquadLabels, SquadResult> {
  private readonly b: SquadBuffers<A>;
  private readonly startIds: Int32Array;
  private readonly endIds: Int32Array;
  private last: { B: number; T: number; sequence: A } | undefined;

  constructor(
    private readonly k: Kernels<A>,
    private readonly store: ParameterStore<A>,
    private readonly C: number,
    maxBatch: number,
    maxSeq: number,
  ) {
    const [BT, B] = [maxBatch * maxSeq, maxBatch];
    const a = (n: number) => k.alloc(n);
    this.b = {
      logits: a(BT * 2),
      start: a(BT),
      end: a(BT),
      startProbs: a(BT),
      endProbs: a(BT),
      losses: a(B),
      dLoss: a(B),
      dStart: a(BT),
      dEnd: a(BT),
      dLogits: a(BT * 2),
    };
    [this.startIds, this.endIds] = [k.allocInt(B), k.allocInt(B)];
  }

  forward(outputs: BertOutputs<A>, labels: SquadLabels, _opts: ForwardOptions): SquadResult {
    const { B, T, sequence } = outputs;
    this.copyLabels(labels, B, T);
    const { k, b, C } = this;
    k.matmul(
      b.logits,
      sequence,
      this.store.view(W),
      this.store.view(BIAS),
      B * T,
      C,
      2,
      false,
      true,
      false,
    );
    for (let r = 0; r < B * T; r++) {
      b.start[r] = b.logits[2 * r]!;
      b.end[r] = b.logits[2 * r + 1]!;
    }
    k.crossEntropyForward(b.losses, b.startProbs, b.start, this.startIds, B, T);
    const startLoss = meanOf(b.losses, B);
    k.crossEntropyForward(b.losses, b.endProbs, b.end, this.endIds, B, T);
    const endLoss = meanOf(b.losses, B);
    this.last = { B, T, sequence };
    return {
      loss: (startLoss + endLoss) / 2,
      startLogits: Float64Array.from(b.start.subarray(0, B * T)),
      endLogits: Float64Array.from(b.end.subarray(0, B * T)),
    };
  }

  backward(into: OutputGrads<A>): void {
    const last = this.last;
    check(last !== undefined, () => 'internal: SquadHead.backward before forward');
    const { B, T, sequence } = last;
    const { k, b, C } = this;
    const BT = B * T;
    b.dStart.fill(0, 0, BT);
    b.dEnd.fill(0, 0, BT);
    b.dLoss.fill(1 / (2 * B), 0, B); // (mean start + mean end) / 2
    k.crossEntropyBackward(b.dStart, b.dLoss, b.startProbs, this.startIds, B, T);
    k.crossEntropyBackward(b.dEnd, b.dLoss, b.endProbs, this.endIds, B, T);
    for (let r = 0; r < BT; r++) {
      b.dLogits[2 * r] = b.dStart[r]!;
      b.dLogits[2 * r + 1] = b.dEnd[r]!;
    }
    const w = this.store.view(W);
    k.matmul(this.store.grad(W), b.dLogits, sequence, null, 2, BT, C, true, false, true);
    k.biasBackward(this.store.grad(BIAS), b.dLogits, BT, 2);
    k.matmul(into.sequence, b.dLogits, w, null, BT, 2, C, false, false, true);
  }

  private copyLabels(labels: SquadLabels, B: number, T: number): void {
    for (const [name, src, dst] of [
      ['start_positions', labels.startPositions, this.startIds],
      ['end_positions', labels.endPositions, this.endIds],
    ] as const) {
      if (src.length < B)
        throw new ShapeError(`squad head: ${src.length} ${name} for a batch of ${B}`);
      for (let i = 0; i < B; i++) {
        const p = src[i]!;
        if (p < 0 || p >= T)
          throw new ShapeError(`squad head: ${name}[${i}] = ${p} is outside [0, ${T})`);
        dst[i] = p;
      }
    }
  }
}

function meanOf(x: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}
