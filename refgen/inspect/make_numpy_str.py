"""Writes test/fixtures/inspect/numpy_str.json: str(ndarray) for arrays like the ones
inspect_checkpoint prints (float32 weights of many magnitudes, int64 global_step, bool, scalars,
2-D and 3-D, small and summarised), so bert-ts's printer can be held to numpy's exact text.

Each case: {"dtype", "shape", "values" (float32/float64 values as repr strings, ints as strings),
"str": str(array)}. numpy's default print options (precision 8, threshold 1000, edgeitems 3,
linewidth 75). Run: python3 refgen/inspect/make_numpy_str.py (numpy 2.x).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "inspect", "numpy_str.json")
rng = np.random.default_rng(7)
cases = {}


def add(name, a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        values = [repr(float(x)) for x in a.ravel()]
    elif a.dtype.kind == "b":
        values = [bool(x) for x in a.ravel()]
    else:
        values = [str(int(x)) for x in a.ravel()]
    cases[name] = {"dtype": str(a.dtype), "shape": list(a.shape), "values": values, "str": str(a)}


f32 = np.float32
add("scalar_f32", f32(0.5))
add("scalar_f32_small", f32(1e-5))
add("scalar_i64", np.int64(343))
add("vec_halves", np.array([0.5, 2.0, 3.0], dtype=f32))
add("vec_ints_as_float", np.array([1.0, 2.0, -3.0], dtype=f32))
add("vec_mixed", np.array([0.5, 1.25, -0.125, 100.0], dtype=f32))
add("normal_16", rng.standard_normal(16).astype(f32))
add("normal_scaled", (rng.standard_normal(12) * 0.02).astype(f32))
add("tiny_values_exp", np.array([1e-5, 2.5, -3.75e-7], dtype=f32))
add("big_values_exp", np.array([1e9, 1.0], dtype=f32))
add("ratio_exp", np.array([0.001, 2.0], dtype=f32))
add("with_zero", np.array([0.0, 0.1, -0.2], dtype=f32))
add("all_zero", np.zeros(5, dtype=f32))
add("inf_nan", np.array([np.inf, -np.inf, np.nan, 1.5], dtype=f32))
add("mat_2x3", rng.standard_normal((2, 3)).astype(f32))
add("mat_4x8", (rng.standard_normal((4, 8)) * 0.05).astype(f32))
add("cube_2x2x3", rng.standard_normal((2, 2, 3)).astype(f32))
add("long_vec_40", rng.standard_normal(40).astype(f32))
add("summarised_vec", rng.standard_normal(1001).astype(f32))
add("summarised_mat", (rng.standard_normal((40, 26)) * 0.02).astype(f32))
add("summarised_exp", np.concatenate([rng.standard_normal(1100), [1e-9]]).astype(f32))
add("int64_vec", np.array([1, -20, 300], dtype=np.int64))
add("int32_mat", np.array([[1, 2], [30, -4]], dtype=np.int32))
add("bool_vec", np.array([True, False, True]))
add("f64_vec", np.array([0.1, 0.25, 1e-3]))
add("layernorm_gamma", np.ones(128, dtype=f32))
add("zeros_2x3", np.zeros((2, 3), dtype=f32))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
