// create_masked_lm_predictions of create_pretraining_data.py: choose the positions the masked-LM
// head must predict and corrupt them (80% [MASK], 10% kept, 10% a random vocabulary entry).
//
// Every rng call is the original's, in its order: one shuffle of the candidate list, then per
// masked position random() (< 0.8 → [MASK]), and only if that failed a second random()
// (< 0.5 → keep) and only if that failed randint(0, len(vocab_words) - 1).
import { pyRound } from '../../util/py_format.js';
import type { PyRandom } from '../../util/py_random.js';
import type { PretrainingVocab } from './documents.js';

export interface MaskingOptions {
  readonly maskedLmProb: number;
  readonly maxPredictionsPerSeq: number;
  readonly doWholeWordMask: boolean;
}

export interface MaskedLm {
  /** The input with the chosen positions corrupted (token ids). */
  readonly tokens: Int32Array;
  /** Chosen positions, ascending. */
  readonly positions: number[];
  /** The original token id at each chosen position. */
  readonly labels: number[];
}

/**
 * Candidate positions: every token but [CLS] and [SEP], each alone, or with whole-word masking a
 * "##" piece joined to the candidate before it. As in the original, "before it" is the previous
 * candidate even across a [SEP], so a segment starting with "##" joins the other segment's last
 * word.
 */
function candidateSets(tokens: Int32Array, vocab: PretrainingVocab, wholeWord: boolean): number[][] {
  const cands: number[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === vocab.clsId || t === vocab.sepId) continue;
    if (wholeWord && cands.length >= 1 && vocab.isContinuation[t] === 1) cands.at(-1)!.push(i);
    else cands.push([i]);
  }
  return cands;
}

/** The token that replaces a masked position. */
function corruptedToken(original: number, vocab: PretrainingVocab, rng: PyRandom): number {
  if (rng.random() < 0.8) return vocab.maskId;
  if (rng.random() < 0.5) return original;
  const words = vocab.randomWordIds;
  return words[rng.randint(0, words.length - 1)]!;
}

/** create_masked_lm_predictions(tokens, ...) on token ids. */
export function createMaskedLmPredictions(
  tokens: Int32Array,
  opts: MaskingOptions,
  vocab: PretrainingVocab,
  rng: PyRandom,
): MaskedLm {
  const cands = candidateSets(tokens, vocab, opts.doWholeWordMask);
  rng.shuffle(cands);
  const output = tokens.slice();
  // Python 3's round() (halves to even), then int(): part of what makes the instances identical.
  const numToPredict = Math.min(
    opts.maxPredictionsPerSeq,
    Math.max(1, Math.trunc(pyRound(tokens.length * opts.maskedLmProb))),
  );
  const chosen: number[] = [];
  const covered = new Set<number>();
  for (const set of cands) {
    if (chosen.length >= numToPredict) break;
    // A whole word that would overshoot the budget is skipped, not cut.
    if (chosen.length + set.length > numToPredict) continue;
    if (set.some((i) => covered.has(i))) continue;
    for (const i of set) {
      covered.add(i);
      output[i] = corruptedToken(tokens[i]!, vocab, rng);
      chosen.push(i);
    }
  }
  chosen.sort((a, b) => a - b);
  return { tokens: output, positions: chosen, labels: chosen.map((i) => tokens[i]!) };
}
