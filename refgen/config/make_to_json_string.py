"""Writes test/fixtures/config/to_json_string.json: what modeling.BertConfig.to_json_string()
returns for the four real bert_config.json files and a few dicts, computed by Python itself.

BertConfig is restated here (its constructor defaults, from_dict copying every key onto the
instance, to_json_string = json.dumps(__dict__, indent=2, sort_keys=True) + "\\n") so TensorFlow is
not needed. Run: python3 refgen/config/make_to_json_string.py [shared/data dir]
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data")
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "config", "to_json_string.json")


class BertConfig:
    def __init__(self, vocab_size, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                 intermediate_size=3072, hidden_act="gelu", hidden_dropout_prob=0.1,
                 attention_probs_dropout_prob=0.1, max_position_embeddings=512, type_vocab_size=16,
                 initializer_range=0.02):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.hidden_act = hidden_act
        self.intermediate_size = intermediate_size
        self.hidden_dropout_prob = hidden_dropout_prob
        self.attention_probs_dropout_prob = attention_probs_dropout_prob
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.initializer_range = initializer_range

    @classmethod
    def from_dict(cls, obj):
        config = BertConfig(vocab_size=None)
        for key, value in obj.items():
            config.__dict__[key] = value
        return config

    def to_json_string(self):
        return json.dumps(copy.deepcopy(self.__dict__), indent=2, sort_keys=True) + "\n"


out = {"files": {}, "dicts": []}
for name in ["uncased_L-2_H-128_A-2", "uncased_L-12_H-768_A-12", "uncased_L-24_H-1024_A-16", "chinese_L-12_H-768_A-12"]:
    with open(os.path.join(SHARED, "configs", name, "bert_config.json")) as f:
        out["files"][name] = BertConfig.from_dict(json.load(f)).to_json_string()
for d in [
    {"vocab_size": 99},
    {"vocab_size": 5, "initializer_range": 1e-05, "hidden_dropout_prob": 1.0, "hidden_act": "relu"},
    {"vocab_size": 7, "note": "\u00e9\u4e2d\U0001F600", "flags": [1, True, None], "nested": {"b": 0.5, "a": []}},
]:
    out["dicts"].append({"input": d, "json": BertConfig.from_dict(d).to_json_string()})
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
