// What a head is: it reads the outputs of BertModel.forward (the last layer's sequence output and
// the pooled output), computes its loss, and in backward ACCUMULATES dLoss/d(output) into the
// model's outputGrads — then BertModel.backward carries them to the encoder. Its own parameters sit
// in the same layout/buffers as the encoder's: a head adds them (addXParams(layout, …)) before
// the ParameterStore is allocated. The classifier (heads/classifier.ts) is the worked example;
// the pre-training head (masked LM over gathered positions with the tied word_embeddings + next
// sentence) and the SQuAD head (per-token start/end logits) follow the same pattern.
import type { FloatArray } from '../../engine/kernels.js';
import type { BertOutputs, ForwardOptions } from '../bert_model.js';

/** Where a head writes its gradients: BertModel.outputGrads. */
export interface OutputGrads<A extends FloatArray> {
  /** dLoss/d(sequence output) (B,T,C) — MLM, SQuAD. */
  readonly sequence: A;
  /** dLoss/d(pooled output) (B,C) — classifier, NSP. */
  readonly pooled: A;
}

export interface Head<A extends FloatArray, Labels, Result> {
  /** Loss and predictions for the batch the model just ran. */
  forward(outputs: BertOutputs<A>, labels: Labels, opts: ForwardOptions): Result;
  /** Accumulates the parameter gradients of the head and dLoss/d(outputs) into `into`. */
  backward(into: OutputGrads<A>): void;
}

/** Dropout sites of heads start here, clear of the model's sites (0 … 3·L). */
export const HEAD_DROPOUT_SITE = 1_000_000;
