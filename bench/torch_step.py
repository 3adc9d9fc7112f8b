"""The BERT classifier training step of bench/step.bench.ts, in PyTorch, for the ratio.

Same shapes and work as the bert-ts step with every token of every layer: BERT-Tiny (hidden 128,
2 layers, 2 heads, intermediate 512) or BERT-Base (hidden 768, 12 layers, 12 heads, intermediate
3072), vocab 30522, tanh-GELU, post-LN, dropout 0.1 on hidden and attention probabilities, the
run_classifier head (dropout 0.1 on the pooled output, 2 labels, mean cross-entropy), batch B x T
of random ids with the same padding pattern, clip_by_global_norm(1.0) and AdamW (eps 1e-6, weight
decay 0.01).

PyTorch at its best on this machine needs its environment set by the caller (step.bench.ts does,
docs/engine.md "The PyTorch baseline" says why): OMP_WAIT_POLICY=PASSIVE (PyTorch's OpenMP team
and OpenBLAS's otherwise spin against each other on 2 cores), OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (so OpenBLAS picks its AVX-512 kernels for this CPU), glibc's
MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ raised (otherwise glibc maps and unmaps the
activations every step). The JSON line reports the OpenBLAS kernel set that ran ("openblas").

usage: python3 bench/torch_step.py tiny|base B T PASSES THREADS  -> one JSON line on stdout
"""

import ctypes
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

CONFIGS = {
    "tiny": dict(H=128, L=2, NH=2, I=512),
    "base": dict(H=768, L=12, NH=12, I=3072),
}
V, P_DROP = 30522, 0.1


def gelu(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


class Layer(nn.Module):
    def __init__(self, H, NH, I):
        super().__init__()
        self.H, self.NH = H, NH
        self.qkv = nn.Linear(H, 3 * H)
        self.out = nn.Linear(H, H)
        self.ln1 = nn.LayerNorm(H, eps=1e-12)
        self.inter = nn.Linear(H, I)
        self.down = nn.Linear(I, H)
        self.ln2 = nn.LayerNorm(H, eps=1e-12)

    def forward(self, x, mask_bias):
        B, T, _ = x.shape
        H, NH = self.H, self.NH
        q, k, v = self.qkv(x).view(B, T, 3, NH, H // NH).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(H // NH) + mask_bias
        probs = F.dropout(scores.softmax(-1), P_DROP, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + F.dropout(self.out(ctx), P_DROP, self.training))
        y = self.down(gelu(self.inter(x)))
        return self.ln2(x + F.dropout(y, P_DROP, self.training))


class Bert(nn.Module):
    def __init__(self, H, L, NH, I):
        super().__init__()
        self.word = nn.Embedding(V, H)
        self.token_type = nn.Embedding(2, H)
        self.pos = nn.Embedding(512, H)
        self.ln = nn.LayerNorm(H, eps=1e-12)
        self.layers = nn.ModuleList(Layer(H, NH, I) for _ in range(L))
        self.pool = nn.Linear(H, H)
        self.cls = nn.Linear(H, 2)

    def forward(self, ids, mask, types, labels):
        T = ids.shape[1]
        x = self.word(ids) + self.token_type(types) + self.pos.weight[:T]
        x = F.dropout(self.ln(x), P_DROP, self.training)
        mask_bias = ((1.0 - mask.float()) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask_bias)
        pooled = torch.tanh(self.pool(x[:, 0]))
        logits = self.cls(F.dropout(pooled, P_DROP, self.training))
        return F.cross_entropy(logits, labels)


def openblas_core():
    """The kernel set OpenBLAS chose ("SkylakeX", "Haswell", ...), read from the loaded library."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libopenblas" in line}
    for path in sorted(paths):
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return f"{lib.openblas_get_corename().decode()} ({lib.openblas_get_config().decode()})"
    return "no OpenBLAS loaded"


def main():
    name = sys.argv[1]
    B, T, passes, threads = (int(a) for a in sys.argv[2:6])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Bert(**CONFIGS[name])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, eps=1e-6, weight_decay=0.01)
    ids = torch.randint(0, V, (B, T))
    # the padding pattern of step.bench.ts: row i keeps T - 8·(i mod 3) tokens
    mask = torch.tensor([[1 if t < T - 8 * (i % 3) else 0 for t in range(T)] for i in range(B)])
    types = torch.zeros(B, T, dtype=torch.long)
    labels = torch.arange(B) % 2
    times = []
    for p in range(passes + 1):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model(ids, mask, types, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if p > 0:  # the first pass warms up
            times.append(time.perf_counter() - t0)
    times.sort()
    ms = 1000 * times[len(times) // 2]
    out = {"torch": torch.__version__, "openblas": openblas_core(), "config": name}
    print(json.dumps({**out, "threads": threads, "B": B, "T": T, "ms": ms}))


if __name__ == "__main__":
    main()
