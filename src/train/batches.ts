// Which training examples make up each batch: run_classifier's input_fn reads train.tf_record,
// then `d.repeat()`, `d.shuffle(buffer_size=100)`, `batch(drop_remainder=True)`. The same
// pipeline here, seeded (--seed) so a run is reproducible and a resumed run draws the same
// batches: a shuffle buffer of 100 over the endlessly repeated file, as tf.data's
// ShuffleDataset does (pick a random slot, emit it, refill the slot with the next example), so
// examples still come out near their place in the file — a local shuffle, not a global one.
// TF's own generator (Philox) is not reproduced, only the algorithm.
import { Rng } from '../util/rng.js';
import { check } from '../util/errors.js';

/** Example indices of the first `numBatches` batches, batch after batch. */
export function trainingOrder(
  numExamples: number,
  numBatches: number,
  batchSize: number,
  seed: number,
  bufferSize = 100,
): Int32Array {
  check(numExamples > 0, () => 'internal: trainingOrder needs at least one example');
  const rng = new Rng(seed);
  const out = new Int32Array(numBatches * batchSize);
  let next = 0; // position in the repeated stream
  const buffer: number[] = [];
  while (buffer.length < bufferSize) buffer.push(next++ % numExamples);
  for (let i = 0; i < out.length; i++) {
    const slot = rng.int(buffer.length);
    out[i] = buffer[slot]!;
    buffer[slot] = next++ % numExamples;
  }
  return out;
}

/**
 * The sequence length a batch is computed at: the longest real example in it (input_mask sums),
 * or max_seq_length when --pad_to_max_seq_length restores the original's fixed padding.
 */
export function batchSeqLength(
  lengths: ArrayLike<number>,
  maxSeqLength: number,
  padToMax: boolean,
): number {
  if (padToMax) return maxSeqLength;
  let t = 1;
  for (let i = 0; i < lengths.length; i++) t = Math.max(t, lengths[i]!);
  return Math.min(t, maxSeqLength);
}
