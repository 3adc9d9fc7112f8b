"""run_squad.py's data and prediction logic, restated for fixture generation (no TensorFlow).

Written from REFERENCE.md §1.9 and a reading of google-research/bert's run_squad.py, in this
project's words; FLAGS become parameters. What matters is Python's own semantics: strings indexed
by code point, negative indexes, dict order, sorted()'s stability, math.exp, json.dumps.
"""
import collections
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tokenization"))
sys.path.insert(0, os.path.join(HERE, "..", "pretraining"))

from bert_tokenization import basic_tokenize  # noqa: E402
from bert_tokenizer import FullTokenizer  # noqa: E402,F401 (the tokenizer gen.py builds)


def squad_space(c):
    return c in (" ", "\t", "\r", "\n") or ord(c) == 0x202F


def read_examples(data, training, v2, warnings):
    """read_squad_examples on already-parsed JSON; `warnings` collects the skip messages."""
    out = []
    for article in data["data"]:
        for para in article["paragraphs"]:
            words, char_word, after_space = [], [], True
            for c in para["context"]:
                if squad_space(c):
                    after_space = True
                else:
                    if after_space:
                        words.append(c)
                    else:
                        words[-1] += c
                    after_space = False
                char_word.append(len(words) - 1)
            for qa in para["qas"]:
                ex = dict(id=qa["id"], question=qa["question"], words=words, answer=None,
                          start=None, end=None, impossible=False)
                if training:
                    if v2:
                        ex["impossible"] = qa["is_impossible"]
                    if len(qa["answers"]) != 1 and not ex["impossible"]:
                        raise ValueError("For training, each question should have exactly 1 answer.")
                    if ex["impossible"]:
                        ex.update(start=-1, end=-1, answer="")
                    else:
                        a = qa["answers"][0]
                        first = char_word[a["answer_start"]]
                        last = char_word[a["answer_start"] + len(a["text"]) - 1]
                        found = " ".join(words[first:last + 1])
                        wanted = " ".join(a["text"].strip().split())
                        if found.find(wanted) == -1:
                            warnings.append("Could not find answer: '%s' vs. '%s'" % (found, wanted))
                            continue
                        ex.update(start=first, end=last, answer=a["text"])
                out.append(ex)
    return out


def improve_span(pieces, lo, hi, tok, answer):
    target = " ".join(tok.tokenize(answer))
    for s in range(lo, hi + 1):
        for e in range(hi, s - 1, -1):
            if " ".join(pieces[s:e + 1]) == target:
                return s, e
    return lo, hi


def max_context(spans, cur, pos):
    best, best_i = None, None
    for i, (start, length) in enumerate(spans):
        end = start + length - 1
        if pos < start or pos > end:
            continue
        score = min(pos - start, end - pos) + 0.01 * length
        if best is None or score > best:
            best, best_i = score, i
    return cur == best_i


def features(examples, tok, max_seq, stride, max_query, training):
    """convert_examples_to_features; a list of dicts in output order."""
    out, uid = [], 1000000000
    for ex_i, ex in enumerate(examples):
        query = tok.tokenize(ex["question"])[:max_query]
        piece_word, word_piece, pieces = [], [], []
        for i, w in enumerate(ex["words"]):
            word_piece.append(len(pieces))
            for p in tok.tokenize(w):
                piece_word.append(i)
                pieces.append(p)
        a_lo = a_hi = None
        if training and ex["impossible"]:
            a_lo = a_hi = -1
        if training and not ex["impossible"]:
            a_lo = word_piece[ex["start"]]
            a_hi = word_piece[ex["end"] + 1] - 1 if ex["end"] < len(ex["words"]) - 1 else len(pieces) - 1
            a_lo, a_hi = improve_span(pieces, a_lo, a_hi, tok, ex["answer"])
        room = max_seq - len(query) - 3
        spans, off = [], 0
        while off < len(pieces):
            n = min(len(pieces) - off, room)
            spans.append((off, n))
            if off + n == len(pieces):
                break
            off += min(n, stride)
        for si, (start, length) in enumerate(spans):
            tokens = ["[CLS]"] + query + ["[SEP]"]
            seg = [0] * len(tokens)
            to_orig, is_max = {}, {}
            for i in range(length):
                at = start + i
                to_orig[len(tokens)] = piece_word[at]
                is_max[len(tokens)] = max_context(spans, si, at)
                tokens.append(pieces[at])
                seg.append(1)
            tokens.append("[SEP]")
            seg.append(1)
            ids = tok.convert_tokens_to_ids(tokens)
            mask = [1] * len(ids)
            pad = max_seq - len(ids)
            ids, mask, seg = ids + [0] * pad, mask + [0] * pad, seg + [0] * pad
            sp = ep = None
            if training and not ex["impossible"]:
                if a_lo >= start and a_hi <= start + length - 1:
                    sp, ep = a_lo - start + len(query) + 2, a_hi - start + len(query) + 2
                else:
                    sp = ep = 0
            if training and ex["impossible"]:
                sp = ep = 0
            out.append(dict(uid=uid, ex=ex_i, span=si, tokens=tokens, to_orig=to_orig, is_max=is_max,
                            ids=ids, mask=mask, seg=seg, start=sp, end=ep, impossible=ex["impossible"]))
            uid += 1
    return out


def strip_spaces(text):
    chars, where = [], collections.OrderedDict()
    for i, c in enumerate(text):
        if c != " ":
            where[len(chars)] = i
            chars.append(c)
    return "".join(chars), where


def final_text(pred, orig, lower):
    """get_final_text; returns (text, reason) where reason names a fallback (or None)."""
    tok_text = " ".join(basic_tokenize(orig, lower))
    at = tok_text.find(pred)
    if at == -1:
        return orig, "not found"
    last = at + len(pred) - 1
    o_ns, o_map = strip_spaces(orig)
    t_ns, t_map = strip_spaces(tok_text)
    if len(o_ns) != len(t_ns):
        return orig, "length"
    t_inv = {s: ns for ns, s in t_map.items()}
    o_start = o_map.get(t_inv[at]) if at in t_inv else None
    if o_start is None:
        return orig, "start"
    o_end = o_map.get(t_inv[last]) if last in t_inv else None
    if o_end is None:
        return orig, "end"
    return orig[o_start:o_end + 1], None


def best_indexes(logits, n):
    ranked = sorted(enumerate(logits), key=lambda x: x[1], reverse=True)
    return [i for i, _ in ranked[:n]]


def softmax(scores):
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = 0.0
    for e in exps:
        total += e
    return [e / total for e in exps]


def predictions(examples, feats, results, n_best, max_len, lower, v2, threshold):
    """write_predictions: (all_predictions, all_nbest_json, scores_diff_json) as OrderedDicts."""
    by_ex = collections.defaultdict(list)
    for f in feats:
        by_ex[f["ex"]].append(f)
    preds, nbest_all, diffs = (collections.OrderedDict() for _ in range(3))
    for ex_i, ex in enumerate(examples):
        fs = by_ex[ex_i]
        cands = []
        null = [1000000, 0, 0, 0]  # score, feature index, start logit, end logit
        for fi, f in enumerate(fs):
            start_logits, end_logits = results[f["uid"]]
            if v2:
                s = start_logits[0] + end_logits[0]
                if s < null[0]:
                    null = [s, fi, start_logits[0], end_logits[0]]
            for a in best_indexes(start_logits, n_best):
                for b in best_indexes(end_logits, n_best):
                    if a >= len(f["tokens"]) or b >= len(f["tokens"]):
                        continue
                    if a not in f["to_orig"] or b not in f["to_orig"]:
                        continue
                    if not f["is_max"].get(a, False) or b < a or b - a + 1 > max_len:
                        continue
                    cands.append((fi, a, b, start_logits[a], end_logits[b]))
        if v2:
            cands.append((null[1], 0, 0, null[2], null[3]))
        cands = sorted(cands, key=lambda c: c[3] + c[4], reverse=True)
        seen, nbest = set(), []
        for fi, a, b, sl, el in cands:
            if len(nbest) >= n_best:
                break
            if a > 0:
                f = fs[fi]
                text = " ".join(f["tokens"][a:b + 1]).replace(" ##", "").replace("##", "")
                text = " ".join(text.strip().split())
                orig = " ".join(ex["words"][f["to_orig"][a]:f["to_orig"][b] + 1])
                text = final_text(text, orig, lower)[0]
                if text in seen:
                    continue
            else:
                text = ""
            seen.add(text)
            nbest.append((text, sl, el))
        if v2 and "" not in seen:
            nbest.append(("", null[2], null[3]))
        if not nbest:
            nbest.append(("empty", 0.0, 0.0))
        if v2 and not any(t for t, _, _ in nbest):
            # Not the original's: it fails on best_non_null_entry = None (AttributeError) when the
            # null span is the only entry; bert-ts (as Hugging Face's port) adds the nonce first.
            nbest.insert(0, ("empty", 0.0, 0.0))
        probs = softmax([sl + el for _, sl, el in nbest])
        nbest_all[ex["id"]] = [collections.OrderedDict(
            [("text", t), ("probability", p), ("start_logit", sl), ("end_logit", el)])
            for (t, sl, el), p in zip(nbest, probs)]
        if not v2:
            preds[ex["id"]] = nbest[0][0]
        else:
            best = next(e for e in nbest if e[0])
            diff = null[0] - best[1] - best[2]
            diffs[ex["id"]] = diff
            preds[ex["id"]] = "" if diff > threshold else best[0]
    return preds, nbest_all, diffs


def dumps(obj):
    return json.dumps(obj, indent=4) + "\n"
