"""Writes test/fixtures/safetensors/dtypes.safetensors and dtypes.expected.json.

A small safetensors file with one tensor per dtype bert-ts reads (F32, F16, BF16, F64, I64, I32,
BOOL) and a __metadata__ block, laid out per the format spec (8-byte LE header length, JSON
header padded with spaces to a multiple of 8, tensors back to back), with numpy as the oracle
for the half-precision values. The `safetensors` package is not installed here, so the file is
written with struct + json; the expected values come from numpy's own conversions.

Run: python3 refgen/safetensors/make_fixture.py  (numpy 2.x)
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "safetensors")

rng = np.random.default_rng(20240501)
f32 = rng.standard_normal((2, 3)).astype(np.float32)
f16 = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, np.inf, 0.1], dtype=np.float16)
# bfloat16 = the top 16 bits of a float32 (round toward zero here, as the bits are what is stored)
bf16_src = np.array([1.0, -3.140625, 1e-3, 3.0e38, 0.1], dtype=np.float32)
bf16_bits = (bf16_src.view(np.uint32) >> 16).astype(np.uint16)
bf16_values = (bf16_bits.astype(np.uint32) << 16).view(np.float32)
f64 = np.array([[0.1, -1e300], [2.0 ** -1074, 3.0]], dtype=np.float64)
i64 = np.array([-(2 ** 62), 343, 0], dtype=np.int64)
i32 = np.array([[-7], [2 ** 31 - 1]], dtype=np.int32)
b = np.array([True, False, True], dtype=np.bool_)

tensors = [
    ("a.float32", "F32", f32.shape, f32.tobytes()),
    ("b.float16", "F16", f16.shape, f16.tobytes()),
    ("c.bfloat16", "BF16", bf16_bits.shape, bf16_bits.tobytes()),
    ("d.float64", "F64", f64.shape, f64.tobytes()),
    ("e.int64", "I64", i64.shape, i64.tobytes()),
    ("f.int32", "I32", i32.shape, i32.tobytes()),
    ("g.bool", "BOOL", b.shape, b.tobytes()),
    ("h.scalar", "F32", (), np.float32(0.5).tobytes()),
]
header = {"__metadata__": {"format": "pt", "made_by": "refgen"}}
offset = 0
for name, dt, shape, data in tensors:
    header[name] = {"dtype": dt, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(OUT, "dtypes.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for _, _, _, data in tensors:
        f.write(data)


def floats(a):
    return [repr(float(x)) for x in np.asarray(a, dtype=np.float64).ravel()]


expected = {
    "a.float32": floats(f32),
    "b.float16": floats(f16.astype(np.float32)),
    "c.bfloat16": floats(bf16_values),
    "d.float64": floats(f64),
    "e.int64": [str(int(x)) for x in i64],
    "f.int32": [str(int(x)) for x in i32.ravel()],
    "g.bool": [int(x) for x in b],
    "h.scalar": floats([0.5]),
}
with open(os.path.join(OUT, "dtypes.expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
