#!/usr/bin/python3
"""Writes test/fixtures/model/bert_pytorch.bin: a small BERT + run_classifier head computed in
plain PyTorch ops that follow google-research/bert's modeling.py and run_classifier.create_model
(tanh GELU, mask bias -10000, LayerNorm eps 1e-12 with biased variance, post-LN, pooler tanh,
logits = pooled . output_weights^T + output_bias, mean cross-entropy), then every gradient by
autograd. Weights carry Google's variable names and TF layouts (dense kernels [in, out]).

Runs: float64 and float32 with dropout off, and float64 with dropout on, its masks drawn from
bert-ts's counter hash (src/engine/dropout_hash.ts, lowbias32) so that both sides drop the same
elements — which checks where dropout sits in the graph; ten training steps (clip, AdamWeightDecay,
create_optimizer's schedule); run_pretraining's masked-LM + next-sentence heads; run_squad's
span head; and
extract_features.py's inputs for five lines. test/fixtures/model/PROVENANCE.md lists the tensors.

Run with Debian's torch: /usr/bin/python3 refgen/model/make_fixture.py (apt-get install
python3-torch). The test suite only reads the written file.

File format (little-endian): b"BTFX", uint32 version 1, uint32 header length, the header as UTF-8
JSON {config, num_labels, batch, tensors: [{name, dtype "f32"|"f64", shape, offset}]}, then the
tensor bytes, each at `offset` from the start of the data section (8-byte aligned).
"""
import json
import math
import os
import struct

import numpy as np
import torch

CONFIG = {
    "vocab_size": 99,
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 37,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 16,
    "type_vocab_size": 2,
    "initializer_range": 0.02,
}
NUM_LABELS = 3
B, T = 3, 7
HEAD_DROPOUT_SITE = 1_000_000
TRAIN_SEED = 42
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "model", "bert_pytorch.bin")


def param_shapes():
    """Google's names and TF shapes, in modeling.py's creation order."""
    H, I = CONFIG["hidden_size"], CONFIG["intermediate_size"]
    shapes = [
        ("bert/embeddings/word_embeddings", [CONFIG["vocab_size"], H]),
        ("bert/embeddings/token_type_embeddings", [CONFIG["type_vocab_size"], H]),
        ("bert/embeddings/position_embeddings", [CONFIG["max_position_embeddings"], H]),
        ("bert/embeddings/LayerNorm/beta", [H]),
        ("bert/embeddings/LayerNorm/gamma", [H]),
    ]
    for l in range(CONFIG["num_hidden_layers"]):
        s = f"bert/encoder/layer_{l}"
        for d, (i, o) in [("attention/self/query", (H, H)), ("attention/self/key", (H, H)),
                          ("attention/self/value", (H, H)), ("attention/output/dense", (H, H))]:
            shapes += [(f"{s}/{d}/kernel", [i, o]), (f"{s}/{d}/bias", [o])]
        shapes += [(f"{s}/attention/output/LayerNorm/beta", [H]), (f"{s}/attention/output/LayerNorm/gamma", [H])]
        shapes += [(f"{s}/intermediate/dense/kernel", [H, I]), (f"{s}/intermediate/dense/bias", [I])]
        shapes += [(f"{s}/output/dense/kernel", [I, H]), (f"{s}/output/dense/bias", [H])]
        shapes += [(f"{s}/output/LayerNorm/beta", [H]), (f"{s}/output/LayerNorm/gamma", [H])]
    shapes += [("bert/pooler/dense/kernel", [H, H]), ("bert/pooler/dense/bias", [H])]
    shapes += [("output_weights", [NUM_LABELS, H]), ("output_bias", [NUM_LABELS])]
    return shapes


def random_params():
    """Random float32-representable weights (stored as float32, exact in float64 too)."""
    rng = np.random.RandomState(20261125)
    params = {}
    for name, shape in param_shapes():
        x = rng.normal(0.0, 0.3, size=shape)
        if name.endswith("gamma"):
            x = 1.0 + 0.2 * rng.normal(size=shape)
        params[name] = x.astype(np.float32)
    return params


# --- bert-ts's dropout hash (src/engine/dropout_hash.ts), in uint32 arithmetic -------------------
M32 = np.uint64(0xFFFFFFFF)  # numpy uint64: products of two values < 2^32 do not overflow


def lowbias32(x):
    x = x & M32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & M32
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & M32
    x ^= x >> np.uint64(16)
    return x


def dropout_hash(seed, idx):
    return lowbias32((seed ^ ((idx * np.uint64(0x9E3779B9)) & M32)) & M32)


def dropout_mask(site, shape, p, step_seed=TRAIN_SEED):
    """The mask bert-ts draws at `site` of step `step_seed`: keep iff hash >= round(p*2^32)."""
    seed = int(dropout_hash(np.uint64(step_seed), np.uint64(site)))
    idx = np.arange(int(np.prod(shape)), dtype=np.uint64)
    h = dropout_hash(np.uint64(seed), idx)
    keep = h >= np.uint64(min(round(p * 4294967296), 0xFFFFFFFF))
    return (keep.astype(np.float64) * (1.0 / (1.0 - p))).reshape(shape)


# --- the model, in plain torch ops following modeling.py ----------------------------------------
def gelu(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


def layer_norm(x, gamma, beta):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + 1e-12) * gamma + beta


class Dropout:
    """Off, or bert-ts's masks site by site (0 embeddings, 1+3l.. per layer, heads 1e6)."""

    def __init__(self, on, dtype, step_seed=TRAIN_SEED):
        self.on, self.dtype, self.step_seed = on, dtype, step_seed

    def __call__(self, x, site, p):
        if not self.on:
            return x
        return x * torch.tensor(dropout_mask(site, tuple(x.shape), p, self.step_seed), dtype=self.dtype)


def forward(P, batch, dtype, drop):
    B, T = batch["batch_size"], batch["seq_length"]
    ids, mask, seg, labels = (torch.tensor(batch[k]) for k in ("input_ids", "input_mask", "segment_ids", "labels"))
    ids, mask, seg = ids.view(B, T), mask.view(B, T), seg.view(B, T)
    H, NH = CONFIG["hidden_size"], CONFIG["num_attention_heads"]
    HS = H // NH
    ph, pa = CONFIG["hidden_dropout_prob"], CONFIG["attention_probs_dropout_prob"]
    e = P["bert/embeddings/word_embeddings"][ids] + P["bert/embeddings/token_type_embeddings"][seg]
    e = e + P["bert/embeddings/position_embeddings"][:T].unsqueeze(0)
    x = drop(layer_norm(e, P["bert/embeddings/LayerNorm/gamma"], P["bert/embeddings/LayerNorm/beta"]), 0, ph)
    outs = {"embedding_output": x}
    adder = (1.0 - mask.to(dtype)).view(B, 1, 1, T) * -10000.0
    for l in range(CONFIG["num_hidden_layers"]):
        s = f"bert/encoder/layer_{l}"

        def dense(inp, d):
            return inp @ P[f"{s}/{d}/kernel"] + P[f"{s}/{d}/bias"]

        def heads(t):  # (B,T,H) -> (B,NH,T,HS)
            return t.view(B, T, NH, HS).permute(0, 2, 1, 3)

        q, k, v = (heads(dense(x, f"attention/self/{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(HS)) + adder
        probs = drop(torch.softmax(scores, dim=-1), 1 + 3 * l, pa)
        ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, T, H)
        a = drop(dense(ctx, "attention/output/dense"), 2 + 3 * l, ph)
        a = layer_norm(a + x, P[f"{s}/attention/output/LayerNorm/gamma"], P[f"{s}/attention/output/LayerNorm/beta"])
        f = drop(dense(gelu(dense(a, "intermediate/dense")), "output/dense"), 3 + 3 * l, ph)
        x = layer_norm(f + a, P[f"{s}/output/LayerNorm/gamma"], P[f"{s}/output/LayerNorm/beta"])
        outs[f"layer_{l}"] = x
    pooled = torch.tanh(x[:, 0] @ P["bert/pooler/dense/kernel"] + P["bert/pooler/dense/bias"])
    outs["pooled"] = pooled
    if "output_weights" not in P:  # the encoder alone (pre-training heads are applied by the caller)
        return None, outs
    logits = drop(pooled, HEAD_DROPOUT_SITE, 0.1) @ P["output_weights"].T + P["output_bias"]
    log_probs = torch.log_softmax(logits, dim=-1)
    per_example = -log_probs.gather(1, labels.view(-1, 1).long()).view(-1)
    loss = per_example.mean()
    outs.update(pooled=pooled, logits=logits, per_example_loss=per_example, loss=loss.view(1))
    return loss, outs


def run(params, batch, dtype, dropout_on):
    P = {n: torch.tensor(v, dtype=dtype, requires_grad=True) for n, v in params.items()}
    loss, outs = forward(P, batch, dtype, Dropout(dropout_on, dtype))
    loss.backward()
    result = {k: v.detach().numpy() for k, v in outs.items()}
    result.update({f"grad/{n}": P[n].grad.numpy() for n in P})
    return result


# --- extract_features.py on hand-tokenized lines -------------------------------------------------
EXTRACT_SEQ = 12
EXTRACT_WORDS = ["the", "dog", "is", "hairy", ".", "this", "jack", "##son", "##ville", "?", "no", "it", "not", "\u4e2d"]
EXTRACT_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + EXTRACT_WORDS
EXTRACT_VOCAB += [f"filler{i}" for i in range(CONFIG["vocab_size"] - len(EXTRACT_VOCAB))]
# (input line, its word pieces as tokenization.FullTokenizer(do_lower_case=True) gives them, b)
EXTRACT_LINES = [
    ("The dog is hairy.", ["the", "dog", "is", "hairy", "."], None),
    ("Is this Jacksonville? ||| No it is not.", ["is", "this", "jack", "##son", "##ville", "?"], ["no", "it", "is", "not", "."]),
    ("", [], None),
    ("the dog the dog the dog the dog the dog the dog", ["the", "dog"] * 6, None),
    # Stripped to '\u4e2d "dog" |||': no " ||| " left, so one sentence; '"' and '|' are [UNK].
    ("\u4e2d \"dog\" ||| ", ["\u4e2d", "[UNK]", "dog", "[UNK]", "[UNK]", "[UNK]", "[UNK]"], None),
]


def extract_features_batch():
    """convert_examples_to_features of extract_features.py, on the token lists above."""
    rows = []
    for _, a, b in EXTRACT_LINES:
        if b:
            while len(a) + len(b) > EXTRACT_SEQ - 3:
                (a if len(a) > len(b) else b).pop()
        a = a[: EXTRACT_SEQ - 2]
        tokens = ["[CLS]"] + a + ["[SEP]"] + ((b + ["[SEP]"]) if b else [])
        types = [0] * (len(a) + 2) + ([1] * (len(b) + 1) if b else [])
        ids = [EXTRACT_VOCAB.index(t) for t in tokens]
        pad = EXTRACT_SEQ - len(ids)
        rows.append((tokens, ids + [0] * pad, [1] * len(ids) + [0] * pad, types + [0] * pad))
    batch = {
        "batch_size": len(rows), "seq_length": EXTRACT_SEQ,
        "input_ids": sum((r[1] for r in rows), []), "input_mask": sum((r[2] for r in rows), []),
        "segment_ids": sum((r[3] for r in rows), []), "labels": [0] * len(rows),
    }
    return batch, {"lines": [l for l, _, _ in EXTRACT_LINES], "tokens": [r[0] for r in rows],
                   "vocab": EXTRACT_VOCAB, "max_seq_length": EXTRACT_SEQ}


def extract_features_run(params):
    batch, info = extract_features_batch()
    P = {n: torch.tensor(v, dtype=torch.float64) for n, v in params.items()}
    with torch.no_grad():
        _, outs = forward(P, batch, torch.float64, Dropout(False, torch.float64))
    return info, {f"extract/layer_{l}": outs[f"layer_{l}"].numpy() for l in range(CONFIG["num_hidden_layers"])}


# --- ten training steps (create_optimizer: warm-up + linear decay, clip 1.0, AdamWeightDecay) --------
TRAIN_STEPS, WARMUP, INIT_LR = 10, 2, 1e-2


def learning_rate(step):
    """optimization.create_optimizer's schedule, every operation in float32 as TF computes it."""
    f = np.float32
    if step < WARMUP:
        return float(f(f(INIT_LR) * f(f(step) / f(WARMUP))))
    return float(f(f(INIT_LR) * f(1 - f(f(min(step, TRAIN_STEPS)) / f(TRAIN_STEPS)))))


def train_ten_steps(params, batch):
    """float64; dropout on with step seed = step; no bias correction; decay off for LayerNorm/bias."""
    P = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in params.items()}
    m = {n: torch.zeros_like(p) for n, p in P.items()}
    v = {n: torch.zeros_like(p) for n, p in P.items()}
    losses, lrs = [], []
    for step in range(TRAIN_STEPS):
        loss, _ = forward(P, batch, torch.float64, Dropout(True, torch.float64, step))
        for p in P.values():
            p.grad = None
        loss.backward()
        norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in P.values()))
        scale = float(np.float32(1.0 / norm)) if norm > 1.0 else 1.0  # clip_by_global_norm(1.0)
        lr = learning_rate(step)
        with torch.no_grad():
            for n, p in P.items():
                g = p.grad * scale
                m[n] = 0.9 * m[n] + 0.1 * g
                v[n] = 0.999 * v[n] + 0.001 * g * g
                u = m[n] / (torch.sqrt(v[n]) + 1e-6)
                if not any(x in n for x in ("LayerNorm", "layer_norm", "bias")):
                    u = u + 0.01 * p
                p -= lr * u
        losses.append(float(loss))
        lrs.append(lr)
    final = {f"param/{n}": p.detach().numpy() for n, p in P.items()}
    return {"losses": np.array(losses), "lrs": np.array(lrs), **final}


# --- run_pretraining's heads: masked LM over gathered positions (tied embeddings) + next sentence --
PRETRAIN = {
    "max_predictions_per_seq": 3,
    "masked_lm_positions": [1, 4, 5, 2, 3, 0, 5, 0, 0],
    "masked_lm_ids": [17, 98, 60, 45, 7, 0, 3, 0, 0],
    "masked_lm_weights": [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
    "next_sentence_labels": [0, 1, 1],
}


def pretraining_params(params):
    """The encoder's weights plus random cls/* tensors (float32-representable), in creation order."""
    rng = np.random.RandomState(7)
    H, V = CONFIG["hidden_size"], CONFIG["vocab_size"]
    out = {n: v for n, v in params.items() if n.startswith("bert/")}
    for name, shape in [("cls/predictions/transform/dense/kernel", [H, H]), ("cls/predictions/transform/dense/bias", [H]),
                        ("cls/predictions/transform/LayerNorm/beta", [H]), ("cls/predictions/transform/LayerNorm/gamma", [H]),
                        ("cls/predictions/output_bias", [V]), ("cls/seq_relationship/output_weights", [2, H]),
                        ("cls/seq_relationship/output_bias", [2])]:
        x = 1.0 + 0.2 * rng.normal(size=shape) if name.endswith("gamma") else rng.normal(0.0, 0.3, size=shape)
        out[name] = x.astype(np.float32)
    return out


def pretraining_losses(P, sequence, pooled):
    """get_masked_lm_output + get_next_sentence_output of run_pretraining.py."""
    B, T, H = sequence.shape
    pos = torch.tensor(PRETRAIN["masked_lm_positions"]).view(B, -1)
    flat = (pos + torch.arange(B).view(-1, 1) * T).view(-1)  # gather_indexes
    x = sequence.reshape(B * T, H)[flat]
    x = gelu(x @ P["cls/predictions/transform/dense/kernel"] + P["cls/predictions/transform/dense/bias"])
    x = layer_norm(x, P["cls/predictions/transform/LayerNorm/gamma"], P["cls/predictions/transform/LayerNorm/beta"])
    log_probs = torch.log_softmax(x @ P["bert/embeddings/word_embeddings"].T + P["cls/predictions/output_bias"], dim=-1)
    ids = torch.tensor(PRETRAIN["masked_lm_ids"])
    w = torch.tensor(PRETRAIN["masked_lm_weights"], dtype=sequence.dtype)
    per_example = -log_probs.gather(1, ids.view(-1, 1)).view(-1)
    mlm = (w * per_example).sum() / (w.sum() + 1e-5)
    nsp_logits = pooled @ P["cls/seq_relationship/output_weights"].T + P["cls/seq_relationship/output_bias"]
    nsp_lp = torch.log_softmax(nsp_logits, dim=-1)
    nsp = (-nsp_lp.gather(1, torch.tensor(PRETRAIN["next_sentence_labels"]).view(-1, 1))).mean()
    return mlm, nsp


def pretraining_run(params, batch, dtype):
    """Dropout off; the loss and (float64 only) every gradient, the tied word embeddings' included."""
    P = {n: torch.tensor(v, dtype=dtype, requires_grad=True) for n, v in pretraining_params(params).items()}
    _, outs = forward(P, batch, dtype, Dropout(False, dtype))
    mlm, nsp = pretraining_losses(P, outs[f"layer_{CONFIG['num_hidden_layers'] - 1}"], outs["pooled"])
    (mlm + nsp).backward()
    res = {"masked_lm_loss": mlm.detach().numpy().reshape(1), "next_sentence_loss": nsp.detach().numpy().reshape(1)}
    if dtype == torch.float64:
        res.update({f"grad/{n}": p.grad.numpy() for n, p in P.items()})
        res.update({f"param/{n}": v for n, v in pretraining_params(params).items() if n.startswith("cls/")})
    return res


# --- run_squad's span head --------------------------------------------------------------------------
SQUAD = {"start_positions": [1, 2, 5], "end_positions": [3, 2, 6]}
SQUAD_GRADS = ["cls/squad/output_weights", "cls/squad/output_bias", "bert/embeddings/word_embeddings",
               "bert/encoder/layer_0/attention/self/query/kernel", "bert/encoder/layer_1/output/dense/kernel"]


def squad_run(params, batch, dtype):
    """create_model + compute_loss of run_squad.py, dropout off; no masking of padded positions."""
    rng = np.random.RandomState(11)
    H = CONFIG["hidden_size"]
    values = {n: v for n, v in params.items() if n.startswith("bert/")}
    values["cls/squad/output_weights"] = rng.normal(0.0, 0.3, size=[2, H]).astype(np.float32)
    values["cls/squad/output_bias"] = rng.normal(0.0, 0.3, size=[2]).astype(np.float32)
    P = {n: torch.tensor(v, dtype=dtype, requires_grad=True) for n, v in values.items()}
    _, outs = forward(P, batch, dtype, Dropout(False, dtype))
    seq = outs[f"layer_{CONFIG['num_hidden_layers'] - 1}"]
    Bn, Tn, _ = seq.shape
    logits = (seq.reshape(Bn * Tn, H) @ P["cls/squad/output_weights"].T + P["cls/squad/output_bias"]).view(Bn, Tn, 2)
    start, end = logits[:, :, 0], logits[:, :, 1]

    def compute_loss(lg, positions):
        lp = torch.log_softmax(lg, dim=-1)
        return -lp.gather(1, torch.tensor(positions).view(-1, 1)).mean()

    loss = (compute_loss(start, SQUAD["start_positions"]) + compute_loss(end, SQUAD["end_positions"])) / 2.0
    loss.backward()
    res = {"loss": loss.detach().numpy().reshape(1)}
    if dtype == torch.float64:
        res.update(start_logits=start.detach().numpy(), end_logits=end.detach().numpy())
        res.update({f"grad/{n}": P[n].grad.numpy() for n in SQUAD_GRADS})
        res.update({f"param/{n}": values[n] for n in SQUAD_GRADS[:2]})
    return res


def write(path, params, batch, runs, extract_info):
    tensors, chunks, offset = [], [], 0
    items = [(f"param/{n}", v) for n, v in params.items()]
    for prefix, res in runs.items():
        items += [(f"{prefix}/{k}", v) for k, v in res.items()]
    for name, arr in items:
        arr = np.ascontiguousarray(arr)
        dtype = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}[arr.dtype]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        tensors.append({"name": name, "dtype": dtype, "shape": list(arr.shape), "offset": offset})
        pad = (-len(data)) % 8
        chunks.append(data + b"\0" * pad)
        offset += len(data) + pad
    header = json.dumps({"config": CONFIG, "num_labels": NUM_LABELS, "batch": batch, "tensors": tensors,
                         "extract_features": extract_info, "pretraining": PRETRAIN, "squad": SQUAD}).encode()
    header += b" " * ((-len(header)) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(b"BTFX" + struct.pack("<II", 1, len(header)) + header + b"".join(chunks))
    os.replace(path + ".tmp", path)


def main():
    batch = {
        "batch_size": B,
        "seq_length": T,
        # [CLS]=2-like ids at 0; row 1 padded from position 4, row 2 from position 6.
        "input_ids": [2, 17, 45, 98, 3, 60, 3, 2, 8, 8, 3, 0, 0, 0, 2, 71, 33, 5, 90, 3, 0],
        "input_mask": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0],
        "segment_ids": [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0],
        "labels": [2, 0, 1],
        "train_seed": TRAIN_SEED,
    }
    params = random_params()
    runs = {
        "f64": run(params, batch, torch.float64, False),
        "f32": run(params, batch, torch.float32, False),
        "f64_dropout": run(params, batch, torch.float64, True),
    }
    for k in ("f32", "f64_dropout"):  # keep the file small: grads + the values compared
        runs[k] = {n: v for n, v in runs[k].items() if not n.startswith("layer_") or k == "f32"}
    runs["train10"] = train_ten_steps(params, batch)
    runs["pretrain_f64"] = pretraining_run(params, batch, torch.float64)
    runs["pretrain_f32"] = pretraining_run(params, batch, torch.float32)
    runs["squad_f64"] = squad_run(params, batch, torch.float64)
    runs["squad_f32"] = squad_run(params, batch, torch.float32)
    extract_info, runs["extract"] = extract_features_run(params)
    runs["extract"] = {k.split("/", 1)[1]: v for k, v in runs["extract"].items()}
    write(OUT, params, batch, runs, extract_info)
    print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes, loss f64 {runs['f64']['loss'][0]!r}, "
          f"f32 {runs['f32']['loss'][0]!r}, dropout {runs['f64_dropout']['loss'][0]!r}, "
          f"ten steps {runs['train10']['losses'].tolist()}")


if __name__ == "__main__":
    main()
