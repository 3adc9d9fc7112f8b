"""Per-block hashes of BasicTokenizer's output for every code point, for test/util/unicode.test.ts.

Run from the repository root with python3 3.11 (Unicode 14.0.0):
    python3 refgen/tokenization/codepoints.py
For each code point c of planes 0-3 and 14-16 (planes 4-13 are unassigned in every Unicode
version so far) the text TEMPLATE with c substituted is tokenized with and without lower-casing.
The template puts c alone, between a capital sigma and cased letters (the final-sigma context of
str.lower) and at a word end, so the hash covers _clean_text, the CJK ranges, str.split,
str.lower, NFD, Mn stripping and punctuation for c. Blocks of 256 code points are hashed
(SHA-256 of the UTF-16LE output, first 16 hex digits) so that a failing test names the block.
"""
import hashlib
import json
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(__file__))
import bert_tokenization as bt  # noqa: E402

OUT = "test/fixtures/tokenization/codepoint_blocks.json"
TEMPLATE = "{c} A{c}\u03a3{c} A\u03a3{c}B{c}"
BLOCK = 256
PLANES = [0, 1, 2, 3, 14, 15, 16]


def record(c):
    text = TEMPLATE.format(c=c)
    lower = "\x1f".join(bt.basic_tokenize(text, True))
    cased = "\x1f".join(bt.basic_tokenize(text, False))
    return lower + "\x1e" + cased + "\x1d"


def block_hash(first):
    h = hashlib.sha256()
    for cp in range(first, first + BLOCK):
        h.update(record(chr(cp)).encode("utf-16-le", "surrogatepass"))
    return h.hexdigest()[:16]


def main():
    if unicodedata.unidata_version != "14.0.0":
        sys.exit("need Python 3.11 (unicodedata 14.0.0), found %s" % unicodedata.unidata_version)
    blocks = {}
    for plane in PLANES:
        for first in range(plane << 16, (plane + 1) << 16, BLOCK):
            blocks["%x" % first] = block_hash(first)
    fixture = {"generator": "refgen/tokenization/codepoints.py", "unicode": unicodedata.unidata_version,
               "template": TEMPLATE, "block": BLOCK, "planes": PLANES, "hashes": blocks}
    with open(OUT, "w", encoding="ascii") as f:
        json.dump(fixture, f, indent=0)
        f.write("\n")
    print("%d blocks -> %s" % (len(blocks), OUT))


if __name__ == "__main__":
    main()
