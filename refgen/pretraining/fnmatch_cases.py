"""glibc's fnmatch(pattern, path, FNM_PATHNAME), which TF's Env::MatchPath calls, on a table of
patterns and paths: writes test/fixtures/pretraining/fnmatch.json for tf_glob.ts's matcher."""
import ctypes
import json
import os

LIBC = ctypes.CDLL("libc.so.6")
FNM_PATHNAME = 1

PATTERNS = ["*.txt", "./*.txt", "dir/*", "dir/?.txt", "dir/[ab]*.txt", "dir/[!ab]*.txt",
            "dir/[^ab]*.txt", "dir/[a-c].txt", "dir/[]x].txt", "dir/\\*.txt", "dir/a\\?.txt",
            "dir/[.txt", "*", "*/x.txt", "dir/*/x*", "dir/*.t?t", "dir/caf\u00e9*", "d*r/a.txt",
            "dir/[!]]*"]
PATHS = ["a.txt", ".c.txt", "./a.txt", "./.c.txt", "dir/a.txt", "dir/b.txt", "dir/c.txt",
         "dir/.hidden.txt", "dir/x.txt", "dir/].txt", "dir/*.txt", "dir/a?.txt", "dir/ab.txt",
         "dir/[.txt", "dir/sub/x.txt", "dir/sub/xy", "dir/sub", "dir/caf\u00e9.txt", "d/r/a.txt",
         "dir/a/b.txt", "dir", "x.txt", "a/x.txt"]


def main():
    cases = []
    for p in PATTERNS:
        for s in PATHS:
            r = LIBC.fnmatch(p.encode("utf-8"), s.encode("utf-8"), FNM_PATHNAME)
            cases.append([p, s, r == 0])
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "..", "test", "fixtures", "pretraining", "fnmatch.json")
    with open(out, "w") as f:
        json.dump({"generator": "refgen/pretraining/fnmatch_cases.py (glibc fnmatch, FNM_PATHNAME)",
                   "cases": cases}, f, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
