// create_instances_from_document and truncate_seq_pair of create_pretraining_data.py: cut one
// document into [CLS] A [SEP] B [SEP] pairs for next-sentence prediction, then mask each pair.
//
// The rng calls, in the original's order, per document: random() (< short_seq_prob → a short
// target, randint(2, max_num_tokens)); per chunk: randint(1, len(chunk) - 1) when the chunk has
// two or more sentences, random() (< 0.5 → random next; skipped when the chunk has one sentence,
// which is always a random next), for a random next up to 10 randint(0, len(all_documents) - 1)
// and randint(0, len(random_document) - 1); random() per truncated token; then the masking's.
import type { PyRandom } from '../../util/py_random.js';
import type { Document, PretrainingVocab, Sentence } from './documents.js';
import { createMaskedLmPredictions, type MaskingOptions } from './masking.js';

export interface InstanceOptions extends MaskingOptions {
  readonly maxSeqLength: number;
  readonly shortSeqProb: number;
}

/** One training example (the original's TrainingInstance), tokens as ids. */
export interface TrainingInstance {
  /** [CLS] A [SEP] B [SEP] after masking; length ≤ max_seq_length. */
  readonly tokens: Int32Array;
  /** Tokens with segment id 0: len(A) + 2; the rest have segment id 1. */
  readonly segmentALength: number;
  readonly isRandomNext: boolean;
  readonly maskedLmPositions: number[];
  readonly maskedLmLabels: number[];
}

/**
 * Drops tokens until the pair fits: always from the longer list (B on a tie), from its front or
 * its back as random() < 0.5 decides, so no side is systematically cut.
 */
export function truncateSeqPair(a: number[], b: number[], maxNumTokens: number, rng: PyRandom): void {
  while (a.length + b.length > maxNumTokens) {
    const trunc = a.length > b.length ? a : b;
    if (rng.random() < 0.5) trunc.shift();
    else trunc.pop();
  }
}

function concat(sentences: readonly Sentence[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let j = from; j < to; j++) for (const t of sentences[j]!) out.push(t);
  return out;
}

/** B from a random other document (10 tries to avoid this one), from a random sentence on. */
function randomNextTokens(
  allDocuments: readonly Document[],
  documentIndex: number,
  targetLength: number,
  rng: PyRandom,
): number[] {
  let randomIndex = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    randomIndex = rng.randint(0, allDocuments.length - 1);
    if (randomIndex !== documentIndex) break;
  }
  const doc = allDocuments[randomIndex]!;
  const tokens: number[] = [];
  for (let j = rng.randint(0, doc.length - 1); j < doc.length; j++) {
    for (const t of doc[j]!) tokens.push(t);
    if (tokens.length >= targetLength) break;
  }
  return tokens;
}

function buildInstance(
  a: number[],
  b: number[],
  isRandomNext: boolean,
  opts: InstanceOptions,
  vocab: PretrainingVocab,
  rng: PyRandom,
): TrainingInstance {
  const tokens = Int32Array.from([vocab.clsId, ...a, vocab.sepId, ...b, vocab.sepId]);
  const masked = createMaskedLmPredictions(tokens, opts, vocab, rng);
  return {
    tokens: masked.tokens,
    segmentALength: a.length + 2,
    isRandomNext,
    maskedLmPositions: masked.positions,
    maskedLmLabels: masked.labels,
  };
}

/** create_instances_from_document(all_documents, document_index, ...). */
export function createInstancesFromDocument(
  allDocuments: readonly Document[],
  documentIndex: number,
  opts: InstanceOptions,
  vocab: PretrainingVocab,
  rng: PyRandom,
): TrainingInstance[] {
  const document = allDocuments[documentIndex]!;
  const maxNumTokens = opts.maxSeqLength - 3; // room for [CLS], [SEP], [SEP]
  // Mostly fill the sequence; sometimes (short_seq_prob) aim shorter, to resemble fine-tuning.
  let target = maxNumTokens;
  if (rng.random() < opts.shortSeqProb) target = rng.randint(2, maxNumTokens);
  const instances: TrainingInstance[] = [];
  let chunk: Sentence[] = [];
  let chunkLength = 0;
  for (let i = 0; i < document.length; i++) {
    chunk.push(document[i]!);
    chunkLength += document[i]!.length;
    if (i !== document.length - 1 && chunkLength < target) continue;
    // How many sentences of the chunk go into A.
    const aEnd = chunk.length >= 2 ? rng.randint(1, chunk.length - 1) : 1;
    const a = concat(chunk, 0, aEnd);
    let b: number[];
    let isRandomNext: boolean;
    if (chunk.length === 1 || rng.random() < 0.5) {
      isRandomNext = true;
      b = randomNextTokens(allDocuments, documentIndex, target - a.length, rng);
      i -= chunk.length - aEnd; // "put back" the sentences B did not use
    } else {
      isRandomNext = false;
      b = concat(chunk, aEnd, chunk.length);
    }
    truncateSeqPair(a, b, maxNumTokens, rng);
    instances.push(buildInstance(a, b, isRandomNext, opts, vocab, rng));
    chunk = [];
    chunkLength = 0;
  }
  return instances;
}
