"""Reference InputExamples for src/data/glue: one summary per task split of the real GLUE files.

Each processor's _create_examples loop is re-stated here in Python, reading with csv.reader
(delimiter="\\t", quotechar=None) over GFile-style lines (b"\\n" ends a line, b"\\r" dropped, a
leading BOM dropped - see refgen/tsv_rows.py). For each split: count, first and last example,
label histogram, and the sha256 of "guid\\ttext_a\\ttext_b\\tlabel\\n" over all examples (text_b
None written as the empty string with a leading "\\x00" marker so None and "" differ).

Writes test/data/fixtures/glue_examples.json. Run: python3 refgen/glue_examples.py /path/to/shared/data
"""
import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path


def read_tsv(path: Path):
    data = path.read_bytes().replace(b"\r", b"")
    pieces = data.split(b"\n")
    lines = [p.decode("utf-8", "ignore") + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1].decode("utf-8", "ignore"))
    rows = list(csv.reader(lines, delimiter="\t", quotechar=None))
    if rows and rows[0] and rows[0][0].startswith("\ufeff"):
        rows[0][0] = rows[0][0][1:]
    return rows


def mrpc(rows, set_type):
    for i, line in enumerate(rows):
        if i == 0:
            continue
        yield f"{set_type}-{i}", line[3], line[4], "0" if set_type == "test" else line[0]


def cola(rows, set_type):
    for i, line in enumerate(rows):
        if set_type == "test" and i == 0:
            continue
        if set_type == "test":
            yield f"{set_type}-{i}", line[1], None, "0"
        else:
            yield f"{set_type}-{i}", line[3], None, line[1]


def sst2(rows, set_type):
    for i, line in enumerate(rows):
        if i == 0:
            continue
        if set_type == "test":
            yield f"{set_type}-{i}", line[1], None, "0"
        else:
            yield f"{set_type}-{i}", line[0], None, line[1]


def by_index(a, b, test_label):
    def create(rows, set_type):
        for i, line in enumerate(rows):
            if i == 0:
                continue
            yield f"{set_type}-{line[0]}", line[a], line[b], test_label if set_type == "test" else line[-1]
    return create


TASKS = {
    "mrpc": ("MRPC", mrpc),
    "cola": ("CoLA", cola),
    "sst-2": ("SST-2", sst2),
    "sts-b": ("STS-B", by_index(7, 8, "0")),
    "rte": ("RTE", by_index(1, 2, "entailment")),
    "wnli": ("WNLI", by_index(1, 2, "0")),
}


def digest(examples):
    h = hashlib.sha256()
    for guid, a, b, label in examples:
        h.update(f"{guid}\t{a}\t{'' if b is None else b}\t{label}\n".encode())
        if b is None:
            h.update(b"\x00")
    return h.hexdigest()


def main() -> None:
    shared = Path(sys.argv[1])
    out = {}
    for task, (folder, create) in TASKS.items():
        for split in ("train", "dev", "test"):
            ex = list(create(read_tsv(shared / "glue" / folder / f"{split}.tsv"), split))
            out[f"{task}/{split}"] = {
                "count": len(ex),
                "first": list(ex[0]),
                "last": list(ex[-1]),
                "labels": dict(sorted(Counter(e[3] for e in ex).items())) if task != "sts-b" or split == "test" else None,
                "sha256": digest(ex),
            }
    path = Path(__file__).resolve().parent.parent / "test/data/fixtures/glue_examples.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} splits to {path}")


if __name__ == "__main__":
    main()
