// modeling.BertModel (+ run_classifier's head) as an ONNX graph of standard opset-17 operators,
// the same arithmetic as bert-ts's forward pass in inference mode (no dropout):
//
//   embeddings: Gather(word_embeddings, input_ids) + Gather(token_type_embeddings, token_type_ids)
//               + Slice(position_embeddings, 0..T) -> LayerNormalization(eps 1e-12)
//   mask:       (1 − float(attention_mask))·(−10000), as [B,1,1,T] (modeling.create_attention_mask…)
//   layer ×L:   Q,K,V = MatMul+Add; scores = Q·Kᵀ·(1/√HS) + mask; Softmax; ·V; dense; +x; LN;
//               MatMul+Add, activation (gelu = the tanh form, spelled out), MatMul+Add; +; LN
//   pooler:     Tanh(MatMul+Add of token 0)
//   head:       logits = Gemm(pooled, output_weightsᵀ, output_bias)   (classifier)
//
// Inputs input_ids, attention_mask, token_type_ids: int64 [batch_size, sequence_length]. Outputs
// logits [batch_size, num_labels] (classifier) or last_hidden_state [batch_size, sequence_length,
// H] and pooler_output [batch_size, H] (encoder), float32. Weights are Google's tensors in Google's
// layout (kernels [in, out] feed MatMul as they are) under their Google names.
// Legend: B batch, T sequence, H hidden, NH heads, HS head size.
import type { BertConfig } from '../model/config.js';
import { ShapeError } from '../util/errors.js';
import { float, GraphBuilder, int, ints, type ValueInfo } from './onnx_graph.js';

/** Reads a Google-named float32 tensor and checks its shape. */
export type WeightReader = (name: string, shape: readonly number[]) => Float32Array;

export type OnnxHead =
  { readonly kind: 'encoder' } | { readonly kind: 'classifier'; readonly numLabels: number };

const INPUTS: ValueInfo[] = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
  name,
  elemType: 'int64',
  dims: ['batch_size', 'sequence_length'],
}));

interface Ctx {
  readonly b: GraphBuilder;
  readonly w: WeightReader;
  readonly c: BertConfig;
}

function weight(ctx: Ctx, name: string, shape: readonly number[]): string {
  return ctx.b.floatTensor(name, ctx.w(name, shape), shape);
}

/** x·kernel + bias with Google's `<scope>/kernel` [in, out] and `<scope>/bias` [out]. */
function dense(ctx: Ctx, scope: string, x: string, nIn: number, nOut: number): string {
  const kernel = weight(ctx, `${scope}/kernel`, [nIn, nOut]);
  const bias = weight(ctx, `${scope}/bias`, [nOut]);
  return ctx.b.node(scope, 'Add', [ctx.b.node(scope, 'MatMul', [x, kernel]), bias]);
}

/** modeling.layer_norm: over the last axis, epsilon 1e-12, `<scope>/gamma` and `/beta`. */
function layerNorm(ctx: Ctx, scope: string, x: string): string {
  const H = ctx.c.hidden_size;
  const gamma = weight(ctx, `${scope}/gamma`, [H]);
  const beta = weight(ctx, `${scope}/beta`, [H]);
  return ctx.b.node(scope, 'LayerNormalization', [x, gamma, beta], {
    axis: int(-1),
    epsilon: float(1e-12),
  });
}

/** modeling.gelu: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh form, op by op. */
function gelu(b: GraphBuilder, scope: string, x: string): string {
  const x3 = b.node(scope, 'Mul', [b.node(scope, 'Mul', [x, x]), x]);
  const inner = b.node(scope, 'Add', [x, b.node(scope, 'Mul', [x3, b.scalar(0.044715)])]);
  const t = b.node(scope, 'Tanh', [
    b.node(scope, 'Mul', [inner, b.scalar(Math.sqrt(2 / Math.PI))]),
  ]);
  const cdf = b.node(scope, 'Mul', [b.node(scope, 'Add', [t, b.scalar(1)]), b.scalar(0.5)]);
  return b.node(scope, 'Mul', [x, cdf]);
}

function activation(ctx: Ctx, scope: string, x: string): string {
  const act = ctx.c.hidden_act.toLowerCase();
  if (act === 'gelu') return gelu(ctx.b, scope, x);
  if (act === 'relu') return ctx.b.node(scope, 'Relu', [x]);
  if (act === 'tanh') return ctx.b.node(scope, 'Tanh', [x]);
  return x; // 'linear' or '' (modeling.get_activation: no activation)
}

function embeddings(ctx: Ctx): string {
  const { b, c } = ctx;
  const s = 'bert/embeddings';
  const H = c.hidden_size;
  const word = weight(ctx, `${s}/word_embeddings`, [c.vocab_size, H]);
  const types = weight(ctx, `${s}/token_type_embeddings`, [c.type_vocab_size, H]);
  const positions = weight(ctx, `${s}/position_embeddings`, [c.max_position_embeddings, H]);
  const T = b.node(s, 'Shape', ['input_ids'], { start: int(1), end: int(2) }); // [T]
  const pos = b.node(s, 'Slice', [positions, b.int64([0]), T, b.int64([0])]); // (T,H)
  const sum = b.node(s, 'Add', [
    b.node(s, 'Add', [
      b.node(s, 'Gather', [word, 'input_ids']),
      b.node(s, 'Gather', [types, 'token_type_ids']),
    ]),
    pos,
  ]);
  return layerNorm(ctx, `${s}/LayerNorm`, sum);
}

/** (1 − mask)·(−10000) as (B,1,1,T), added to every head's scores. */
function maskBias(b: GraphBuilder): string {
  const s = 'bert/encoder/attention_mask';
  const m = b.node(s, 'Cast', ['attention_mask'], { to: int(1) }); // 1 = FLOAT
  const bias = b.node(s, 'Mul', [b.node(s, 'Sub', [b.scalar(1), m]), b.scalar(-10000)]);
  return b.node(s, 'Unsqueeze', [bias, b.int64([1, 2])]);
}

/** (B,T,H) -> (B,NH,T,HS), or (B,NH,HS,T) for the keys (`perm`). */
function splitHeads(ctx: Ctx, scope: string, x: string, perm: number[]): string {
  const { num_attention_heads: NH } = ctx.c;
  const heads = ctx.b.node(scope, 'Reshape', [x, ctx.b.int64([0, 0, NH, ctx.c.headSize])]);
  return ctx.b.node(scope, 'Transpose', [heads], { perm: ints(perm) });
}

function attention(ctx: Ctx, scope: string, x: string, bias: string): string {
  const { b } = ctx;
  const H = ctx.c.hidden_size;
  const s = `${scope}/attention/self`;
  const q = splitHeads(ctx, `${s}/query`, dense(ctx, `${s}/query`, x, H, H), [0, 2, 1, 3]);
  const k = splitHeads(ctx, `${s}/key`, dense(ctx, `${s}/key`, x, H, H), [0, 2, 3, 1]);
  const v = splitHeads(ctx, `${s}/value`, dense(ctx, `${s}/value`, x, H, H), [0, 2, 1, 3]);
  const scores = b.node(s, 'Mul', [
    b.node(s, 'MatMul', [q, k]),
    b.scalar(1 / Math.sqrt(ctx.c.headSize)),
  ]);
  const probs = b.node(s, 'Softmax', [b.node(s, 'Add', [scores, bias])], { axis: int(-1) });
  const ctxHeads = b.node(s, 'Transpose', [b.node(s, 'MatMul', [probs, v])], {
    perm: ints([0, 2, 1, 3]),
  });
  const context = b.node(s, 'Reshape', [ctxHeads, b.int64([0, 0, H])]);
  const o = `${scope}/attention/output`;
  const out = b.node(o, 'Add', [dense(ctx, `${o}/dense`, context, H, H), x]);
  return layerNorm(ctx, `${o}/LayerNorm`, out);
}

function encoderLayer(ctx: Ctx, l: number, x: string, bias: string): string {
  const { hidden_size: H, intermediate_size: I } = ctx.c;
  const s = `bert/encoder/layer_${l}`;
  const attn = attention(ctx, s, x, bias);
  const inter = activation(
    ctx,
    `${s}/intermediate`,
    dense(ctx, `${s}/intermediate/dense`, attn, H, I),
  );
  const out = ctx.b.node(`${s}/output`, 'Add', [
    dense(ctx, `${s}/output/dense`, inter, I, H),
    attn,
  ]);
  return layerNorm(ctx, `${s}/output/LayerNorm`, out);
}

function pooler(ctx: Ctx, sequence: string, output?: string): string {
  const s = 'bert/pooler';
  const H = ctx.c.hidden_size;
  const first = ctx.b.node(s, 'Gather', [sequence, ctx.b.int64([0], true)], { axis: int(1) }); // (B,H)
  return ctx.b.node(s, 'Tanh', [dense(ctx, `${s}/dense`, first, H, H)], {}, output);
}

/** The ONNX model of `config` with `head`, its weights read through `w`. */
export function bertOnnxModel(config: BertConfig, head: OnnxHead, w: WeightReader): Uint8Array {
  const b = new GraphBuilder();
  const ctx: Ctx = { b, w, c: config };
  const bias = maskBias(b);
  let x = embeddings(ctx);
  for (let l = 0; l < config.num_hidden_layers; l++) x = encoderLayer(ctx, l, x, bias);
  const H = config.hidden_size;
  const doc = `BERT (google-research/bert) exported by bert-ts: L=${config.num_hidden_layers} H=${H}`;
  if (head.kind === 'encoder') {
    b.node('bert/encoder', 'Identity', [x], {}, 'last_hidden_state');
    pooler(ctx, x, 'pooler_output');
    return b.encode(
      INPUTS,
      [
        {
          name: 'last_hidden_state',
          elemType: 'float32',
          dims: ['batch_size', 'sequence_length', H],
        },
        { name: 'pooler_output', elemType: 'float32', dims: ['batch_size', H] },
      ],
      doc,
    );
  }
  const N = head.numLabels;
  if (N < 1) throw new ShapeError(`onnx: a classifier needs at least one output, got ${N}`);
  const weights = weight(ctx, 'output_weights', [N, H]);
  const biasN = weight(ctx, 'output_bias', [N]);
  b.node('classifier', 'Gemm', [pooler(ctx, x), weights, biasN], { transB: int(1) }, 'logits');
  return b.encode(INPUTS, [{ name: 'logits', elemType: 'float32', dims: ['batch_size', N] }], doc);
}
