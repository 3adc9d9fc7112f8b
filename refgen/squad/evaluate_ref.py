"""The official SQuAD evaluation (evaluate-v1.1.py and evaluate-v2.0.py), restated in this
project's words for fixture generation: the same normalisation, scores, sums and output JSON."""
import collections
import json
import re
import string


def normalize(s):
    s = "".join(c for c in s.lower() if c not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s, flags=re.UNICODE)
    return " ".join(s.split())


def f1_tokens(pred, gold):
    same = sum((collections.Counter(pred) & collections.Counter(gold)).values())
    if same == 0:
        return 0
    p, r = 1.0 * same / len(pred), 1.0 * same / len(gold)
    return (2 * p * r) / (p + r)


def v1(data, preds, log):
    em = f1 = total = 0
    for article in data["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                total += 1
                if qa["id"] not in preds:
                    log.append("Unanswered question " + qa["id"] + " will receive score 0.")
                    continue
                golds = [a["text"] for a in qa["answers"]]
                pred = preds[qa["id"]]
                em += max(normalize(pred) == normalize(g) for g in golds)
                f1 += max(f1_tokens(normalize(pred).split(), normalize(g).split()) for g in golds)
    return json.dumps({"exact_match": 100.0 * em / total, "f1": 100.0 * f1 / total})


def f1_v2(gold, pred):
    g = normalize(gold).split() if gold else []
    p = normalize(pred).split() if pred else []
    if not g or not p:
        return int(g == p)
    return f1_tokens(p, g)


def v2(data, preds, na_probs, thresh, log):
    has = {}
    for article in data["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                has[qa["id"]] = bool(qa["answers"])
    exact, f1 = {}, {}
    for article in data["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                golds = [a["text"] for a in qa["answers"] if normalize(a["text"])] or [""]
                if qa["id"] not in preds:
                    log.append("Missing prediction for %s" % qa["id"])
                    continue
                pred = preds[qa["id"]]
                exact[qa["id"]] = max(int(normalize(g) == normalize(pred)) for g in golds)
                f1[qa["id"]] = max(f1_v2(g, pred) for g in golds)
    probs = na_probs if na_probs is not None else {k: 0.0 for k in preds}

    def cut(scores):
        return {q: (float(not has[q]) if probs[q] > thresh else s) for q, s in scores.items()}

    ex_t, f1_t = cut(exact), cut(f1)
    out = collections.OrderedDict()

    def put(prefix, qids):
        n = len(qids)
        out[prefix + "exact"] = 100.0 * sum(ex_t[q] for q in qids) / n
        out[prefix + "f1"] = 100.0 * sum(f1_t[q] for q in qids) / n
        out[prefix + "total"] = n

    put("", list(ex_t))
    with_ans = [q for q, h in has.items() if h]
    without = [q for q, h in has.items() if not h]
    if with_ans:
        put("HasAns_", with_ans)
    if without:
        put("NoAns_", without)
    if na_probs is not None:
        for name, scores in (("exact", exact), ("f1", f1)):
            cur = best = sum(1 for q in has if not has[q])
            best_t = 0.0
            for q in sorted(na_probs, key=lambda k: na_probs[k]):
                if q not in scores:
                    continue
                cur += scores[q] if has[q] else (-1 if preds[q] else 0)
                if cur > best:
                    best, best_t = cur, na_probs[q]
            out["best_" + name] = 100.0 * best / len(scores)
            out["best_" + name + "_thresh"] = best_t
    return json.dumps(out, indent=2)
