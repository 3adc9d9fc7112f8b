"""Golden tokenization tables for test/tokenization/golden.test.ts.

Run from the repository root with python3 3.11 (Unicode 14.0.0), with shared/data beside the repo:
    python3 refgen/tokenization/golden.py
Writes test/fixtures/tokenization/golden.json: for each text, BasicTokenizer's words (lower-cased
and not) and FullTokenizer's tokens and ids with the uncased English and the Chinese vocab, both
casings. Every character used is assigned in Unicode 14.0 (except the lone surrogate and the
unassigned code point cases, which Python treats as Cn) so Node's newer tables must agree.
"""
import json
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(__file__))
import bert_tokenization as bt  # noqa: E402

SHARED = os.environ.get("BERT_SHARED_DATA", os.path.join("..", "shared", "data"))
VOCABS = {"uncased": "vocab/uncased/vocab.txt", "chinese": "vocab/chinese/vocab.txt"}
OUT = "test/fixtures/tokenization/golden.json"

HAND_WRITTEN = [
    "", " ", "\t\n\r", "UNwant\u00e9d,running", " \tHeLLo!how  \n Are yoU?  ", "H\u00e9llo",
    "ah\u535a\u63a8zz", "Hello, World! It's 3:45pm -- isn't it?",
    "The quick brown fox jumps over the lazy dog.", "e-mail: someone@example.com; url: http://a.b/c?d=e&f=g",
    "$100 + 20% = ^_^ | ~tilde~ `backtick` <angle> {brace} [bracket] (paren)",
    "[MASK] is [CLS] not [SEP] [UNK] [PAD]", "the [MASK] sat on the mat", "##ing ## # ###",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 co\u00f6perate", "cafe\u0301 (decomposed)", "\u00c5ngstr\u00f6m \u212b",
    "\u0130stanbul \u0130 i\u0307 \u0131 I", "\u0130\u0130\u0130", "Stra\u00dfe STRASSE \u1e9e",
    "\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3 \u03a3 A\u03a3 A\u03a3B A\u03a3. \u03a3\u03a3\u03a3",
    "\u039f\u0394\u039f\u03a3\u0301 A\u0301\u03a3 A'\u03a3 A\u00ad\u03a3 \u0295\u03a3 A\u03a3\u0295",
    "\u1f88 \u1fbc \u0345 \u03d0 \u1e9b\u0323", "\ufb01 \ufb03 \u0149 \u01f0", "\u2160\u2161 \u24b6\u24b7 \uff21\uff22\uff43",
    "\U0001f600 \U0001f4a9 \U0001f602\U0001f602 smile\U0001f600face",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "\U0001f44d\U0001f3fd \U0001f1ef\U0001f1f5 flags \u2764\ufe0f \u0031\ufe0f\u20e3",
    "\U00020000\U00020001 \U0002a6d6 \U0002a700 \U0002b740 \U0002b820 \U0002ceaf \U0002ceb0 \U0002f800 \U00030000",
    "\u4e00\u9fff\u3400\u4dbf\uf900\ufaff\u3007\u3005",
    "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8\u3002\u4f60\u597d\uff0c\u4e16\u754c\uff01",
    "\u300c\u5f15\u7528\u300d\u3010\u62ec\u53f7\u3011\u2026\u2026\u2014\u2014",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002\u30ab\u30bf\u30ab\u30ca\uff8a\uff9d\uff76\uff78",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8\uc785\ub2c8\ub2e4. \u1112\u1161\u11ab",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627 \u061f \u060c",
    "\u05e2\u05d1\u05e8\u05d9\u05ea \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd",
    "\u0939\u093f\u0928\u094d\u0926\u0940 \u0928\u092e\u0938\u094d\u0924\u0947\u0964",
    "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0422\u0415\u041a\u0421\u0422 \u0401\u0436",
    "ctrl\u0000a\u0001b\u0005c\u001fd\u007fe\u0080f\u009fg", "tab\there\vvt\fff",
    "fs\u001cgs\u001drs\u001eus\u001fend", "nel\u0085line ls\u2028ps\u2029end",
    "soft\u00adhyphen zero\u200bwidth zw\u200cnj zw\u200dj lrm\u200erlm\u200f bom\ufeffx",
    "bidi\u202aembed\u202c iso\u2066x\u2069 word\u2060joiner mongol\u180evs",
    "replacement\ufffdchar \ufffd\ufffd", "nb\u00a0sp ideo\u3000space en\u2002em\u2003thin\u2009hair\u200a",
    "narrow\u202fnb math\u205fsp ogham\u1680mark quad\u2000\u2001x",
    "private\ue000use \U000f0000 \U0010fffd", "noncharacter\ufdd0x \uffff", "unassigned\u0378x \U000e0000y",
    "lone\ud800surrogate \udfff", "cjk-punct\u3001\u3002\u300a\u300b\uff08\uff09",
    "fullwidth\uff01\uff1f\uff0e\uff0c\uff1a",
    "quotes \u201cdouble\u201d \u2018single\u2019 \u00abguillemets\u00bb \u201elow\u201c",
    "dashes \u2010\u2011\u2012\u2013\u2014\u2015 \u2e3a \u301c", "math \u00b1\u00d7\u00f7\u2211\u221a\u221e \u2264\u2265",
    "currency \u00a2\u00a3\u00a5\u20ac\u20b9 \u0e3f", "symbols \u00a9\u00ae\u2122\u00b0\u00a7\u00b6 \u2020\u2021\u2022",
    "superscripts x\u00b2 y\u00b3 \u00bd \u2153 \u2070\u2071",
    "combining a\u0300\u0301\u0302\u0303 \u0300alone \u20dd\u20de enclose", "\u0301\u0302",
    "vietnamese Ti\u1ebfng Vi\u1ec7t \u0111\u01b0\u1ee3c", "polish \u017c\u00f3\u0142\u0107 \u0141\u00d3D\u0179",
    "nordic \u00e6\u00f8\u00e5 \u00c6\u00d8\u00c5 \u00fe\u00f0", "dotless \u0131 dotted \u0130 \u0049\u0307",
    "armenian \u0587 \u0535\u0582", "cherokee \u13a0\u13a1 \uab70", "georgian \u10a0 \u10d0 \u1c90",
    "deseret \U00010400\U00010428", "adlam \U0001e900\U0001e922", "math-bold \U0001d400\U0001d41a",
    "ahom \U00011700\U0001171e\U0001171d", "hyphen-ated words, and.dots...",
    "numbers 1,234.56 3.14159 1e10 0x1F 007",
    "a" * 200, "a" * 201, "b" * 199 + "\u00e9", "e\u0301" * 100, "e\u0301" * 101, "\u00e9" * 201,
    "\U0001f602" * 150, "\U0001f602" * 200, "\U0001f602" * 201, "\U00020000" * 250,
    "x" + "\u0000" * 300 + "y", "antidisestablishmentarianism supercalifragilisticexpialidocious",
    "unaffable unwanted running runner jumped", "   leading and trailing   ", "mixed\u3000\u00a0 \t\nspace",
]

MRPC_ROWS = 30


def mrpc_sentences():
    with open(os.path.join(SHARED, "glue/MRPC/dev.tsv"), encoding="utf-8-sig") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:MRPC_ROWS + 1]
    return [s for row in rows for s in (row[3], row[4])]


# Characters for random mixtures: each is a known trap for some tokenizer (see docs/tokenization.md).
POOL = ("aZ \t\n.,!?'-$^`~|+<=>\u00e9\u00c9\u0130\u0131\u00df\u03a3\u03c3\u03c2\u0295\u0301\u0308"
        "\u00a0\u3000\u2028\u200b\u200d\u00ad\u0005\u0085\ufffd\ufeff\u4e2d\u6587\u3002\uff0c"
        "\ud55c\u1100\u0e01\u0e31\u0627\u064e\u0915\u094d\U0001f600\U0001f3fd\U00020000\U0002f800"
        "\U0001171e\ue000\u2160\ufb01\u1e9e\u212b\u00bd")


def random_texts(count, seed=12345):
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        n = rng.randint(1, 24)
        texts.append("".join(rng.choice(POOL) for _ in range(n)))
    return texts


def case_for(text, vocabs):
    entry = {"text": text,
             "basic": {"lower": bt.basic_tokenize(text, True), "cased": bt.basic_tokenize(text, False)}}
    for name, vocab in vocabs.items():
        for lower in (True, False):
            tokens = bt.full_tokenize(text, vocab, lower)
            entry["%s_%s" % (name, "lower" if lower else "cased")] = {
                "tokens": tokens, "ids": [vocab[t] for t in tokens]}
    return entry


def main():
    if unicodedata.unidata_version != "14.0.0":
        sys.exit("need Python 3.11 (unicodedata 14.0.0), found %s" % unicodedata.unidata_version)
    vocabs = {name: bt.read_vocab(os.path.join(SHARED, path)) for name, path in VOCABS.items()}
    texts = HAND_WRITTEN + mrpc_sentences() + random_texts(150)
    fixture = {"generator": "refgen/tokenization/golden.py", "python": sys.version.split()[0],
               "unicode": unicodedata.unidata_version, "max_input_chars_per_word": 200,
               "cases": [case_for(t, vocabs) for t in texts]}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    cases = fixture.pop("cases")
    with open(OUT, "w", encoding="ascii") as f:  # one case per line, so diffs stay readable
        f.write(json.dumps(fixture)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print("%d texts -> %s" % (len(texts), OUT))


if __name__ == "__main__":
    main()
