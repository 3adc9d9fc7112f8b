"""Generates test/fixtures/squad/*.json from the run_squad restatement (run_squad_ref.py) and the
evaluation restatement (evaluate_ref.py), on the real SQuAD 1.1 dev set and the hand-made
test/fixtures/squad/v2_small.json.

Usage: python3 refgen/squad/gen.py
Feature lines are canonical JSON (json.dumps, separators (",", ":"), ensure_ascii=False) of
[qas_id, unique_id, example_index, doc_span_index, tokens, [[pos, word]...], [[pos, max_context]...],
input_ids, input_mask, segment_ids, start_position, end_position, is_impossible]; `sha256` is over
all lines joined by "\\n", and some lines are stored in full to show where a difference is.
Logits for the prediction cases come from Python's random.Random(seed).random(), rounded to
float32 (struct), so the test draws the same ones with util/py_random.ts.
"""
import functools
import hashlib
import json
import math
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate_ref  # noqa: E402
import run_squad_ref as ref  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("BERT_SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))
OUT = os.path.join(REPO, "test", "fixtures", "squad")
DEV = json.load(open(os.path.join(SHARED, "squad", "v1.1", "dev-v1.1.json"), encoding="utf-8"))
V2 = json.load(open(os.path.join(OUT, "v2_small.json"), encoding="utf-8"))
TOK = ref.FullTokenizer(os.path.join(SHARED, "vocab", "uncased", "vocab.txt"), True)
TOK.tokenize = functools.lru_cache(maxsize=None)(TOK.tokenize)  # pure: same pieces, faster


def line(ex, f):
    return json.dumps([ex["id"], f["uid"], f["ex"], f["span"], f["tokens"],
                       [[k, v] for k, v in f["to_orig"].items()],
                       [[k, v] for k, v in f["is_max"].items()], f["ids"], f["mask"], f["seg"],
                       f["start"], f["end"], f["impossible"]],
                      separators=(",", ":"), ensure_ascii=False)


def train_split(data):
    """npm run squad's training file: articles 0-35, each question with its first answer."""
    arts = []
    for a in data["data"][:36]:
        paras = [dict(context=p["context"], qas=[dict(q, answers=q["answers"][:1]) for q in p["qas"]])
                 for p in a["paragraphs"]]
        arts.append(dict(title=a["title"], paragraphs=paras))
    return dict(version=data["version"], data=arts)


def feature_case(name, data, training, v2, max_seq, stride, max_query, shuffle=False, every=997):
    warnings = []
    examples = ref.read_examples(data, training, v2, warnings)
    if shuffle:
        random.Random(12345).shuffle(examples)
    feats = ref.features(examples, TOK, max_seq, stride, max_query, training)
    lines = [line(examples[f["ex"]], f) for f in feats]
    print(name, len(examples), "examples", len(feats), "features", file=sys.stderr)
    return dict(name=name, training=training, version_2_with_negative=v2, shuffled=shuffle,
                max_seq_length=max_seq, doc_stride=stride, max_query_length=max_query,
                num_examples=len(examples), num_features=len(feats), warnings=warnings,
                example_ids_sha256=hashlib.sha256("\n".join(e["id"] for e in examples).encode()).hexdigest(),
                sha256=hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest(),
                lines={str(i): lines[i] for i in sorted(set(list(range(min(8, len(lines)))) + list(range(0, len(lines), every)) + [len(lines) - 1]))})


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def logits(feats, seed, max_seq):
    rng, out = random.Random(seed), {}
    for f in feats:
        pair = []
        for _ in range(2):
            xs = [f32(rng.random() * 12 - 6) for _ in range(max_seq)]
            if f["uid"] % 3 == 0:  # coarse logits: many ties, for sorted()'s stability
                xs = [f32(math.floor(x * 4) / 4) for x in xs]
            pair.append(xs)
        out[f["uid"]] = tuple(pair)
    return out


def articles(data, first, stop):
    return dict(version=data["version"], data=data["data"][first:stop])


def subset(data, article, paragraphs):
    a = data["data"][article]
    return dict(version=data["version"], data=[dict(title=a["title"], paragraphs=a["paragraphs"][:paragraphs])])


def prediction_case(name, source, v2, seed, n_best, max_len, threshold, max_seq=128, stride=32, max_query=24, lower=True):
    data = V2 if source["file"] == "v2_small" else subset(DEV, source["article"], source["paragraphs"])
    examples = ref.read_examples(data, False, False, [])
    feats = ref.features(examples, TOK, max_seq, stride, max_query, False)
    results = logits(feats, seed, max_seq)
    preds, nbest, diffs = ref.predictions(examples, feats, results, n_best, max_len, lower, v2, threshold)
    nbest_text = ref.dumps(nbest)
    files = dict(predictions=ref.dumps(preds),
                 nbest_predictions=dict(sha256=hashlib.sha256(nbest_text.encode()).hexdigest(),
                                        head=nbest_text[:4000]))
    if v2:
        files["null_odds"] = ref.dumps(diffs)
    print(name, len(examples), "examples", len(feats), "features", file=sys.stderr)
    return dict(name=name, do_lower_case=lower, source=source, seed=seed, n_best_size=n_best, max_answer_length=max_len,
                version_2_with_negative=v2, null_score_diff_threshold=threshold,
                max_seq_length=max_seq, doc_stride=stride, max_query_length=max_query, files=files)


FINAL_TEXT = [
    ("steve smith", "Steve Smith's", True),
    ("1895", "(1895-1943).", True),
    ("japanese", "Japanese", True),
    ("cafe", "Café", True),
    ("café", "Café", False),
    ("naive prices", "naïve prices!", True),
    ("東 京", "東京", True),
    ("zebra", "Steve Smith's", True),
    ("smith ' s", "Smith's", True),
    ("a b", "a\u00a0b", True),
    ("x", "\u00adx", True),
    ("ǆ", "ǅ", True),
    ("ß", "SS", True),
    ("i̇stanbul", "İstanbul", True),
    ("😀 ok", "😀 ok!", True),
    ("emoji - friendly", "😀 emoji-friendly", True),
    ("the", "the", True),
    ("", "anything", True),
]


def eval_cases():
    dev = articles(DEV, 0, 12)
    ids = [qa["id"] for a in dev["data"] for p in a["paragraphs"] for qa in p["qas"]]
    golds = {qa["id"]: [x["text"] for x in qa["answers"]] for a in dev["data"] for p in a["paragraphs"] for qa in p["qas"]}
    rng = random.Random(7)
    preds = {}
    for i, q in enumerate(ids):
        if i % 50 == 49:
            continue  # unanswered
        g = rng.choice(golds[q])
        kind = i % 5
        preds[q] = [g, "The " + g.upper() + "!", g.split()[0] if g.split() else "", "zebra " + g, "nothing"][kind]
    log1 = []
    v1_out = evaluate_ref.v1(dev, preds, log1)
    v2_preds = {"v2-1": "France", "v2-2": "", "v2-3": "King Charles", "v2-4": "Rollo", "v2-5": "the 10th",
                "v2-6": "", "v2-7": "3€", "v2-8": "東京", "v2-9": "in 1999", "v2-10": "staff", "v2-11": "tea",
                "v2-12": "prices", "v2-13": "too"}
    na = {"v2-1": 0.1, "v2-2": 0.9, "v2-3": 0.5, "v2-4": 0, "v2-5": 0.25, "v2-6": 1.5, "v2-7": -2.0,
          "v2-8": 0.5, "v2-9": 3, "v2-10": 1, "v2-11": 0.9, "v2-12": 0.05, "v2-13": 0.3}
    log2 = []
    cases = [dict(name="v1_dev_a0-11", version=1, data="dev", preds=preds, out=v1_out, log=log1)]
    for thresh, with_na in ((1.0, False), (1.0, True), (0.4, True)):
        log2 = []
        out = evaluate_ref.v2(V2, v2_preds, na if with_na else None, thresh, log2)
        cases.append(dict(name="v2_small_t%s%s" % (thresh, "_na" if with_na else ""), version=2, data="v2_small",
                          preds=v2_preds, na_probs=na if with_na else None, na_prob_thresh=thresh, out=out, log=log2))
    return cases


def exp_cases():
    rng = random.Random(11)
    xs = [-rng.random() * 40 for _ in range(3000)] + [rng.uniform(-745, 709) for _ in range(1000)]
    xs += [0.0, -0.0, 1e-300, -1e-20, 5e-324, 709.78, -745.1, -745.2, -708.4, -720.0, 1.0, -1.0]
    return [[repr(x), repr(math.exp(x))] for x in xs]


def main():
    os.makedirs(OUT, exist_ok=True)
    features = None if os.path.exists(os.path.join(OUT, "features.json")) and not os.environ.get("FORCE") else [
        feature_case("dev_a0-47_384_128_64", DEV, False, False, 384, 128, 64),
        feature_case("dev_a0-5_64_16_16", articles(DEV, 0, 6), False, False, 64, 16, 16, every=1999),
        feature_case("train_split_a0-11_128_32_24_shuffled", articles(train_split(DEV), 0, 12), True, False, 128, 32, 24, shuffle=True),
        feature_case("v2_small_train_64_16_16", V2, True, True, 64, 16, 16, every=1),
        feature_case("v2_small_predict_48_8_8", V2, False, True, 48, 8, 8, every=1),
    ]
    if features is not None:
        json.dump(features, open(os.path.join(OUT, "features.json"), "w"), ensure_ascii=False, indent=1)
    preds = [
        prediction_case("dev_a0_p10_v1", dict(file="dev", article=0, paragraphs=10), False, 1, 20, 30, 0.0),
        prediction_case("dev_a0_p10_v2", dict(file="dev", article=0, paragraphs=10), True, 2, 20, 30, 0.0),
        prediction_case("dev_a5_p4_v1_nbest3_len5", dict(file="dev", article=5, paragraphs=4), False, 3, 3, 5, 0.0),
        prediction_case("dev_a5_p4_v2_thresh_m1", dict(file="dev", article=5, paragraphs=4), True, 4, 5, 10, -1.0),
        prediction_case("v2_small_v2", dict(file="v2_small"), True, 5, 20, 30, 0.0, max_seq=48, stride=8, max_query=8),
        prediction_case("v2_small_cased_v1", dict(file="v2_small"), False, 6, 20, 30, 0.0, max_seq=48, stride=8, max_query=8, lower=False),
    ]
    json.dump(preds, open(os.path.join(OUT, "predictions.json"), "w"), ensure_ascii=False, indent=1)
    finals = [dict(pred=p, orig=o, lower=l, out=ref.final_text(p, o, l)[0], fallback=ref.final_text(p, o, l)[1])
              for p, o, l in FINAL_TEXT]
    json.dump(dict(final_text=finals, evaluation=eval_cases(), exp=exp_cases()),
              open(os.path.join(OUT, "cases.json"), "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
