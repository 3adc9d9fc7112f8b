"""The tokenization.py algorithm (google-research/bert HEAD), restated for fixture generation.

Written from REFERENCE.md §1.5 in this project's words; the point is Python's own semantics
(str.lower, str.split, str.strip, unicodedata.category, NFD), which the TypeScript port must match.
No TensorFlow: the vocab is split at "\\n" only and every "\\r" is dropped, as GFile.readline does.
"""
import unicodedata

CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def read_vocab(path):
    """Token -> id: line number; each line str.strip()ped; a later duplicate wins."""
    vocab = {}
    with open(path, "rb") as f:
        data = f.read().decode("utf-8").replace("\r", "")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines):
        vocab[line.strip()] = number
    return vocab


def is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c) in ("Cc", "Cf")


def is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def is_cjk(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def clean(text):
    kept = []
    for c in text:
        if ord(c) in (0, 0xFFFD) or is_control(c):
            continue
        kept.append(" " if is_whitespace(c) else c)
    return "".join(kept)


def space_cjk(text):
    return "".join(" %s " % c if is_cjk(c) else c for c in text)


def strip_accents(word):
    return "".join(c for c in unicodedata.normalize("NFD", word)
                   if unicodedata.category(c) != "Mn")


def split_punctuation(word):
    pieces, current = [], []
    for c in word:
        if is_punctuation(c):
            if current:
                pieces.append("".join(current))
                current = []
            pieces.append(c)
        else:
            current.append(c)
    if current:
        pieces.append("".join(current))
    return pieces


def basic_tokenize(text, lower):
    words = space_cjk(clean(text)).strip().split()
    pieces = []
    for word in words:
        if lower:
            word = strip_accents(word.lower())
        pieces.extend(split_punctuation(word))
    return " ".join(pieces).strip().split()


def wordpiece_word(word, vocab, unk="[UNK]", max_chars=200):
    chars = list(word)
    if len(chars) > max_chars:
        return [unk]
    found, start = [], 0
    while start < len(chars):
        end = len(chars)
        match = None
        while end > start:
            piece = "".join(chars[start:end])
            if start > 0:
                piece = "##" + piece
            if piece in vocab:
                match = piece
                break
            end -= 1
        if match is None:
            return [unk]
        found.append(match)
        start = end
    return found


def full_tokenize(text, vocab, lower):
    out = []
    for word in basic_tokenize(text, lower):
        out.extend(wordpiece_word(word, vocab))
    return out
