"""Validate the evaluation set in this directory; exit 1 on any failure.

    .venv/bin/python bench/search_eval/check.py            # checks, then rebuilds and compares
    .venv/bin/python bench/search_eval/check.py --no-rebuild

Checks: the three files parse; corpus ids are unique and include every seed organization;
at least 400 queries, at least 30 in every class; no query id or query text twice; every
relevant / must_not_first / first / target id exists; controls have distractors that are not
relevant; generated queries have 1-4 words; at least 500 pairs with a third hard negatives (each
naming the informative word that differs) and labels that agree with their class; and that
build.py, run again, writes the same bytes (README counts included).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

CLASSES = [
    "hamza", "taa_marbuta", "alef_maqsura", "madda", "diacritics", "digits", "prefixes",
    "suffixes", "glued", "typo", "cross_script", "acronym", "english", "exact_name", "control",
]  # fmt: skip
PAIR_CLASSES = {
    "spelling": True, "scrape": True, "translit": True, "reorder": True, "acronym": True,
    "hard_negative": False, "easy_negative": False,
}  # fmt: skip
CORPUS_KEYS = {"id", "name_ar", "name_en", "acronym", "other_names", "city", "country", "kind"}
KINDS = {"ngo", "union", "nhri", "government", "local_authority", "international", "academic",
         "fund", "company", "other"}  # fmt: skip
PARTY_KEYS = {"name_ar", "name_en", "acronym", "city", "country"}
MIN_PER_CLASS, MIN_QUERIES, MIN_PAIRS = 30, 400, 500


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description="Validate bench/search_eval")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the determinism check")
    args = parser.parse_args()
    errors: list[str] = []
    err = errors.append

    corpus, queries, pairs = load("corpus.jsonl"), load("queries.jsonl"), load("pairs.jsonl")

    # --- corpus ------------------------------------------------------------------------------
    ids = Counter(o["id"] for o in corpus)
    for i, n in ids.items():
        if n > 1:
            err(f"corpus: id {i} appears {n} times")
    for o in corpus:
        if set(o) != CORPUS_KEYS:
            err(f"corpus {o.get('id')}: keys {sorted(set(o) ^ CORPUS_KEYS)} wrong")
        if not (o.get("name_ar") or o.get("name_en")):
            err(f"corpus {o['id']}: no name")
        if o.get("kind") not in KINDS:
            err(f"corpus {o['id']}: unknown kind {o.get('kind')}")
        if not isinstance(o.get("other_names"), list):
            err(f"corpus {o['id']}: other_names is not a list")
    sys.path.insert(0, str(ROOT))
    from tahaluf.demo.data import ORGANIZATIONS  # plain data

    for seed in ORGANIZATIONS:
        if seed["external_id"] not in ids:
            err(f"corpus: seed organization {seed['external_id']} missing")

    # --- queries -----------------------------------------------------------------------------
    if len(queries) < MIN_QUERIES:
        err(f"queries: {len(queries)} < {MIN_QUERIES}")
    per_class = Counter(q.get("class") for q in queries)
    for cls in CLASSES:
        if per_class[cls] < MIN_PER_CLASS:
            err(f"queries: class {cls} has {per_class[cls]} < {MIN_PER_CLASS}")
    for cls in set(per_class) - set(CLASSES):
        err(f"queries: unknown class {cls}")
    for qid, n in Counter(q.get("id") for q in queries).items():
        if n > 1:
            err(f"queries: id {qid} appears {n} times")
    for text, n in Counter(q.get("query") for q in queries).items():
        if n > 1:
            err(f"queries: query {text!r} appears {n} times")
    for q in queries:
        where = f"query {q.get('id')}"
        for key in ("id", "class", "query", "relevant", "note"):
            if key not in q:
                err(f"{where}: no {key}")
        rel = q.get("relevant") or []
        if not rel:
            err(f"{where}: nothing relevant")
        if len(set(rel)) != len(rel):
            err(f"{where}: relevant lists an id twice")
        for i in rel:
            if i not in ids:
                err(f"{where}: relevant id {i} not in corpus")
        for key in ("first", "target"):
            if key in q and q[key] not in rel:
                err(f"{where}: {key} {q[key]} not relevant")
        if q.get("class") == "control":
            mnf = q.get("must_not_first")
            if not mnf:
                err(f"{where}: control query without must_not_first")
            for i in mnf or ():
                if i not in ids:
                    err(f"{where}: must_not_first id {i} not in corpus")
                if i in rel:
                    err(f"{where}: {i} is both relevant and must_not_first")
        if q.get("class") == "exact_name" and "first" not in q:
            err(f"{where}: exact_name query without first")
        words = len(str(q.get("query", "")).split())
        if not q.get("hand") and q.get("class") != "exact_name" and not 1 <= words <= 4:
            err(f"{where}: {words} words (generated queries have 1-4)")

    # --- pairs -------------------------------------------------------------------------------
    if len(pairs) < MIN_PAIRS:
        err(f"pairs: {len(pairs)} < {MIN_PAIRS}")
    hard = [p for p in pairs if p.get("class") == "hard_negative"]
    one_word = [p for p in hard if len(p.get("diff") or []) == 2]
    if len(hard) * 3 < len(pairs):
        err(f"pairs: {len(hard)} hard negatives, fewer than a third of {len(pairs)}")
    if len(one_word) * 3 < MIN_PAIRS:
        err(f"pairs: only {len(one_word)} hard negatives name the one word that differs")
    for pid, n in Counter(p.get("id") for p in pairs).items():
        if n > 1:
            err(f"pairs: id {pid} appears {n} times")
    for p in pairs:
        where = f"pair {p.get('id')}"
        if p.get("class") not in PAIR_CLASSES:
            err(f"{where}: unknown class {p.get('class')}")
        elif p.get("label") is not PAIR_CLASSES[p["class"]]:
            err(f"{where}: label {p.get('label')} contradicts class {p['class']}")
        for side in ("a", "b"):
            party = p.get(side)
            if not isinstance(party, dict) or set(party) != PARTY_KEYS:
                err(f"{where}: {side} must have exactly {sorted(PARTY_KEYS)}")
            elif not (party["name_ar"] or party["name_en"] or party["acronym"]):
                err(f"{where}: {side} has no name")
            ref = p.get(f"{side}_id")
            if ref is not None and ref not in ids:
                err(f"{where}: {side}_id {ref} not in corpus")
        if p.get("a") == p.get("b"):
            err(f"{where}: a and b are identical")
        if p.get("class") == "hard_negative" and p.get("a_id") == p.get("b_id"):
            err(f"{where}: a hard negative pairs a record with itself")

    # --- determinism -------------------------------------------------------------------------
    if not args.no_rebuild:
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run(
                [sys.executable, str(HERE / "build.py"), "--out", tmp],
                capture_output=True, text=True,
            )  # fmt: skip
            if run.returncode:
                err(f"build.py failed: {run.stderr.strip()[-500:]}")
            else:
                for name in ("corpus.jsonl", "queries.jsonl", "pairs.jsonl", "README.md"):
                    if not filecmp.cmp(HERE / name, Path(tmp) / name, shallow=False):
                        err(f"{name} differs from what build.py writes: run build.py")

    hard_share = len(hard) / max(1, len(pairs))
    print(f"corpus {len(corpus)}, queries {len(queries)} "
          f"({', '.join(f'{c} {per_class[c]}' for c in CLASSES)}), pairs {len(pairs)} "
          f"({len(hard)} hard negatives = {hard_share:.0%})")  # fmt: skip
    if errors:
        print(f"{len(errors)} problem(s):", file=sys.stderr)
        for e in errors[:200]:
            print(" -", e, file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
