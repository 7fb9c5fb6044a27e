"""Extract the CFPB narratives the English triage model is trained and tested on.

    .venv/bin/python scripts/extract_cfpb.py PATH/TO/cfpb_sample_2015_2020.csv

Keeps the 1,532 rows of the CFPB sample that have a consumer narrative, maps each ``Issue`` to a
category with ``TAXONOMY.md``'s table (``xieshang.text.categories``), assigns a fixed stratified
held-out split (25 % of each category, seeded shuffle in complaint-id order) and writes
``src/xieshang/data/complaints_cfpb.csv`` with the columns the project needs. Run once by a
developer; nothing reads the source file at run or test time. Provenance: ``ATTRIBUTION.md``.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

from xieshang.text.categories import category_of_cfpb_issue

OUT = Path(__file__).resolve().parents[1] / "src" / "xieshang" / "data" / "complaints_cfpb.csv"
SEED = 20261201
TEST_SHARE = 0.25
COLUMNS = ("complaint_id", "date_received", "product", "issue", "category", "split", "narrative")


def main(source: Path) -> None:
    with source.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Consumer complaint narrative"].strip()]
    by_category: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_category[category_of_cfpb_issue(row["Issue"])].append(row)
    rng = random.Random(SEED)
    labelled: list[tuple[dict[str, str], str, str]] = []
    for category in sorted(by_category):
        items = sorted(by_category[category], key=lambda r: int(r["Complaint ID"]))
        rng.shuffle(items)
        held_out = round(len(items) * TEST_SHARE)
        labelled += [
            (r, category, "test" if i < held_out else "train") for i, r in enumerate(items)
        ]
    labelled.sort(key=lambda item: int(item[0]["Complaint ID"]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r, category, split in labelled:
            writer.writerow(
                [r["Complaint ID"], r["Date received"], r["Product"], r["Issue"], category, split,
                 r["Consumer complaint narrative"]]
            )  # fmt: skip
    sys.stdout.write(f"wrote {len(labelled)} rows to {OUT}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: extract_cfpb.py PATH/TO/cfpb_sample_2015_2020.csv")
    main(Path(sys.argv[1]))
