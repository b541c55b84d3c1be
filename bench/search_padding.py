"""Padding for the search benchmark's speed runs: the labelled corpus plus synthetic
organizations up to 100,000 or 1,000,000 records.

The padding reuses the import benchmark's generator (bench/synthetic.py: names built from
paired Arabic/English word lists, skewed kinds and countries, Arabic-only and English-only
rows, acronyms), converted to the corpus's record shape. Nobody labelled it, so quality is
never scored on a padded index except as a clearly labelled robustness check."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from search_metrics import load_corpus  # noqa: E402

SEED = 2026


def padding(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """`count` synthetic organizations as corpus records (ids pad-0000001, …)."""
    if count <= 0:
        return
    index = {name: i for i, name in enumerate(synthetic.COLUMNS)}
    for number, row in enumerate(synthetic.rows(count, seed), start=1):
        name_en = row[index["name_en"]].strip('"')
        yield {
            "id": f"pad-{number:07d}",
            "name_ar": row[index["name_ar"]],
            "name_en": name_en,
            "acronym": row[index["acronym"]],
            "other_names": [],
            "city": row[index["city"]],
            "country": row[index["country"]],
            "kind": row[index["kind"]],
        }


def records(total: int) -> Iterator[dict[str, Any]]:
    """The labelled corpus, then padding up to `total` records (0: the corpus alone)."""
    corpus = load_corpus()
    yield from corpus
    yield from padding(max(0, total - len(corpus)))
