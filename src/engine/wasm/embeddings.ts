// BERT embeddings before LayerNorm (modeling.embedding_lookup + embedding_postprocessor):
// out(B,T,C) = word[ids] + tokenType[typeIds] + pos[t]. ids/typeIds (B,T) int32, already checked
// against their tables by the caller. Forward splits the B·T rows; backward is a scatter-add into
// rows chosen by the ids (two tokens may share an id), so it splits the C columns instead: no two
// threads touch one element, and no atomics are needed.

/** Rows [start, end) of out. */
export function embeddingsForwardRange(
  out: usize,
  ids: usize,
  typeIds: usize,
  word: usize,
  tokenType: usize,
  pos: usize,
  T: i32,
  C: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>C) << 2;
  for (let r = start; r < end; r++) {
    const w = word + <usize>load<i32>(ids + ((<usize>r) << 2)) * e;
    const y = tokenType + <usize>load<i32>(typeIds + ((<usize>r) << 2)) * e;
    const p = pos + <usize>(r % T) * e;
    const d = out + <usize>r * e;
    let o: usize = 0;
    for (; o + 16 <= e; o += 16) {
      v128.store(d + o, f32x4.add(f32x4.add(v128.load(w + o), v128.load(y + o)), v128.load(p + o)));
    }
    for (; o < e; o += 4) store<f32>(d + o, load<f32>(w + o) + load<f32>(y + o) + load<f32>(p + o));
  }
}

/** Columns [start, end): dWord[ids] += dOut rows; dTokenType[typeIds] += …; dPos[t] += …. */
export function embeddingsBackwardRange(
  dWord: usize,
  dTokenType: usize,
  dPos: usize,
  dOut: usize,
  ids: usize,
  typeIds: usize,
  BT: i32,
  T: i32,
  C: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>C) << 2;
  const o0 = (<usize>start) << 2,
    o1 = (<usize>end) << 2;
  for (let r = 0; r < BT; r++) {
    const g = dOut + <usize>r * e;
    const w = dWord + <usize>load<i32>(ids + ((<usize>r) << 2)) * e;
    const y = dTokenType + <usize>load<i32>(typeIds + ((<usize>r) << 2)) * e;
    const p = dPos + <usize>(r % T) * e;
    let o = o0;
    for (; o + 16 <= o1; o += 16) {
      const v = v128.load(g + o);
      v128.store(w + o, f32x4.add(v128.load(w + o), v));
      v128.store(y + o, f32x4.add(v128.load(y + o), v));
      v128.store(p + o, f32x4.add(v128.load(p + o), v));
    }
    for (; o < o1; o += 4) {
      const v = load<f32>(g + o);
      store<f32>(w + o, load<f32>(w + o) + v);
      store<f32>(y + o, load<f32>(y + o) + v);
      store<f32>(p + o, load<f32>(p + o) + v);
    }
  }
}
