// run_pretraining.py's two heads on top of BertModel, forward and backward:
//   masked LM (get_masked_lm_output): gather_indexes picks the P masked positions of every
//     sequence from the last layer (B·P rows), cls/predictions/transform/dense (H→H, hidden_act)
//     and its LayerNorm, logits against the TIED bert/embeddings/word_embeddings (transB) plus
//     cls/predictions/output_bias [V], loss = Σ(w·nll) / (Σw + 1e-5) with masked_lm_weights.
//     Only the gathered rows meet the vocabulary: P·V·H per example instead of T·V·H.
//   next sentence (get_next_sentence_output): logits = pooled·cls/seq_relationship/output_weightsᵀ
//     + output_bias ([2,H], [2]), loss = mean cross-entropy (label 0 = IsNext, 1 = random).
// Total loss = masked LM + next sentence. The word embeddings get gradient from both their uses:
// this head accumulates into the same gradient view the embedding lookup's backward adds to.
// Shapes: B batch, T sequence, C hidden, P max_predictions_per_seq, R = B·P rows, V vocab.
import type { Activation, FloatArray, Kernels } from '../../engine/kernels.js';
import { ShapeError, check } from '../../util/errors.js';
import type { BertOutputs, ForwardOptions } from '../bert_model.js';
import { denseBackward } from '../encoder_layer.js';
import { addDense, addLayerNorm, type BertConfigFields, type ParamLayout } from '../layout.js';
import type { ParameterStore } from '../parameters.js';
import type { Head, OutputGrads } from './head.js';

const WORD = 'bert/embeddings/word_embeddings';
const TRANSFORM = 'cls/predictions/transform';
const MLM_BIAS = 'cls/predictions/output_bias';
const NSP_W = 'cls/seq_relationship/output_weights';
const NSP_B = 'cls/seq_relationship/output_bias';

/** The features of create_pretraining_data's records that the heads read. */
export interface PretrainingLabels {
  /** masked_lm_positions (B,P): token index in its sequence; padding entries are 0. */
  readonly maskedLmPositions: Int32Array;
  /** masked_lm_ids (B,P): the original token ids. */
  readonly maskedLmIds: Int32Array;
  /** masked_lm_weights (B,P): 1 for a real prediction, 0 for padding. */
  readonly maskedLmWeights: Float32Array;
  /** next_sentence_labels (B): 0 = the real next segment, 1 = a random one. */
  readonly nextSentenceLabels: Int32Array;
}

export interface PretrainingResult {
  /** total_loss = masked_lm_loss + next_sentence_loss. */
  readonly loss: number;
  readonly maskedLmLoss: number;
  readonly nextSentenceLoss: number;
}

/** Sums over one batch for run_pretraining's metric_fn (accumulated over eval batches). */
export interface PretrainingEvalSums {
  /** Σ w·[argmax = id] and Σ w over the masked positions (tf.metrics.accuracy with weights). */
  mlmCorrect: number;
  mlmWeight: number;
  /** Σ w·nll (tf.metrics.mean(values=masked_lm_example_loss, weights)). */
  mlmLoss: number;
  /** Correct next-sentence predictions, their count and Σ nll. */
  nspCorrect: number;
  nspCount: number;
  nspLoss: number;
}

/** Adds the cls/* variables in the order run_pretraining creates them. */
export function addPretrainingParams(layout: ParamLayout, config: BertConfigFields): void {
  const { hidden_size: C, vocab_size: V, initializer_range: std } = config;
  addDense(layout, `${TRANSFORM}/dense`, C, C, std);
  addLayerNorm(layout, TRANSFORM, C);
  layout.add(MLM_BIAS, [V], { kind: 'zeros' });
  layout.add(NSP_W, [2, C], { kind: 'truncated_normal', stddev: std });
  layout.add(NSP_B, [2], { kind: 'zeros' });
}

export interface PretrainingHeadOptions {
  readonly maxBatch: number;
  /** max_predictions_per_seq. */
  readonly maxPredictions: number;
  /** bert_config's hidden_act, already checked (the transform's activation). */
  readonly act: Activation;
}

interface HeadBuffers<A extends FloatArray> {
  gathered: A; // (R,C) rows of the last layer at the masked positions
  pre: A; // (R,C) transform dense output, before the activation
  act: A; // (R,C) after the activation
  norm: A; // (R,C) after LayerNorm: the input of the vocabulary projection
  mean: A; // (R)
  rstd: A; // (R)
  logits: A; // (R,V) logits, then (after forward) kept for argmax
  probs: A; // (R,V) softmax
  losses: A; // (R) per-position nll
  dLoss: A; // (R) weights / (Σw + 1e-5)
  dLogits: A; // (R,V)
  dNorm: A; // (R,C)
  dAct: A; // (R,C)
  dPre: A; // (R,C)
  dGathered: A; // (R,C)
  nspLogits: A; // (B,2)
  nspProbs: A; // (B,2)
  nspLosses: A; // (B)
  nspDLoss: A; // (B)
  nspDLogits: A; // (B,2)
}

export class PretrainingHead<A extends FloatArray> implements Head<
  A,
  PretrainingLabels,
  PretrainingResult
> {
  private readonly C: number;
  private readonly V: number;
  private readonly P: number;
  /** masked_lm_ids and next_sentence_labels copied into the kernel set's memory. */
  private readonly ids: Int32Array;
  private readonly nspIds: Int32Array;
  private readonly b: HeadBuffers<A>;
  private last:
    { B: number; T: number; pooled: A; labels: PretrainingLabels; weightSum: number } | undefined;

  constructor(
    private readonly k: Kernels<A>,
    private readonly store: ParameterStore<A>,
    config: BertConfigFields,
    private readonly opts: PretrainingHeadOptions,
  ) {
    [this.C, this.V, this.P] = [config.hidden_size, config.vocab_size, opts.maxPredictions];
    const R = opts.maxBatch * this.P;
    const B = opts.maxBatch;
    const [C, V] = [this.C, this.V];
    const a = (n: number) => k.alloc(n);
    this.ids = k.allocInt(R);
    this.nspIds = k.allocInt(B);
    this.b = {
      gathered: a(R * C),
      pre: a(R * C),
      act: a(R * C),
      norm: a(R * C),
      mean: a(R),
      rstd: a(R),
      logits: a(R * V),
      probs: a(R * V),
      losses: a(R),
      dLoss: a(R),
      dLogits: a(R * V),
      dNorm: a(R * C),
      dAct: a(R * C),
      dPre: a(R * C),
      dGathered: a(R * C),
      nspLogits: a(B * 2),
      nspProbs: a(B * 2),
      nspLosses: a(B),
      nspDLoss: a(B),
      nspDLogits: a(B * 2),
    };
  }

  forward(outputs: BertOutputs<A>, labels: PretrainingLabels, _opts: ForwardOptions) {
    const { B, T } = outputs;
    this.checkLabels(labels, B, T);
    const weightSum = this.maskedLmForwardRows(outputs, labels);
    const maskedLmLoss = this.maskedLmLoss(B, labels, weightSum);
    const nextSentenceLoss = this.nextSentenceForward(outputs.pooled, labels, B);
    this.last = { B, T, pooled: outputs.pooled, labels, weightSum };
    return { loss: maskedLmLoss + nextSentenceLoss, maskedLmLoss, nextSentenceLoss };
  }

  backward(into: OutputGrads<A>): void {
    const last = this.last;
    check(last !== undefined, () => 'internal: PretrainingHead.backward before forward');
    this.maskedLmBackward(into.sequence, last.B, last.T, last.labels, last.weightSum);
    this.nextSentenceBackward(into.pooled, last.pooled, last.B);
  }

  /** metric_fn's sums for the batch of the last forward (argmax over V: eval only). */
  evalSums(): PretrainingEvalSums {
    const last = this.last;
    check(last !== undefined, () => 'internal: PretrainingHead.evalSums before forward');
    const { B, labels } = last;
    const { V, P, b } = this;
    const s = { mlmCorrect: 0, mlmWeight: 0, mlmLoss: 0, nspCorrect: 0, nspCount: B, nspLoss: 0 };
    for (let r = 0; r < B * P; r++) {
      const w = labels.maskedLmWeights[r]!;
      s.mlmWeight += w;
      s.mlmLoss += w * b.losses[r]!;
      if (argmax(b.logits, r * V, V) === labels.maskedLmIds[r]) s.mlmCorrect += w;
    }
    for (let r = 0; r < B; r++) {
      s.nspLoss += b.nspLosses[r]!;
      if (argmax(b.nspLogits, r * 2, 2) === labels.nextSentenceLabels[r]) s.nspCorrect++;
    }
    return s;
  }

  private checkLabels(labels: PretrainingLabels, B: number, T: number): void {
    const R = B * this.P;
    const { maskedLmPositions: pos, maskedLmIds: ids, maskedLmWeights: w } = labels;
    if (pos.length < R || ids.length < R || w.length < R || labels.nextSentenceLabels.length < B)
      throw new ShapeError(
        `pre-training head: labels for ${pos.length / this.P} sequences, the batch has ${B} ` +
          `(max_predictions_per_seq ${this.P})`,
      );
    for (let r = 0; r < R; r++) {
      const p = pos[r]!;
      if (p < 0 || p >= T)
        throw new ShapeError(
          `masked_lm_positions[${Math.floor(r / this.P)}][${r % this.P}] = ${p} is outside the ` +
            `sequence [0, ${T})`,
          'was the data made with a larger max_seq_length?',
        );
    }
  }

  /** gather → dense → activation → LayerNorm → logits(R,V) → per-position nll; returns Σw. */
  private maskedLmForwardRows(outputs: BertOutputs<A>, labels: PretrainingLabels): number {
    const { B, T } = outputs;
    const { k, C, V, P, b, store: st } = this;
    const R = B * P;
    for (let r = 0; r < R; r++) {
      const row = (Math.floor(r / P) * T + labels.maskedLmPositions[r]!) * C;
      b.gathered.set(outputs.sequence.subarray(row, row + C), r * C);
    }
    const [w, bias] = [st.view(`${TRANSFORM}/dense/kernel`), st.view(`${TRANSFORM}/dense/bias`)];
    k.matmul(b.pre, b.gathered, w, bias, R, C, C, false, false, false);
    k.activationForward(this.opts.act, b.act, b.pre, R * C);
    const [gamma, beta] = [
      st.view(`${TRANSFORM}/LayerNorm/gamma`),
      st.view(`${TRANSFORM}/LayerNorm/beta`),
    ];
    k.layernormForward(b.norm, b.mean, b.rstd, b.act, gamma, beta, R, C);
    k.matmul(b.logits, b.norm, st.view(WORD), st.view(MLM_BIAS), R, C, V, false, true, false);
    this.ids.set(labels.maskedLmIds.subarray(0, R));
    k.crossEntropyForward(b.losses, b.probs, b.logits, this.ids, R, V);
    let weightSum = 0;
    for (let r = 0; r < R; r++) weightSum += labels.maskedLmWeights[r]!;
    return weightSum;
  }

  /** Σ(w·nll) / (Σw + 1e-5), summed in float64 (TF sums float32; the difference is rounding). */
  private maskedLmLoss(B: number, labels: PretrainingLabels, weightSum: number): number {
    let num = 0;
    for (let r = 0; r < B * this.P; r++) num += labels.maskedLmWeights[r]! * this.b.losses[r]!;
    return num / (weightSum + 1e-5);
  }

  private nextSentenceForward(pooled: A, labels: PretrainingLabels, B: number): number {
    const { k, C, b, store: st } = this;
    k.matmul(b.nspLogits, pooled, st.view(NSP_W), st.view(NSP_B), B, C, 2, false, true, false);
    this.nspIds.set(labels.nextSentenceLabels.subarray(0, B));
    k.crossEntropyForward(b.nspLosses, b.nspProbs, b.nspLogits, this.nspIds, B, 2);
    let sum = 0;
    for (let r = 0; r < B; r++) sum += b.nspLosses[r]!;
    return sum / B;
  }

  private maskedLmBackward(
    dSeq: A,
    B: number,
    T: number,
    labels: PretrainingLabels,
    weightSum: number,
  ): void {
    const { k, C, V, P, b, store: st } = this;
    const R = B * P;
    for (let r = 0; r < R; r++) b.dLoss[r] = labels.maskedLmWeights[r]! / (weightSum + 1e-5);
    for (const buf of [b.dNorm, b.dAct, b.dPre, b.dGathered]) buf.fill(0, 0, R * C);
    k.zero(b.dLogits, R * V); // R·V = 640 × 30522 floats at BERT-Tiny's 32 × 20: threaded
    k.crossEntropyBackward(b.dLogits, b.dLoss, b.probs, this.ids, R, V);
    k.biasBackward(st.grad(MLM_BIAS), b.dLogits, R, V);
    // logits = norm·Wᵀ: dWord(V,C) += dLogitsᵀ·norm (the tied use), dNorm(R,C) += dLogits·W.
    k.matmul(st.grad(WORD), b.dLogits, b.norm, null, V, R, C, true, false, true);
    k.matmul(b.dNorm, b.dLogits, st.view(WORD), null, R, V, C, false, false, true);
    const gamma = st.view(`${TRANSFORM}/LayerNorm/gamma`);
    const [gGamma, gBeta] = [
      st.grad(`${TRANSFORM}/LayerNorm/gamma`),
      st.grad(`${TRANSFORM}/LayerNorm/beta`),
    ];
    k.layernormBackward(b.dAct, gGamma, gBeta, b.dNorm, b.act, b.mean, b.rstd, gamma, R, C);
    k.activationBackward(this.opts.act, b.dPre, b.pre, b.dAct, R * C);
    const [gW, gB] = [st.grad(`${TRANSFORM}/dense/kernel`), st.grad(`${TRANSFORM}/dense/bias`)];
    const w = st.view(`${TRANSFORM}/dense/kernel`);
    denseBackward(k, b.dGathered, gW, gB, b.dPre, b.gathered, w, R, C, C);
    // gather_indexes backward: scatter-ADD (padding entries all point at position 0). A plain
    // loop: R·C adds are too few to be worth a kernel call per row.
    for (let r = 0; r < R; r++) {
      const row = (Math.floor(r / P) * T + labels.maskedLmPositions[r]!) * C;
      for (let c = 0; c < C; c++) dSeq[row + c]! += b.dGathered[r * C + c]!;
    }
  }

  private nextSentenceBackward(dPooled: A, pooled: A, B: number): void {
    const { k, C, b, store: st } = this;
    b.nspDLoss.fill(1 / B, 0, B); // reduce_mean over the batch
    b.nspDLogits.fill(0, 0, B * 2);
    k.crossEntropyBackward(b.nspDLogits, b.nspDLoss, b.nspProbs, this.nspIds, B, 2);
    k.matmul(st.grad(NSP_W), b.nspDLogits, pooled, null, 2, B, C, true, false, true);
    k.biasBackward(st.grad(NSP_B), b.nspDLogits, B, 2);
    k.matmul(dPooled, b.nspDLogits, st.view(NSP_W), null, B, 2, C, false, false, true);
  }
}

/** tf.argmax: the first index of the largest value among x[from … from+n). */
function argmax(x: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[from + j]! > x[from + best]!) best = j;
  return best;
}
