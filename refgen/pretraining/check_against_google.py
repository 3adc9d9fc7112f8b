"""Checks the transcription against the file Google's script wrote (PROVENANCE.md): the 60
instances of sample_text.txt with the README flags. Prints OK or the first difference."""
import os
import sys

from create_pretraining_data_ref import run
from example_codec import decode_example, read_tfrecords

SHARED = os.environ.get("BERT_SHARED_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def features(tokenizer, inst, max_seq_length=128, max_pred=20):
    tokens, segment_ids, is_random_next, positions, labels = inst
    ids = tokenizer.convert_tokens_to_ids(tokens)
    pad = max_seq_length - len(ids)
    ppad = max_pred - len(positions)
    return {
        "input_ids": ids + [0] * pad,
        "input_mask": [1] * len(ids) + [0] * pad,
        "segment_ids": segment_ids + [0] * pad,
        "masked_lm_positions": positions + [0] * ppad,
        "masked_lm_ids": tokenizer.convert_tokens_to_ids(labels) + [0] * ppad,
        "masked_lm_weights": [1.0] * len(positions) + [0.0] * ppad,
        "next_sentence_labels": [1 if is_random_next else 0],
    }


def main():
    tokenizer, instances = run([os.path.join(SHARED, "text/sample_text.txt")],
                               os.path.join(SHARED, "vocab/uncased/vocab.txt"), dupe_factor=5)
    path = os.path.join(SHARED, "fixtures/tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord")
    google = [decode_example(r) for r in read_tfrecords(path)]
    print("google", len(google), "ours", len(instances))
    for n, (g, inst) in enumerate(zip(google, instances)):
        ours = features(tokenizer, inst)
        if ours != g:
            for k in g:
                if g[k] != ours[k]:
                    print("record", n, k, "\n google", g[k], "\n ours  ", ours[k])
            sys.exit(1)
    print("OK" if len(google) == len(instances) else "count differs")


if __name__ == "__main__":
    main()
