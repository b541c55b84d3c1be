"""Duplicate detection measured against the labelled pairs of bench/search_eval/pairs.jsonl.

    .venv/bin/python bench/duplicates_eval.py            # precision / recall at both scores
    .venv/bin/python bench/duplicates_eval.py --errors   # also list the pairs it gets wrong
    .venv/bin/python bench/duplicates_eval.py --json     # one JSON object, for bench reports

The registry is the evaluation corpus (bench/search_eval/corpus.jsonl) together with both
records of every pair, as they would all be in the registry: document frequencies (how rare
each word is) are counted over it. Each pair is scored with `score_pair`; a pair is predicted
"same organization" at a threshold when its score reaches it. Precision is measured at the
merge score (TAHALUF_DUPLICATE_MERGE_SCORE), recall at the review score
(TAHALUF_DUPLICATE_REVIEW_SCORE), and both at both, overall and per class. Blocking is
measured too: the share of labelled duplicates that `candidates()` over the same registry
brings up at the review score (a pair that blocking misses is never shown).
No database is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "bench" / "search_eval" / "pairs.jsonl"
CORPUS = ROOT / "bench" / "search_eval" / "corpus.jsonl"


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahaluf.settings")
    import django

    django.setup()


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def side(data: dict, ident: str) -> dict:
    return {
        "id": ident,
        "name_ar": data.get("name_ar", ""),
        "name_en": data.get("name_en", ""),
        "other_names": data.get("other_names", []),
        "acronym": data.get("acronym", ""),
        "city": data.get("city", ""),
        "country": data.get("country", ""),
    }


def rates(items: list[tuple[bool, float]], threshold: float) -> dict[str, float | int]:
    tp = sum(1 for label, score in items if label and score >= threshold)
    fp = sum(1 for label, score in items if not label and score >= threshold)
    fn = sum(1 for label, score in items if label and score < threshold)
    tn = len(items) - tp - fp - fn
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the pairs scored wrong")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    if not args.pairs.is_file():
        print(f"{args.pairs} not found", file=sys.stderr)
        return 2
    setup()
    from django.conf import settings
    from django.utils import translation

    from tahaluf.search import duplicates

    translation.activate("en")
    review = settings.TAHALUF_DUPLICATE_REVIEW_SCORE
    merge = settings.TAHALUF_DUPLICATE_MERGE_SCORE
    pairs = load(args.pairs)
    corpus = load(CORPUS) if CORPUS.is_file() else []

    registry = [side(item, f"corpus:{item['id']}") for item in corpus]
    for pair in pairs:
        registry.append(side(pair["a"], f"{pair['id']}:a"))
        registry.append(side(pair["b"], f"{pair['id']}:b"))
    started = time.perf_counter()
    profiles = [duplicates.profile(item) for item in registry]
    stats = duplicates.Stats.of(profiles)

    scored: list[tuple[dict, float, list]] = []
    for pair in pairs:
        a, b = side(pair["a"], f"{pair['id']}:a"), side(pair["b"], f"{pair['id']}:b")
        score, reasons = duplicates.score_pair(a, b, stats=stats)
        scored.append((pair, score, reasons))
    scoring_seconds = time.perf_counter() - started

    started = time.perf_counter()
    found = {
        frozenset((c.a, c.b))
        for c in duplicates.candidates(review, organizations=registry, processes=1)
    }
    blocking_seconds = time.perf_counter() - started
    positives = [pair for pair in pairs if pair["label"]]
    blocked = sum(
        1 for pair in positives if frozenset((f"{pair['id']}:a", f"{pair['id']}:b")) in found
    )
    above_review = sum(1 for pair, score, _r in scored if pair["label"] and score >= review)

    items = [(pair["label"], score) for pair, score, _r in scored]
    by_class: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for pair, score, _r in scored:
        by_class[pair["class"]].append((pair["label"], score))
    report = {
        "pairs": len(pairs),
        "registry": len(registry),
        "review_score": review,
        "merge_score": merge,
        "at_merge": rates(items, merge),
        "at_review": rates(items, review),
        "classes": {
            name: {
                "n": len(values),
                "at_merge": rates(values, merge),
                "at_review": rates(values, review),
            }
            for name, values in sorted(by_class.items())
        },
        "blocking_recall": blocked / above_review if above_review else 1.0,
        "candidates_recall_at_review": blocked / len(positives) if positives else 1.0,
        "seconds": {"scoring": scoring_seconds, "candidates": blocking_seconds},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(
        f"{len(pairs)} labelled pairs ({len(positives)} duplicates), registry of "
        f"{len(registry)} records; review score {review}, merge score {merge}\n"
    )
    print(f"{'':18} {'precision':>9} {'recall':>7}   {'precision':>9} {'recall':>7}")
    print(f"{'class':18} {'@merge':>9} {'@merge':>7}   {'@review':>9} {'@review':>7}   n")

    def line(name: str, values: dict, n: int) -> None:
        m, r = values["at_merge"], values["at_review"]
        print(
            f"{name:18} {m['precision']:9.3f} {m['recall']:7.3f}   "
            f"{r['precision']:9.3f} {r['recall']:7.3f}   {n}"
        )

    line("all", report, len(pairs))
    negatives = []
    for name, values in report["classes"].items():
        if values["at_review"]["tp"] + values["at_review"]["fn"]:
            line(name, values, values["n"])
        else:
            negatives.append((name, values))
    print("\nclasses of different organizations only (no recall; precision is for all pairs):")
    for name, values in negatives:
        print(
            f"    {name}: {values['at_merge']['fp']} above the merge score, "
            f"{values['at_review']['fp']} above the review score, of {values['n']}"
        )
    print(
        f"\nblocking: candidates() brings up {blocked} of the {above_review} duplicates "
        f"that score above the review score ({report['blocking_recall']:.3f}); "
        f"{report['candidates_recall_at_review']:.3f} of all duplicates"
    )
    print(f"time: scoring {scoring_seconds:.1f} s, candidates {blocking_seconds:.1f} s")
    if args.errors:
        print("\nWrong at the review score (duplicates below it, others above the merge score):")
        for pair, score, reasons in sorted(scored, key=lambda item: item[1]):
            wrong = (pair["label"] and score < review) or (not pair["label"] and score >= merge)
            if not wrong:
                continue
            print(f"  {pair['id']} {pair['class']} label={pair['label']} score={score:.3f}")
            for key in ("a", "b"):
                data = pair[key]
                print(
                    f"     {key}: "
                    + " | ".join(
                        str(data.get(name))
                        for name in ("name_ar", "name_en", "acronym", "city", "country")
                        if data.get(name)
                    )
                )
            print("     " + "; ".join(str(reason) for reason in reasons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
