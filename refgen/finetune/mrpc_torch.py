#!/usr/bin/python3
"""MRPC fine-tuning in plain PyTorch with run_classifier.py's recipe, from the weights and
features refgen/finetune/dump_inputs.mjs wrote: an independent check of what bert-ts's
run_classifier reaches from the same start (is a result the weights' or the fine-tuning's?).

The recipe: BERT (modeling.py: tanh GELU, mask bias -10000, post-LN, LayerNorm eps 1e-12, pooler
tanh on token 0, dropout 0.1 on hidden states, attention probabilities and the pooled output),
output_weights/output_bias (truncated normal 0.02 / zeros), mean cross-entropy;
AdamWeightDecay (no bias correction, eps 1e-6, decay 0.01 except LayerNorm and bias),
clip_by_global_norm 1.0, linear warm-up over 10 % then linear decay from step 0 to 0;
3 epochs of batch 32 (int(3668 / 32 * 3) = 343 steps, reshuffled each epoch), eval on dev.
Weights named bert/... are loaded; with --random they are re-initialised as create_model would
(truncated normal 0.02, LayerNorm 1/0, biases 0).

Usage: /usr/bin/python3 refgen/finetune/mrpc_torch.py DUMP_DIR SEED LEARNING_RATE [--random]
Prints one line: accuracy and loss on MRPC dev."""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

P_DROP, EPOCHS, BATCH, WARMUP = 0.1, 3, 32, 0.1


def truncated_normal(shape):
    t = torch.empty(shape)
    torch.nn.init.trunc_normal_(t, std=0.02, a=-0.04, b=0.04)
    return t


def load_weights(dump, random):
    index = json.load(open(f"{dump}/weights.json"))
    raw = np.fromfile(f"{dump}/weights.bin", dtype=np.float32)
    params = {}
    for name, e in index.items():
        if not name.startswith("bert/"):
            continue
        size = int(np.prod(e["shape"]))
        w = torch.tensor(raw[e["offset"]:e["offset"] + size].reshape(e["shape"]))
        if random:
            if name.endswith("gamma"):
                w = torch.ones_like(w)
            elif name.endswith("beta") or name.endswith("bias"):
                w = torch.zeros_like(w)
            else:
                w = truncated_normal(w.shape)
        params[name] = w
    return params


class Bert:
    def __init__(self, params, layers, heads):
        self.p, self.layers, self.heads = params, layers, heads

    def ln(self, x, name):
        H = x.shape[-1]
        return F.layer_norm(x, (H,), self.p[name + "/gamma"], self.p[name + "/beta"], 1e-12)

    def dense(self, x, name):
        return x @ self.p[name + "/kernel"] + self.p[name + "/bias"]

    def logits(self, ids, mask, types, train):
        p, B, T = self.p, ids.shape[0], ids.shape[1]
        x = (p["bert/embeddings/word_embeddings"][ids] + p["bert/embeddings/token_type_embeddings"][types]
             + p["bert/embeddings/position_embeddings"][:T])
        x = F.dropout(self.ln(x, "bert/embeddings/LayerNorm"), P_DROP, train)
        H = x.shape[-1]
        HS = H // self.heads
        bias = ((1.0 - mask.float()) * -10000.0)[:, None, None, :]

        def split(t):
            return t.view(B, T, self.heads, HS).transpose(1, 2)

        for l in range(self.layers):
            n = f"bert/encoder/layer_{l}/"
            q, k, v = (split(self.dense(x, n + "attention/self/" + s)) for s in ("query", "key", "value"))
            probs = F.dropout((q @ k.transpose(-1, -2) / math.sqrt(HS) + bias).softmax(-1), P_DROP, train)
            ctx = (probs @ v).transpose(1, 2).reshape(B, T, H)
            attn = F.dropout(self.dense(ctx, n + "attention/output/dense"), P_DROP, train)
            x = self.ln(x + attn, n + "attention/output/LayerNorm")
            h = self.dense(x, n + "intermediate/dense")
            h = 0.5 * h * (1.0 + torch.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h**3)))
            x = self.ln(x + F.dropout(self.dense(h, n + "output/dense"), P_DROP, train), n + "output/LayerNorm")
        pooled = torch.tanh(self.dense(x[:, 0], "bert/pooler/dense"))
        return F.dropout(pooled, P_DROP, train) @ p["output_weights"].T + p["output_bias"]


def adam_weight_decay(params, m, v, lr, scale):
    with torch.no_grad():
        for name, w in params.items():
            g = w.grad * scale
            m[name].mul_(0.9).add_(0.1 * g)
            v[name].mul_(0.999).add_(0.001 * g * g)
            update = m[name] / (v[name].sqrt() + 1e-6)
            if not ("LayerNorm" in name or name.endswith("bias")):
                update = update + 0.01 * w
            w.sub_(lr * update)


def main():
    dump, seed, lr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    random = "--random" in sys.argv[4:]
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(2)
    params = load_weights(dump, random)
    layers = len({n.split("/")[2] for n in params if n.startswith("bert/encoder/layer_")})
    H = params["bert/pooler/dense/bias"].shape[0]
    params["output_weights"] = truncated_normal((2, H))
    params["output_bias"] = torch.zeros(2)
    for w in params.values():
        w.requires_grad_(True)
    model = Bert(params, layers, heads=max(1, H // 64))
    train, dev = ([torch.tensor([r[i] for r in json.load(open(f"{dump}/{s}.json"))]) for i in range(4)]
                  for s in ("train", "eval"))
    n = train[0].shape[0]
    steps = int(n / BATCH * EPOCHS)
    warmup = int(steps * WARMUP)
    m = {k: torch.zeros_like(w) for k, w in params.items()}
    v = {k: torch.zeros_like(w) for k, w in params.items()}
    order = []
    for step in range(steps):
        if len(order) < BATCH:
            order += np.random.permutation(n).tolist()
        b, order = torch.tensor(order[:BATCH]), order[BATCH:]
        loss = F.cross_entropy(model.logits(train[0][b], train[1][b], train[2][b], True), train[3][b].view(-1))
        for w in params.values():
            w.grad = None
        loss.backward()
        norm = math.sqrt(sum(float((w.grad**2).sum()) for w in params.values()))
        lr_now = lr * step / warmup if step < warmup else lr * (1 - step / steps)
        adam_weight_decay(params, m, v, lr_now, 1.0 / max(norm, 1.0))
    with torch.no_grad():
        logits = model.logits(dev[0], dev[1], dev[2], False)
        labels = dev[3].view(-1)
        acc = float((logits.argmax(-1) == labels).float().mean())
        dev_loss = float(F.cross_entropy(logits, labels))
    start = "random init" if random else dump
    print(f"mrpc_torch {start} seed={seed} lr={lr}: eval_accuracy {acc:.4f} eval_loss {dev_loss:.4f}")


if __name__ == "__main__":
    main()
