"""A plain transcription of google-research/bert tokenization.py's FullTokenizer (REFERENCE.md 1.5),
for the fixture generator only: BasicTokenizer (clean, CJK padding, lower + strip accents,
punctuation split) then greedy longest-match-first WordPiece with max 200 chars per word.
"""
import unicodedata

CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def load_vocab(path):
    """token -> id in file order; a later duplicate overwrites the id but keeps the first position."""
    vocab = {}
    with open(path, "r", encoding="utf-8", newline="\n") as f:
        for index, line in enumerate(f):
            vocab[line.strip()] = index
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


def basic_tokenize(text, do_lower_case):
    cleaned = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or is_control(c):
            continue
        if is_whitespace(c):
            cleaned.append(" ")
        elif any(lo <= cp <= hi for lo, hi in CJK_RANGES):
            cleaned.append(" " + c + " ")
        else:
            cleaned.append(c)
    out = []
    for token in "".join(cleaned).split():
        if do_lower_case:
            token = token.lower()
            token = "".join(c for c in unicodedata.normalize("NFD", token)
                            if unicodedata.category(c) != "Mn")
        piece = []
        for c in token:
            if is_punctuation(c):
                if piece:
                    out.append("".join(piece))
                    piece = []
                out.append(c)
            else:
                piece.append(c)
        if piece:
            out.append("".join(piece))
    return " ".join(out).split()


def wordpiece(word, vocab):
    chars = list(word)
    if len(chars) > 200:
        return ["[UNK]"]
    pieces = []
    start = 0
    while start < len(chars):
        end = len(chars)
        found = None
        while start < end:
            sub = "".join(chars[start:end])
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


class FullTokenizer:
    def __init__(self, vocab_file, do_lower_case):
        self.vocab = load_vocab(vocab_file)
        self.do_lower_case = do_lower_case

    def tokenize(self, text):
        return [p for w in basic_tokenize(text, self.do_lower_case) for p in wordpiece(w, self.vocab)]

    def convert_tokens_to_ids(self, tokens):
        return [self.vocab[t] for t in tokens]
