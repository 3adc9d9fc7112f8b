"""Reference streams of Python's `random` module for test/util/py_random.test.ts.

Run with python3 (3.11 was used): writes test/fixtures/py_random/streams.json.
Each seed gets a fresh random.Random(seed) per sequence, so a test can replay each sequence alone.
Big integers are written as decimal strings (JSON numbers lose precision above 2**53).
"""
import json
import os
import random

SEEDS = [0, 1, 12345, 2**40 + 7, -5]
RANGES = [(0, 0), (1, 1), (0, 1), (2, 125), (1, 5), (0, 30521), (0, 2**31 - 1), (0, 2**32),
          (-1000, 1000), (0, 2**40), (3, 2**53 - 1), (0, 2**64), (-(2**70), 2**70)]
BITS = [0, 1, 5, 31, 32, 33, 52, 53, 63, 64, 65, 100]
SHUFFLE_LENGTHS = [0, 1, 2, 3, 10, 61, 300]


def streams(seed):
    out = {"seed": str(seed)}
    rng = random.Random(seed)
    out["random"] = [repr(rng.random()) for _ in range(100)]
    out["randint"] = []
    for a, b in RANGES:
        rng = random.Random(seed)
        out["randint"].append({"a": str(a), "b": str(b),
                               "values": [str(rng.randint(a, b)) for _ in range(25)]})
    out["getrandbits"] = []
    for k in BITS:
        rng = random.Random(seed)
        out["getrandbits"].append({"k": k, "values": [str(rng.getrandbits(k)) for _ in range(30)]})
    out["shuffle"] = []
    for n in SHUFFLE_LENGTHS:
        rng = random.Random(seed)
        x = list(range(n))
        rng.shuffle(x)
        rng.shuffle(x)  # twice: the second shuffle starts from a used state
        out["shuffle"].append({"n": n, "result": x})
    rng = random.Random(seed)
    seq = ["a", "b", "c", "d", "e", "f", "g"]
    out["choice"] = [rng.choice(seq) for _ in range(50)]
    # A mixed stream, like create_pretraining_data's: random(), randint, shuffle interleaved.
    rng = random.Random(seed)
    mixed = []
    for i in range(150):
        mixed.append(repr(rng.random()))
        mixed.append(rng.randint(0, i))
        y = list(range(i % 7))
        rng.shuffle(y)
        mixed.append(y)
    out["mixed"] = mixed
    # 1300 raw 32-bit words: crosses several state twists (624 words each).
    rng = random.Random(seed)
    out["words"] = [rng.getrandbits(32) for _ in range(1300)]
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "test", "fixtures", "py_random", "streams.json")
    data = {"python": "%d.%d.%d" % tuple(__import__("sys").version_info[:3]),
            "seeds": [streams(s) for s in SEEDS]}
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
