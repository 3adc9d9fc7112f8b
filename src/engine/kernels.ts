// The contract between the model and the kernels (STYLE.md §5). Two implementations exist:
// the plain TypeScript reference (engine/reference/, float32 or float64: the specification and
// the oracle of the gradient checks) and the WebAssembly SIMD one (engine/wasm/ + pool.ts,
// float32, rows split over worker threads). Nothing above engine/ knows which one runs.
//
// Buffers are typed arrays obtained from `alloc` of the same kernel set (for the wasm set they
// are views of the shared WebAssembly.Memory, so a kernel can pass their byte offsets to wasm).
// Shapes use the legend: B batch, T sequence, C channels (hidden), NH heads, HS head size
// (C = NH·HS), BT = B·T rows, K inner dimension, N output columns, V vocab.
// Every *Backward ACCUMULATES into its gradient outputs (+=), as in llm.c, so gradients of a
// tensor used twice (tied embeddings, residual branches) add up without extra passes.

export type FloatArray = Float32Array | Float64Array;

/** Activations known to bert_config.json's hidden_act (modeling.get_activation). */
export type Activation = 'gelu' | 'relu' | 'tanh' | 'linear';

export interface Kernels<A extends FloatArray = FloatArray> {
  /** 'reference-f32', 'reference-f64', 'wasm-simd x2', 'wasm-relaxed-simd x2' ... for logs. */
  readonly name: string;
  /** Threads the heavy kernels use (1 for the reference). */
  readonly threads: number;

  /** A zeroed float buffer of n elements that this kernel set can work on. */
  alloc(n: number): A;
  /** A zeroed int32 buffer of n elements (token ids, labels, positions). */
  allocInt(n: number): Int32Array;
  /** Releases workers and memory; the kernel set is unusable afterwards. */
  dispose(): Promise<void>;

  /**
   * out(M,N) = op(a)·op(b) (+ bias(N)) (+ out when accumulate).
   * op(a) is a(M,K), or aᵀ when transA (a stored (K,M)); op(b) is b(K,N), or bᵀ when transB
   * (b stored (N,K)). TF dense kernels are (in, out) = (K,N): forward is transB=false;
   * dX = dY·Wᵀ is transB=true; dW += Xᵀ·dY is transA=true, accumulate=true.
   */
  matmul(
    out: A,
    a: A,
    b: A,
    bias: A | null,
    M: number,
    K: number,
    N: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;

  /** dBias(N) += Σ over rows of dOut(M,N). */
  biasBackward(dBias: A, dOut: A, M: number, N: number): void;

  /** out = act(inp) elementwise (n elements). */
  activationForward(act: Activation, out: A, inp: A, n: number): void;
  /** dInp += act'(inp)·dOut. `inp` is the pre-activation input. */
  activationBackward(act: Activation, dInp: A, inp: A, dOut: A, n: number): void;

  /** out = a + b elementwise (residual connections). */
  add(out: A, a: A, b: A, n: number): void;
  /** dst += src elementwise (gradient of a residual branch). */
  accumulate(dst: A, src: A, n: number): void;
  /**
   * x[0, n) = 0: the gradient buffers and backward scratch before kernels accumulate into them
   * (in the wasm set split over the threads: measured 3× faster than TypedArray.fill there).
   */
  zero(x: A, n: number): void;
  /** Σ x² over n elements, accumulated in float64 (global gradient norm). */
  sumSquares(x: A, n: number): number;

  /**
   * LayerNorm over the last axis, epsilon 1e-12 (modeling.layer_norm):
   * out(R,C) = (inp − mean)·rstd·gamma + beta; saves mean(R) and rstd(R) for backward.
   */
  layernormForward(out: A, mean: A, rstd: A, inp: A, gamma: A, beta: A, R: number, C: number): void;
  /** dInp += …, dGamma += …, dBeta += … given dOut and the saved mean/rstd. */
  layernormBackward(
    dInp: A,
    dGamma: A,
    dBeta: A,
    dOut: A,
    inp: A,
    mean: A,
    rstd: A,
    gamma: A,
    R: number,
    C: number,
  ): void;

  /**
   * Inverted dropout: mask[i] = 0 with probability p, else 1/(1−p); out = inp·mask.
   * The mask is a function of (seed, i) only — a counter-based generator — so results do not
   * depend on the thread count. p = 0 writes out = inp and mask = 1.
   */
  dropoutForward(out: A, mask: A, inp: A, p: number, seed: number, n: number): void;
  /** dInp += dOut·mask. */
  dropoutBackward(dInp: A, dOut: A, mask: A, n: number): void;

  /**
   * BERT embeddings before LayerNorm: out(B,T,C) = word[ids] + tokenType[typeIds] + pos[t].
   * ids and typeIds are (B,T) int32. Throws a ShapeError for an id outside its table.
   */
  embeddingsForward(
    out: A,
    ids: Int32Array,
    typeIds: Int32Array,
    word: A,
    tokenType: A,
    pos: A,
    B: number,
    T: number,
    C: number,
    V: number,
    typeVocab: number,
  ): void;
  /** dWord[ids] += dOut rows; dTokenType[typeIds] += …; dPos[t] += Σ_b dOut(b,t). */
  embeddingsBackward(
    dWord: A,
    dTokenType: A,
    dPos: A,
    dOut: A,
    ids: Int32Array,
    typeIds: Int32Array,
    B: number,
    T: number,
    C: number,
  ): void;

  /**
   * Multi-head attention core (modeling.attention_layer after the Q/K/V dense layers) with the
   * first Tq tokens of each sequence as queries and all T as keys: Tq = T is self-attention;
   * Tq = 1 serves the last layer when only token 0 is read (model/first_token_layer.ts).
   * q, ctx: (B,Tq,C); k, v: (B,T,C); head h in channels [h·HS, (h+1)·HS).
   * probs(B,NH,Tq,T) = softmax(q·kᵀ/√HS + maskBias[b, key]) — maskBias(B,T) holds
   * (1 − input_mask)·(−10000) — then attention dropout with probability p (mask saved in
   * dropMask(B,NH,Tq,T), ignored when p = 0; each element drawn at the index it has in the full
   * (B,NH,T,T) tensor, so Tq < T keeps self-attention's masks), ctx = dropped probs · v.
   */
  attentionForward(
    ctx: A,
    probs: A,
    dropMask: A,
    q: A,
    k: A,
    v: A,
    maskBias: A,
    B: number,
    Tq: number,
    T: number,
    NH: number,
    HS: number,
    p: number,
    seed: number,
  ): void;
  /** dq (B,Tq,C), dk, dv (B,T,C) += … given dCtx and the saved probs (before dropout) and dropMask. */
  attentionBackward(
    dq: A,
    dk: A,
    dv: A,
    dCtx: A,
    probs: A,
    dropMask: A,
    q: A,
    k: A,
    v: A,
    B: number,
    Tq: number,
    T: number,
    NH: number,
    HS: number,
    p: number,
  ): void;

  /**
   * Softmax cross-entropy per row: losses(R) = −log softmax(logits(R,N))[labels[r]],
   * probs(R,N) saved (the model averages or weights the losses itself).
   */
  crossEntropyForward(
    losses: A,
    probs: A,
    logits: A,
    labels: Int32Array,
    R: number,
    N: number,
  ): void;
  /** dLogits(R,N) += dLoss[r]·(probs − onehot(labels[r])). */
  crossEntropyBackward(
    dLogits: A,
    dLoss: A,
    probs: A,
    labels: Int32Array,
    R: number,
    N: number,
  ): void;

  /**
   * One AdamWeightDecay step over n parameters (optimization.AdamWeightDecayOptimizer), the whole
   * parameter buffer in one call: g = gradScale·grad (clip_by_global_norm's factor, applied here
   * so the gradients are read once); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
   * u = m/(√v + ε) + wd·param; param −= lr·u. No bias correction. The weight decay applies only
   * inside `decayRuns`, sorted pairs [start, end) (the variables whose names do not match
   * LayerNorm, layer_norm or bias); elsewhere wd is 0.
   */
  adamWeightDecay(
    param: A,
    grad: A,
    m: A,
    v: A,
    n: number,
    decayRuns: Int32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    wd: number,
    gradScale: number,
  ): void;
}
