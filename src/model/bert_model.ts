// modeling.BertModel, forward and backward without autograd (llm.c's gpt2_forward/backward):
// embeddings (word + token type + position → LayerNorm → dropout), num_hidden_layers post-LN
// encoder layers, and the pooler (dense + tanh on token 0 of the last layer). Heads read the
// outputs and accumulate dLoss/d(sequence output) and dLoss/d(pooled output) into `outputGrads`;
// backward() then carries them down to every parameter gradient.
// Legend: B batch, T sequence, C hidden, NH heads, HS head size, I intermediate, L layers.
import type { Activation, FloatArray, Kernels } from '../engine/kernels.js';
import { dropoutHash } from '../engine/dropout_hash.js';
import { ConfigError, ShapeError, check } from '../util/errors.js';
import { allocateArena, type Arena } from './activations.js';
import { checkModelFits } from './memory.js';
import {
  encoderLayerBackward,
  encoderLayerForward,
  layerParams,
  denseBackward,
} from './encoder_layer.js';
import type { LayerDims, LayerParams } from './encoder_layer.js';
import {
  firstTokenLayerBackward,
  firstTokenLayerForward,
  gatherFirst,
} from './first_token_layer.js';
import type { BertConfigFields } from './layout.js';
import type { ParameterStore } from './parameters.js';

/** One batch of features (run_classifier's input_ids, input_mask, segment_ids), row-major (B,T). */
export interface BertBatch {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding; all ones when absent (modeling.BertModel). */
  readonly inputMask?: Int32Array;
  /** token_type_ids; zeros when absent. */
  readonly segmentIds?: Int32Array;
}

export interface ForwardOptions {
  /** is_training: dropout on (hidden_dropout_prob, attention_probs_dropout_prob) or off. */
  readonly training: boolean;
  /** Seeds every dropout mask of the step: the same seed gives the same masks. */
  readonly seed: number;
}

/** Views of the outputs of the last forward, valid until the next one. */
export interface BertOutputs<A extends FloatArray> {
  readonly B: number;
  readonly T: number;
  /** embedding_output (B,T,C). */
  readonly embeddingOutput: A;
  /** get_all_encoder_layers(): each layer's output (B,T,C). */
  readonly layers: readonly A[];
  /** get_sequence_output() = the last layer (B,T,C). */
  readonly sequence: A;
  /** get_pooled_output() (B,C). */
  readonly pooled: A;
}

export interface ModelLimits {
  readonly maxBatch: number;
  readonly maxSeq: number;
  /** Forward only, with L times smaller activations (activations.ts); backward is refused. */
  readonly inference?: boolean;
  /**
   * 'all-layers' (default): every layer's full output. 'pooled': only the pooled output is
   * needed (run_classifier), so the last layer runs for token 0 only (first_token_layer.ts) and
   * the outputs have no sequence output; the gradients are the same.
   */
  readonly outputs?: 'pooled' | 'all-layers';
}

const ACTIVATIONS: readonly Activation[] = ['gelu', 'relu', 'tanh', 'linear'];

function checkConfig(config: BertConfigFields): Activation {
  const { hidden_size: H, num_attention_heads: NH } = config;
  if (H % NH !== 0) {
    throw new ConfigError(
      `The hidden size (${H}) is not a multiple of the number of attention heads (${NH})`,
    );
  }
  // modeling.get_activation: case-insensitive, and an empty name means no activation.
  const act = config.hidden_act.toLowerCase();
  if (act === '') return 'linear';
  const known = ACTIVATIONS.find((a) => a === act);
  if (known === undefined) throw new ConfigError(`Unsupported activation: ${config.hidden_act}`);
  return known;
}

/** Dropout sites of a step: 0 the embeddings, then three per layer; heads use 1_000_000 + n. */
export function dropoutSeed(stepSeed: number, site: number): number {
  return dropoutHash(stepSeed >>> 0, site);
}

export class BertModel<A extends FloatArray> {
  readonly arena: Arena<A>;
  /** Heads accumulate dLoss/d(sequence output) (B,T,C) and dLoss/d(pooled output) (B,C) here. */
  readonly outputGrads: { readonly sequence: A; readonly pooled: A };
  private readonly act: Activation;
  private readonly p: readonly LayerParams<A>[];
  private readonly g: readonly LayerParams<A>[];
  private readonly pooledOnly: boolean;
  private last: LayerDims | undefined;

  constructor(
    readonly k: Kernels<A>,
    readonly config: BertConfigFields,
    readonly store: ParameterStore<A>,
    readonly limits: ModelLimits,
  ) {
    this.act = checkConfig(config);
    this.pooledOnly = limits.outputs === 'pooled' && config.num_hidden_layers > 0;
    const {
      hidden_size: C,
      intermediate_size: I,
      num_attention_heads: NH,
      num_hidden_layers: L,
    } = config;
    const inference = limits.inference ?? false;
    checkModelFits(config, store.layout.size, { ...limits, inference });
    this.arena = allocateArena(k, { ...limits, inference, C, I, NH, L });
    const rows = limits.maxBatch * limits.maxSeq;
    this.outputGrads = { sequence: k.alloc(rows * C), pooled: k.alloc(limits.maxBatch * C) };
    this.p = Array.from({ length: L }, (_, l) => layerParams(store, l, false));
    this.g = Array.from({ length: L }, (_, l) => layerParams(store, l, true));
  }

  /** Runs the model on a batch; zeroes outputGrads for the heads of this step. */
  forward(batch: BertBatch, opts: ForwardOptions): BertOutputs<A> {
    const dims = this.dims(batch, opts.training);
    const { B, T, C } = dims;
    const BT = B * T;
    this.copyInputs(batch, BT);
    this.embeddingsForward(dims, dropoutSeed(opts.seed, 0));
    const { layers, embeddings, scratch } = this.arena;
    let x = embeddings.out;
    layers.forEach((a, l) => {
      const seeds = {
        attnProbs: dropoutSeed(opts.seed, 1 + 3 * l),
        attnOut: dropoutSeed(opts.seed, 2 + 3 * l),
        ffnOut: dropoutSeed(opts.seed, 3 + 3 * l),
      };
      const mb = this.arena.maskBias;
      if (this.pooledOnly && l === layers.length - 1) {
        firstTokenLayerForward(
          this.k,
          this.p[l]!,
          a,
          scratch,
          x,
          this.arena.pooler.lastInput,
          mb,
          dims,
          seeds,
        );
        this.arena.pooler.first.set(a.out.subarray(0, B * C));
      } else {
        encoderLayerForward(this.k, this.p[l]!, a, scratch, x, mb, dims, seeds);
      }
      x = a.out;
    });
    if (!this.pooledOnly) gatherFirst(this.arena.pooler.first, x, B, T, C);
    this.poolerForward(dims);
    this.k.zero(this.outputGrads.sequence, BT * C);
    this.outputGrads.pooled.fill(0, 0, B * C);
    this.last = dims;
    const view = (a: A, n: number) => a.subarray(0, n) as A;
    const full = this.pooledOnly ? layers.slice(0, -1) : layers;
    const layerViews = full.map((a) => view(a.out, BT * C));
    const pooledOnly = this.pooledOnly;
    return {
      B,
      T,
      embeddingOutput: view(embeddings.out, BT * C),
      layers: layerViews,
      get sequence(): A {
        if (pooledOnly)
          throw new ConfigError(
            "BertModel: built with outputs 'pooled', it has no sequence output",
          );
        return layerViews[layerViews.length - 1] ?? view(embeddings.out, BT * C);
      },
      pooled: view(this.arena.pooler.pooled, B * C),
    };
  }

  /** Accumulates into store.grads the gradients of the heads' outputGrads (after their backward). */
  backward(): void {
    if (this.arena.dims.inference)
      throw new ConfigError(
        'BertModel: built for inference (limits.inference), it has no backward',
      );
    const dims = this.last;
    check(dims !== undefined, () => 'internal: BertModel.backward before forward');
    const { B, T, C } = dims;
    const BTC = B * T * C;
    const { layers, embeddings, scratch: s } = this.arena;
    let dOut = s.dOut;
    let dIn = s.dIn;
    this.poolerBackward(dims);
    if (!this.pooledOnly) this.seedSequenceGrad(dOut, dims);
    for (let l = layers.length - 1; l >= 0; l--) {
      const x = l === 0 ? embeddings.out : layers[l - 1]!.out;
      this.k.zero(dIn, BTC);
      const [p, g, a] = [this.p[l]!, this.g[l]!, layers[l]!];
      if (this.pooledOnly && l === layers.length - 1) {
        dOut.set(s.dFirst.subarray(0, B * C));
        const xFirst = this.arena.pooler.lastInput;
        firstTokenLayerBackward(this.k, p, g, a, s, xFirst, x, dIn, dOut, dims);
      } else {
        encoderLayerBackward(this.k, p, g, a, s, x, dIn, dOut, dims);
      }
      [dOut, dIn] = [dIn, dOut];
    }
    this.embeddingsBackward(dOut, dims);
  }

  /** Zeroes every parameter gradient (store.grads, heads included). */
  zeroGrad(): void {
    this.store.zeroGrad();
  }

  private dims(batch: BertBatch, training: boolean): LayerDims {
    const { batchSize: B, seqLength: T } = batch;
    const { maxBatch, maxSeq } = this.limits;
    const c = this.config;
    if (B < 1 || B > maxBatch || T < 1 || T > maxSeq) {
      throw new ShapeError(
        `BertModel: batch (${B}, ${T}) is outside the arena's (${maxBatch}, ${maxSeq})`,
      );
    }
    if (training && this.arena.dims.inference)
      throw new ConfigError('BertModel: built for inference (limits.inference), not for training');
    if (T > c.max_position_embeddings) {
      throw new ShapeError(
        `BertModel: seq_length ${T} > max_position_embeddings ${c.max_position_embeddings}`,
      );
    }
    for (const [name, arr] of [
      ['input_ids', batch.inputIds],
      ['input_mask', batch.inputMask],
      ['segment_ids', batch.segmentIds],
    ] as const) {
      if (arr !== undefined && arr.length < B * T)
        throw new ShapeError(
          `BertModel: ${name} has ${arr.length} elements, expected B·T = ${B}·${T}`,
        );
    }
    const C = c.hidden_size;
    const NH = c.num_attention_heads;
    return {
      B,
      T,
      C,
      NH,
      HS: C / NH,
      I: c.intermediate_size,
      act: this.act,
      pHidden: training ? c.hidden_dropout_prob : 0,
      pAttn: training ? c.attention_probs_dropout_prob : 0,
    };
  }

  /**
   * Copies ids and token types into the kernel set's memory (zeros when absent) and writes
   * maskBias(B,T) = (1 − input_mask)·(−10000) (modeling.attention_layer's adder; no mask = ones).
   */
  private copyInputs(batch: BertBatch, BT: number): void {
    const { ids, types, maskBias } = this.arena;
    ids.set(batch.inputIds.subarray(0, BT));
    if (batch.segmentIds === undefined) types.fill(0, 0, BT);
    else types.set(batch.segmentIds.subarray(0, BT));
    const mask = batch.inputMask;
    for (let i = 0; i < BT; i++) maskBias[i] = mask === undefined ? 0 : (1 - mask[i]!) * -10000;
  }

  private embeddingsForward(d: LayerDims, seed: number): void {
    const { ids, types } = this.arena;
    const { B, T, C } = d;
    const e = this.arena.embeddings;
    const st = this.store;
    const c = this.config;
    const [word, type, pos] = [
      st.view('bert/embeddings/word_embeddings'),
      st.view('bert/embeddings/token_type_embeddings'),
      st.view('bert/embeddings/position_embeddings'),
    ];
    this.k.embeddingsForward(
      e.sum,
      ids,
      types,
      word,
      type,
      pos,
      B,
      T,
      C,
      c.vocab_size,
      c.type_vocab_size,
    );
    const [gamma, beta] = [
      st.view('bert/embeddings/LayerNorm/gamma'),
      st.view('bert/embeddings/LayerNorm/beta'),
    ];
    this.k.layernormForward(e.norm, e.mean, e.rstd, e.sum, gamma, beta, B * T, C);
    this.k.dropoutForward(e.out, e.mask, e.norm, d.pHidden, seed, B * T * C);
  }

  private embeddingsBackward(dOut: A, d: LayerDims): void {
    const { ids, types } = this.arena;
    const { B, T, C } = d;
    const BTC = B * T * C;
    const e = this.arena.embeddings;
    const { dDense: dNorm, dResidual: dSum } = this.arena.scratch;
    const st = this.store;
    this.k.zero(dNorm, BTC);
    this.k.zero(dSum, BTC);
    this.k.dropoutBackward(dNorm, dOut, e.mask, BTC);
    const [gGamma, gBeta] = [
      st.grad('bert/embeddings/LayerNorm/gamma'),
      st.grad('bert/embeddings/LayerNorm/beta'),
    ];
    this.k.layernormBackward(
      dSum,
      gGamma,
      gBeta,
      dNorm,
      e.sum,
      e.mean,
      e.rstd,
      st.view('bert/embeddings/LayerNorm/gamma'),
      B * T,
      C,
    );
    const [gWord, gType, gPos] = [
      st.grad('bert/embeddings/word_embeddings'),
      st.grad('bert/embeddings/token_type_embeddings'),
      st.grad('bert/embeddings/position_embeddings'),
    ];
    this.k.embeddingsBackward(gWord, gType, gPos, dSum, ids, types, B, T, C);
  }

  /** pooled(B,C) = tanh(first·W + b), first(B,C) = token 0 of each sequence of the last layer. */
  private poolerForward(d: LayerDims): void {
    const { B, C } = d;
    const pl = this.arena.pooler;
    const [w, bias] = [
      this.store.view('bert/pooler/dense/kernel'),
      this.store.view('bert/pooler/dense/bias'),
    ];
    this.k.matmul(pl.pre, pl.first, w, bias, B, C, C, false, false, false);
    this.k.activationForward('tanh', pl.pooled, pl.pre, B * C);
  }

  /** scratch.dFirst (B,C) = the pooler's gradient w.r.t. token 0 of the last layer. */
  private poolerBackward(d: LayerDims): void {
    const { B, C } = d;
    const pl = this.arena.pooler;
    const { dFirst, dPre } = this.arena.scratch;
    dFirst.fill(0, 0, B * C);
    dPre.fill(0, 0, B * C);
    this.k.activationBackward('tanh', dPre, pl.pre, this.outputGrads.pooled, B * C);
    const st = this.store;
    denseBackward(
      this.k,
      dFirst,
      st.grad('bert/pooler/dense/kernel'),
      st.grad('bert/pooler/dense/bias'),
      dPre,
      pl.first,
      st.view('bert/pooler/dense/kernel'),
      B,
      C,
      C,
    );
  }

  /** dLast (B,T,C) = the heads' sequence gradient + the pooler's (scratch.dFirst) at token 0. */
  private seedSequenceGrad(dLast: A, d: LayerDims): void {
    const { B, T, C } = d;
    const dFirst = this.arena.scratch.dFirst;
    dLast.set(this.outputGrads.sequence.subarray(0, B * T * C));
    for (let b = 0; b < B; b++) {
      const row = dLast.subarray(b * T * C, b * T * C + C) as A;
      this.k.accumulate(row, dFirst.subarray(b * C, b * C + C) as A, C);
    }
  }
}
