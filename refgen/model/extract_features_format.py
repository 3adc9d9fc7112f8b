#!/usr/bin/env python3
"""Writes test/fixtures/model/extract_features_format.json: JSON lines exactly as
extract_features.py's writer makes them (collections.OrderedDict with linex_index, features,
token, layers, index, values = round(float(x), 6) of float32 activations, json.dumps defaults),
for made-up tokens and float32 values chosen to hit the corners: ties at the 6th decimal, values
that round to -0.0, tiny and huge magnitudes, non-ASCII and escaped characters in tokens.
Values are stored as float32 bit patterns so both sides start from the same numbers.
Run: python3 refgen/model/extract_features_format.py (numpy only)."""
import collections
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "model", "extract_features_format.json")


def line(unique_id, tokens, layer_indexes, layer_outputs):
    """The body of extract_features.py's output loop for one example."""
    output_json = collections.OrderedDict()
    output_json["linex_index"] = unique_id
    all_features = []
    for i, token in enumerate(tokens):
        all_layers = []
        for j, layer_index in enumerate(layer_indexes):
            layers = collections.OrderedDict()
            layers["index"] = layer_index
            layers["values"] = [round(float(x), 6) for x in layer_outputs[j][i:(i + 1)].flat]
            all_layers.append(layers)
        features = collections.OrderedDict()
        features["token"] = token
        features["layers"] = all_layers
        all_features.append(features)
    output_json["features"] = all_features
    return json.dumps(output_json) + "\n"


def main():
    rng = np.random.RandomState(7)
    corner = np.array([0.0, -0.0, 1.0, -1.0, 0.5e-6, -0.4e-6, 1.5e-6, 2.5e-6, 0.1234565, -0.1234565,
                       3.0000005, 1e-7, -1e-7, 123456.789, -98765.4321, 3.4e38, 1.17549435e-38,
                       0.30000001, 2.675, 1e-5], dtype=np.float32)
    cases = []
    specs = [
        (0, ["[CLS]", "hello", "[SEP]"], [-1], 4),
        (1, ["[CLS]", "caf\u00e9", "\u4e2d", "\U0001F600", "a\"b\\c", "tab\there", "\u007f", "[SEP]"], [-1, -2], 5),
        (17, ["[CLS]", "x"], [0, 3, -4], 20),
    ]
    for unique_id, tokens, layer_indexes, width in specs:
        outs = []
        for j in range(len(layer_indexes)):
            a = (rng.normal(0, 2, size=(len(tokens), width))).astype(np.float32)
            if unique_id == 17 and j == 0:
                a[1] = corner  # the corner values on token "x"
            outs.append(a)
        cases.append({
            "unique_id": unique_id, "tokens": tokens, "layer_indexes": layer_indexes, "width": width,
            "bits": [o.view(np.uint32).ravel().tolist() for o in outs],
            "line": line(unique_id, tokens, layer_indexes, outs),
        })
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
