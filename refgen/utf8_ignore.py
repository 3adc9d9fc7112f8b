"""Reference cases for src/util/utf8.ts: Python's bytes.decode('utf-8', 'ignore').

Writes test/data/fixtures/utf8_ignore.json: a list of [input hex, expected output as UTF-8 hex].
Inputs are hand-picked edge cases plus seeded random mixtures of valid text and stray bytes.
Run: python3 refgen/utf8_ignore.py  (Python 3.11; the tests never run it).
"""
import json
import random
from pathlib import Path

HAND = [
    b"", b"plain ascii", b"\xef\xbb\xbfQuality", "caf\u00e9 \u4e2d\u6587 \U0001f600".encode(),
    b"\xef\xbf\xbd real replacement char", b"\x80", b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\xaf",
    b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xed\x9f\xbf", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
    b"\xf5\x80\x80\x80", b"\xff\xfe", b"a\xe2\x82b", b"\xe2\x82\xac\xe2\x82", b"\xf0\x9f\x98",
    b"x\xf0\x9f\x98\x80y", b"\xc3\x28", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xc3\xa9\xa9",
]


def random_case(rng: random.Random) -> bytes:
    pieces = []
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        if r < 0.4:
            pieces.append(chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x7FF),
                                          rng.randint(0x800, 0xD7FF), rng.randint(0xE000, 0xFFFF),
                                          rng.randint(0x10000, 0x10FFFF)])).encode())
        elif r < 0.7:
            pieces.append(bytes([rng.randint(0x80, 0xFF)]))
        else:
            valid = chr(rng.randint(0x80, 0x10FFFF)).encode("utf-8", "surrogatepass")
            pieces.append(valid[: rng.randint(1, len(valid))])
    return b"".join(pieces)


def main() -> None:
    rng = random.Random(20261125)
    cases = HAND + [random_case(rng) for _ in range(400)]
    rows = [[c.hex(), c.decode("utf-8", "ignore").encode("utf-8", "surrogatepass").hex()] for c in cases]
    out = Path(__file__).resolve().parent.parent / "test/data/fixtures/utf8_ignore.json"
    out.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n")
    print(f"wrote {len(rows)} cases to {out}")


if __name__ == "__main__":
    main()
