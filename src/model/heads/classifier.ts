// run_classifier.create_model's head: dropout (keep_prob 0.9) on the pooled output when
// training, logits = pooled·output_weightsᵀ + output_bias with the top-level variables
// output_weights [num_labels, H] (truncated normal, stddev 0.02) and output_bias [num_labels],
// log-softmax, loss = mean cross-entropy over the batch. num_labels = 1 with `regression` is the
// STS-B variant (not in the original: logit = score, loss = mean squared error, as HF does).
// Shapes: B batch, C hidden, N num_labels.
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import { ShapeError, check } from '../../util/errors.js';
import type { BertOutputs, ForwardOptions } from '../bert_model.js';
import { dropoutSeed } from '../bert_model.js';
import type { ParamLayout } from '../layout.js';
import type { ParameterStore } from '../parameters.js';
import { HEAD_DROPOUT_SITE, type Head, type OutputGrads } from './head.js';

export interface ClassifierOptions {
  readonly numLabels: number;
  readonly hiddenSize: number;
  readonly maxBatch: number;
  /** STS-B: one output, mean squared error. */
  readonly regression?: boolean;
  /** Dropout on the pooled output when training; run_classifier uses 0.1. */
  readonly dropoutProb?: number;
}

export interface ClassifierResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** Loss of each example (B). */
  readonly perExampleLoss: Float64Array;
  /** (B,N) logits. */
  readonly logits: Float64Array;
  /** (B,N) softmax probabilities (regression: the predicted scores). */
  readonly probabilities: Float64Array;
}

/** Labels: class ids (B) for classification, target scores (B) for regression. */
export type ClassifierLabels = Int32Array | Float32Array | Float64Array;

/** The classifier head's variables (run_classifier.create_model's output_weights, output_bias). */
export const CLASSIFIER_HEAD_TENSORS: readonly string[] = ['output_weights', 'output_bias'];

/** Adds output_weights [num_labels, H] and output_bias [num_labels] to the layout. */
export function addClassifierParams(
  layout: ParamLayout,
  numLabels: number,
  hiddenSize: number,
): void {
  // run_classifier: tf.truncated_normal_initializer(stddev=0.02), not initializer_range.
  layout.add('output_weights', [numLabels, hiddenSize], { kind: 'truncated_normal', stddev: 0.02 });
  layout.add('output_bias', [numLabels], { kind: 'zeros' });
}

export class ClassifierHead<A extends FloatArray> implements Head<
  A,
  ClassifierLabels,
  ClassifierResult
> {
  private readonly N: number;
  private readonly C: number;
  /** Class ids copied into the kernel set's memory (B). */
  private readonly labelIds: Int32Array;
  private readonly bufs: {
    mask: A;
    dropped: A;
    logits: A;
    probs: A;
    losses: A;
    dLogits: A;
    dLoss: A;
    dDropped: A;
  };
  private last: { B: number; labels: ClassifierLabels } | undefined;

  constructor(
    private readonly k: Kernels<A>,
    private readonly store: ParameterStore<A>,
    private readonly opts: ClassifierOptions,
  ) {
    const { numLabels: N, hiddenSize: C, maxBatch: B } = opts;
    if (opts.regression === true && N !== 1)
      throw new ShapeError(`classifier: regression needs num_labels 1, got ${N}`);
    [this.N, this.C] = [N, C];
    this.labelIds = k.allocInt(B);
    const a = (n: number) => k.alloc(n);
    this.bufs = {
      mask: a(B * C),
      dropped: a(B * C),
      logits: a(B * N),
      probs: a(B * N),
      losses: a(B),
      dLogits: a(B * N),
      dLoss: a(B),
      dDropped: a(B * C),
    };
  }

  forward(
    outputs: BertOutputs<A>,
    labels: ClassifierLabels,
    opts: ForwardOptions,
  ): ClassifierResult {
    const { B } = outputs;
    const { N, C, k, bufs: b } = this;
    if (labels.length < B)
      throw new ShapeError(`classifier: ${labels.length} labels for a batch of ${B}`);
    const p = opts.training ? (this.opts.dropoutProb ?? 0.1) : 0;
    k.dropoutForward(
      b.dropped,
      b.mask,
      outputs.pooled,
      p,
      dropoutSeed(opts.seed, HEAD_DROPOUT_SITE),
      B * C,
    );
    const [w, bias] = [this.store.view('output_weights'), this.store.view('output_bias')];
    k.matmul(b.logits, b.dropped, w, bias, B, C, N, false, true, false);
    if (this.opts.regression === true) this.squaredErrorForward(B, labels);
    else {
      this.labelIds.set(classIds(labels, B));
      k.crossEntropyForward(b.losses, b.probs, b.logits, this.labelIds, B, N);
    }
    this.last = { B, labels };
    const perExampleLoss = Float64Array.from(b.losses.subarray(0, B));
    return {
      loss: perExampleLoss.reduce((s, x) => s + x, 0) / B,
      perExampleLoss,
      logits: Float64Array.from(b.logits.subarray(0, B * N)),
      probabilities: Float64Array.from(b.probs.subarray(0, B * N)),
    };
  }

  backward(into: OutputGrads<A>): void {
    const last = this.last;
    check(last !== undefined, () => 'internal: ClassifierHead.backward before forward');
    const { B, labels } = last;
    const { N, C, k, bufs: b } = this;
    b.dLogits.fill(0, 0, B * N);
    b.dDropped.fill(0, 0, B * C);
    if (this.opts.regression === true) {
      // loss = mean (logit − y)²: dLogit = 2(logit − y)/B
      for (let r = 0; r < B; r++) b.dLogits[r] = (2 * (b.logits[r]! - labels[r]!)) / B;
    } else {
      b.dLoss.fill(1 / B, 0, B); // the mean over the batch
      k.crossEntropyBackward(b.dLogits, b.dLoss, b.probs, this.labelIds, B, N);
    }
    const w = this.store.view('output_weights');
    k.matmul(
      this.store.grad('output_weights'),
      b.dLogits,
      b.dropped,
      null,
      N,
      B,
      C,
      true,
      false,
      true,
    );
    k.biasBackward(this.store.grad('output_bias'), b.dLogits, B, N);
    k.matmul(b.dDropped, b.dLogits, w, null, B, N, C, false, false, true);
    k.dropoutBackward(into.pooled, b.dDropped, b.mask, B * C);
  }

  private squaredErrorForward(B: number, labels: ClassifierLabels): void {
    const b = this.bufs;
    for (let r = 0; r < B; r++) {
      b.probs[r] = b.logits[r]!;
      b.losses[r] = (b.logits[r]! - labels[r]!) ** 2;
    }
  }
}

function classIds(labels: ClassifierLabels, B: number): Int32Array {
  if (labels instanceof Int32Array) return labels.subarray(0, B);
  throw new ShapeError(
    `classifier: class labels must be an Int32Array of ${B} ids, got ${labels.constructor.name}`,
  );
}
