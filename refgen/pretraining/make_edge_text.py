"""Writes test/fixtures/pretraining/edge_cases.txt: a small corpus whose bytes exercise every
reading rule of create_pretraining_data under TF's GFile (see create_pretraining_data_ref.py)."""
import os

LINES = [
    "\ufeffThe first line starts with a byte order mark, which Python keeps and the tokenizer drops.",
    "Windows line endings follow: the carriage return is removed by GFile.\r",
    "A carriage return in the mid\rdle of a line is removed too, joining the two halves.\r",
    "Unicode: caf\u00e9 na\u00efve \u00c9l\u00e9phant \u4e2d\u6587\u5b57 and an emoji \U0001F600 here.",
    "\u200b",  # zero-width space: not stripped, so no new document, and no tokens either
    "Words split into pieces: unaffable, hyperparameterization, antidisestablishmentarianism.",
    "\x1c\x1d",  # information separators: Python's strip() removes them, so a new document starts
    "Second document, first sentence, after a line of separators.",
    "It has a [MASK] and a [SEP] written as text, which become brackets and words.",
    "\ufeff",  # a lone byte order mark: not whitespace for Python, so no new document
    "A very long word follows: " + "x" * 250 + " and then normal words again.",
    "The quick brown fox jumps over the lazy dog while the cat watches quietly.",
    "",
    "",
    "",
    "Third document with only one sentence, after three blank lines.",
    "\u0085",  # NEL: whitespace for Python, so another document
    "Fourth document: the weather was cold, the roads were icy, and the trains ran late.",
    "Everyone waited at the station, reading newspapers and drinking coffee.",
    "When the train finally arrived, it was crowded and slow.",
    "\u3000",
    "Fifth document talks about numbers like 3.14159, 2,718 and 1/2 with symbols $ % ^ & * ~ |.",
    "Sentences here are short.",
    "Very short.",
    "Tiny.",
    "Then a much longer sentence arrives, full of ordinary words that make the chunk exceed "
    "the target length so that truncation has to remove tokens from one of the two segments.",
    "And another sentence to keep the document going for a while longer than the others.",
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "test", "fixtures", "pretraining", "edge_cases.txt")
    with open(path, "wb") as f:
        f.write("\n".join(LINES).encode("utf-8"))  # no newline at the end


if __name__ == "__main__":
    main()
