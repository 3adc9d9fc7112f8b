// Hugging Face BERT parameter names <-> Google's checkpoint names (what transformers'
// convert_bert_original_tf_checkpoint_to_pytorch does, extended to the classifier and SQuAD
// heads that converter misses). Dense kernels are Google [in, out] and HF [out, in], so they are
// transposed; output_weights matrices are already [out, in] in Google's files and are not.
//
//   bert/encoder/layer_3/attention/self/query/kernel  <->  bert.encoder.layer.3.attention.self.query.weight (T)
//   .../LayerNorm/gamma, beta                          <->  .../LayerNorm.weight, bias (or .gamma, .beta)
//   bert/embeddings/word_embeddings                    <->  bert.embeddings.word_embeddings.weight
//   cls/predictions/output_bias                        <->  cls.predictions.bias
//   cls/seq_relationship/output_weights, output_bias   <->  cls.seq_relationship.weight, bias
//   output_weights, output_bias (run_classifier)       <->  classifier.weight, bias
//   cls/squad/output_weights, output_bias (run_squad)  <->  qa_outputs.weight, bias

export interface MappedName {
  name: string;
  /** True for dense kernels: the 2-D matrix must be transposed. */
  transpose: boolean;
}

/** Whole-name pairs (Google, HF) that the per-segment rules do not cover. */
const EXACT: ReadonlyArray<readonly [string, string]> = [
  ['cls/predictions/output_bias', 'cls.predictions.bias'],
  ['cls/seq_relationship/output_weights', 'cls.seq_relationship.weight'],
  ['cls/seq_relationship/output_bias', 'cls.seq_relationship.bias'],
  ['output_weights', 'classifier.weight'],
  ['output_bias', 'classifier.bias'],
  ['cls/squad/output_weights', 'qa_outputs.weight'],
  ['cls/squad/output_bias', 'qa_outputs.bias'],
];
const EMBEDDINGS = /^bert\/embeddings\/(word|position|token_type)_embeddings$/;

/** HF tensors that have no Google counterpart: buffers and the decoder tied to word_embeddings. */
export const HF_DERIVED = /(^|\.)position_ids$|^cls\.predictions\.decoder\.weight$/;
/** The tied decoder matrix HF stores: a copy of bert/embeddings/word_embeddings ([V,H] both). */
export const HF_DECODER_WEIGHT = 'cls.predictions.decoder.weight';

/** Google names that are training state, not model weights (left out of HF files). */
export function isTrainingState(googleName: string): boolean {
  return googleName === 'global_step' || /\/adam_[mv]$/.test(googleName);
}

/** The HF name of a Google weight, or null when there is none. */
export function googleToHf(name: string): MappedName | null {
  for (const [g, h] of EXACT) if (g === name) return { name: h, transpose: false };
  if (EMBEDDINGS.test(name))
    return { name: name.replace(/\//g, '.') + '.weight', transpose: false };
  const m = /^((?:bert|cls\/predictions\/transform)\/.+)\/(kernel|bias|gamma|beta)$/.exec(name);
  if (m === null) return null;
  const path = m[1]!.replace(/\/layer_(\d+)\//, '/layer.$1/').replace(/\//g, '.');
  const leaf = m[2]!;
  const suffix = { kernel: 'weight', bias: 'bias', gamma: 'weight', beta: 'bias' }[leaf];
  if (suffix === undefined) return null;
  return { name: `${path}.${suffix}`, transpose: leaf === 'kernel' };
}

/**
 * The Google name of an HF tensor, or null for tensors Google's files do not hold (HF_DERIVED)
 * and names that are not BERT's. Accepts names with or without the `bert.` prefix.
 */
export function hfToGoogle(hfName: string): MappedName | null {
  if (HF_DERIVED.test(hfName)) return null;
  const name = /^(embeddings|encoder|pooler)\./.test(hfName) ? `bert.${hfName}` : hfName;
  if (name === 'cls.predictions.decoder.bias')
    return { name: 'cls/predictions/output_bias', transpose: false };
  for (const [g, h] of EXACT) if (h === name) return { name: g, transpose: false };
  const emb = /^(bert\.embeddings\.(?:word|position|token_type)_embeddings)\.weight$/.exec(name);
  if (emb !== null) return { name: emb[1]!.replace(/\./g, '/'), transpose: false };
  const m = /^((?:bert|cls\.predictions\.transform)\..+)\.(weight|bias|gamma|beta)$/.exec(name);
  if (m === null) return null;
  const path = m[1]!.replace(/\.layer\.(\d+)\./, '.layer_$1.').replace(/\./g, '/');
  const leaf = m[2]!;
  if (path.endsWith('/LayerNorm'))
    return {
      name: `${path}/${leaf === 'weight' || leaf === 'gamma' ? 'gamma' : 'beta'}`,
      transpose: false,
    };
  if (leaf === 'gamma' || leaf === 'beta') return null;
  return { name: `${path}/${leaf === 'weight' ? 'kernel' : 'bias'}`, transpose: leaf === 'weight' };
}

/** [R, C] row-major -> [C, R], for any numeric typed array. */
export function transpose2d<
  A extends Float32Array | Float64Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array,
>(data: A, rows: number, cols: number): A {
  const out = data.slice() as A;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
