"""Reference rows for src/data/tsv.ts: what run_classifier's _read_tsv returns for tricky files.

_read_tsv is `csv.reader(tf.gfile.Open(path, "r"), delimiter="\\t", quotechar=None)`. TensorFlow is
not needed to reproduce GFile's side: its readline ends lines at b"\\n", drops every b"\\r"
(BufferedInputStream::ReadLineHelper) and decodes; the csv side below is Python's own module.
One documented bert-ts choice is applied on top: a UTF-8 BOM at the start of the file is dropped
(Python keeps it as U+FEFF at the start of line 0's first field).

Writes test/data/fixtures/tsv_cases.json: [{"name", "hex", "rows"}]. Run: python3 refgen/tsv_rows.py
"""
import csv
import json
from pathlib import Path

CASES = {
    "quotes are literal": b'"a\t"b"c\t""\n\'x\'\t"\n',
    "crlf endings": b"a\tb\r\nc\td\r\n",
    "stray cr inside a line": b"a\rb\tc\nd\r\r\te\n",
    "blank lines are empty rows": b"a\n\nb\n\r\n",
    "trailing tab and empty fields": b"a\tb\t\n\t\n\t\t\n",
    "no final newline": b"a\tb\nc\td",
    "final lone cr": b"a\tb\n\r",
    "bom on the header": b"\xef\xbb\xbfQuality\t#1 ID\n1\t2\n",
    "spaces kept": b" a \t b \n",
    "backslashes literal": b"a\\tb\t\\\n",
    "invalid utf-8 dropped": b"caf\xc3\xa9\xff\tx\xe2\x82\n",
    "non-ascii separators are not tabs": "a\u2028b\tc\u0085d\x0ce\n".encode(),
    "nul byte": b"a\x00b\tc\n",
    "empty file": b"",
    "only a newline": b"\n",
}


def gfile_lines(data: bytes):
    """GFile's line iteration in text mode, as TF 1.x does it."""
    for raw in data.split(b"\n")[:-1]:
        yield (raw.replace(b"\r", b"") + b"\n").decode("utf-8", "ignore")
    last = data.split(b"\n")[-1].replace(b"\r", b"")
    if last:
        yield last.decode("utf-8", "ignore")


def rows(data: bytes):
    out = list(csv.reader(gfile_lines(data), delimiter="\t", quotechar=None))
    if out and out[0] and out[0][0].startswith("\ufeff"):
        out[0][0] = out[0][0][1:]
    return out


def main() -> None:
    cases = [{"name": k, "hex": v.hex(), "rows": rows(v)} for k, v in CASES.items()]
    out = Path(__file__).resolve().parent.parent / "test/data/fixtures/tsv_cases.json"
    out.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
