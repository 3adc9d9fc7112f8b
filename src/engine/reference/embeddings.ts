// Reference BERT embeddings before LayerNorm (modeling.embedding_lookup +
// embedding_postprocessor): word[ids] + token_type[typeIds] + position[t], position sliced to T.
// Shapes: ids/typeIds (B,T) int32, word (V,C), tokenType (typeVocab,C), pos (≥T,C), out (B,T,C).
import type { FloatArray } from '../kernels.js';
import { ShapeError } from '../../util/errors.js';

function checkIds(ids: Int32Array, n: number, limit: number, what: string, T: number): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= limit) {
      throw new ShapeError(
        `embeddings: ${what}[${Math.floor(i / T)}][${i % T}] = ${id} is outside the table of ${limit} rows`,
      );
    }
  }
}

/** out(B,T,C) = word[ids] + tokenType[typeIds] + pos[t]; throws ShapeError on a bad id. */
export function embeddingsForward(
  out: FloatArray,
  ids: Int32Array,
  typeIds: Int32Array,
  word: FloatArray,
  tokenType: FloatArray,
  pos: FloatArray,
  B: number,
  T: number,
  C: number,
  V: number,
  typeVocab: number,
): void {
  checkIds(ids, B * T, V, 'input_ids', T);
  checkIds(typeIds, B * T, typeVocab, 'token_type_ids', T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const w = ids[bt]! * C;
      const y = typeIds[bt]! * C;
      for (let c = 0; c < C; c++)
        out[bt * C + c] = word[w + c]! + tokenType[y + c]! + pos[t * C + c]!;
    }
  }
}

/** dWord[ids] += dOut rows; dTokenType[typeIds] += dOut rows; dPos[t] += Σ_b dOut(b,t). */
export function embeddingsBackward(
  dWord: FloatArray,
  dTokenType: FloatArray,
  dPos: FloatArray,
  dOut: FloatArray,
  ids: Int32Array,
  typeIds: Int32Array,
  B: number,
  T: number,
  C: number,
): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const w = ids[bt]! * C;
      const y = typeIds[bt]! * C;
      for (let c = 0; c < C; c++) {
        const g = dOut[bt * C + c]!;
        dWord[w + c] = dWord[w + c]! + g;
        dTokenType[y + c] = dTokenType[y + c]! + g;
        dPos[t * C + c] = dPos[t * C + c]! + g;
      }
    }
  }
}
