"""Candidate generation for likely duplicates at scale, on a synthetic registry.

    .venv/bin/python bench/duplicates_scale.py --count 1000000
    .venv/bin/python bench/duplicates_scale.py --count 100000 --processes 1

Builds `count` organizations (in memory, deterministic) the way an Arab civil-society
directory names them, with a heavy-tailed vocabulary: a society or centre named after one of
count/10 words drawn by a Zipf law of exponent 0.8 (a few, like النور or الأمل, name
thousands of organizations), a town out of count/50 (also Zipf), a
founder's name, a purpose and a qualifier; unions of a governorate; municipalities; English
names for most, acronyms for some. Names are made of syllables, so the Arabic and the Latin
spelling of each invented word are each other's transliteration. Then 2 % of the records get a
second record for the same organization, changed the way registries change names: a letter
dropped or doubled, two words glued, diacritics or tatweel, ة/ه and hamza forms, the kind
word left out or a country appended, the English name only, the Arabic name only, the acronym
only. It runs `candidates()` over the whole registry at the review score and prints the time
of each phase, the pairs compared, and the share of the planted duplicates found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Consonants: (Latin, Arabic). Vowels: (Latin short, Latin long, Arabic long).
CONSONANTS = [
    ("b", "ب"),
    ("t", "ت"),
    ("th", "ث"),
    ("j", "ج"),
    ("h", "ح"),
    ("kh", "خ"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("sh", "ش"),
    ("s", "ص"),
    ("d", "ض"),
    ("t", "ط"),
    ("gh", "غ"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("h", "ه"),
    ("w", "و"),
    ("y", "ي"),
    ("", "ع"),
]
VOWELS = [
    ("a", "a", ""),
    ("i", "i", ""),
    ("u", "ou", ""),
    ("a", "aa", "ا"),
    ("i", "ee", "ي"),
    ("u", "oo", "و"),
]
KINDS = [
    ("جمعية", "Society", 30),
    ("مؤسسة", "Foundation", 14),
    ("مركز", "Center", 14),
    ("نادي", "Club", 8),
    ("منتدى", "Forum", 5),
    ("ملتقى", "Assembly", 4),
    ("رابطة", "League", 3),
    ("شبكة", "Network", 2),
    ("هيئة", "Commission", 2),
    ("منظمة", "Organization", 3),
    ("اتحاد", "Union", 4),
    ("معهد", "Institute", 2),
    ("كلية", "College", 1),
    ("صندوق", "Fund", 1),
    ("لجنة", "Committee", 2),
]
PURPOSES = [
    ("الخيرية", "Charitable"),
    ("الثقافية", "Cultural"),
    ("الرياضية", "Sports"),
    ("الشبابية", "Youth"),
    ("النسوية", "Women's"),
    ("الزراعية", "Agricultural"),
    ("التعاونية", "Cooperative"),
    ("الصحية", "Health"),
    ("التنموية", "Development"),
    ("الاجتماعية", "Social"),
    ("الأهلية", "Civil"),
    ("الإسلامية", "Islamic"),
    ("الكشفية", "Scout"),
    ("البيئية", "Environmental"),
    ("التعليمية", "Educational"),
    ("للتنمية", "for Development"),
    ("للثقافة والفنون", "for Culture and Arts"),
    ("لحقوق الإنسان", "for Human Rights"),
    ("للدراسات والأبحاث", "for Studies and Research"),
    ("للتدريب", "for Training"),
    ("للإغاثة", "for Relief"),
    ("للحوار", "for Dialogue"),
    ("للتمكين", "for Empowerment"),
    ("للمناصرة", "for Advocacy"),
    ("للطفولة", "for Childhood"),
    ("للمرأة", "for Women"),
    ("للإعلام", "for Media"),
    ("للتأهيل", "for Rehabilitation"),
    ("للتراث", "for Heritage"),
    ("للمسرح", "for Theatre"),
    ("للسلام", "for Peace"),
    ("لرعاية المسنين", "for Elderly Care"),
    ("لرعاية الأيتام", "for Orphans Care"),
    ("للديمقراطية", "for Democracy"),
    ("للبيئة", "for the Environment"),
]
COUNTRIES = [
    ("PS", 30),
    ("EG", 18),
    ("MA", 14),
    ("JO", 8),
    ("LB", 6),
    ("TN", 6),
    ("DZ", 5),
    ("IQ", 5),
    ("YE", 3),
    ("SY", 2),
    ("SD", 2),
    ("LY", 1),
]
COUNTRY_AR = {
    "PS": "فلسطين",
    "EG": "مصر",
    "MA": "المغرب",
    "JO": "الأردن",
    "LB": "لبنان",
    "TN": "تونس",
    "DZ": "الجزائر",
    "IQ": "العراق",
    "YE": "اليمن",
    "SY": "سوريا",
    "SD": "السودان",
    "LY": "ليبيا",
}
NOISES = [
    "typo",
    "glue",
    "diacritics",
    "spelling",
    "kind_dropped",
    "country",
    "english_only",
    "arabic_only",
    "acronym_only",
    "reorder",
]


class Words:
    """Invented words, each with an Arabic and a Latin spelling, drawn by a Zipf law."""

    def __init__(
        self, rng: random.Random, count: int, syllables: tuple[int, int], exponent: float = 0.8
    ) -> None:
        seen: set[str] = set()
        self.items: list[tuple[str, str]] = []
        while len(self.items) < count:
            ar, en = "", ""
            for _ in range(rng.randint(*syllables)):
                latin, arabic = rng.choice(CONSONANTS)
                short, long_latin, long_ar = rng.choice(VOWELS)
                ar += arabic + long_ar
                en += latin + (long_latin if long_ar else short)
            if len(ar) < 3 or ar in seen:
                continue
            seen.add(ar)
            self.items.append((ar, en.capitalize()))
        self.cumulative: list[float] = []
        total = 0.0
        for rank in range(1, count + 1):
            total += 1 / rank**exponent
            self.cumulative.append(total)
        self.rng = rng

    def draw(self) -> tuple[str, str]:
        import bisect

        point = self.rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_left(self.cumulative, point)]


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    total = sum(item[-1] for item in items)
    point = rng.random() * total
    for item in items:
        point -= item[-1]
        if point <= 0:
            return item
    return items[-1]


def organization(rng: random.Random, words: dict[str, Words], number: int) -> dict:
    country = _weighted(rng, COUNTRIES)[0]
    town_ar, town_en = words["towns"].draw()
    pattern = rng.random()
    acronym = ""
    if pattern < 0.08:
        name_ar, name_en = f"بلدية {town_ar}", f"{town_en} Municipality"
    elif pattern < 0.15:
        purpose_ar, purpose_en = rng.choice(PURPOSES)
        kind = rng.choice(["الجمعيات", "المراكز", "الأندية", "المؤسسات", "اللجان"])
        kind_en = {
            "الجمعيات": "Societies",
            "المراكز": "Centers",
            "الأندية": "Clubs",
            "المؤسسات": "Institutions",
            "اللجان": "Committees",
        }[kind]
        name_ar = f"اتحاد {kind} {purpose_ar} لمحافظة {town_ar}"
        name_en = f"Union of {purpose_en} {kind_en} of {town_en} Governorate"
    elif pattern < 0.3:
        first_ar, first_en = words["first"].draw()
        family_ar, family_en = words["family"].draw()
        name_ar, name_en = f"مؤسسة {first_ar} {family_ar}", f"{first_en} {family_en} Foundation"
    else:
        kind_ar, kind_en, _weight = _weighted(rng, KINDS)
        brand_ar, brand_en = words["brands"].draw()
        purpose_ar, purpose_en = rng.choice(PURPOSES)
        article = rng.random() < 0.7
        name_ar = f"{kind_ar} {'ال' if article else ''}{brand_ar} {purpose_ar}"
        brand_en = f"Al-{brand_en}" if article else brand_en
        if purpose_en.startswith("for "):
            name_en = f"{brand_en} {kind_en} {purpose_en}"
        else:
            name_en = f"{brand_en} {purpose_en} {kind_en}"
        if rng.random() < 0.5:
            name_ar += f" - {town_ar}"
            name_en += f" - {town_en}"
    if rng.random() < 0.25:
        name_en = ""
    elif rng.random() < 0.3:
        acronym = "".join(
            word[0] for word in name_en.replace("-", " ").split() if word[0].isupper()
        )
    return {
        "id": f"org-{number}",
        "name_ar": name_ar,
        "name_en": name_en,
        "acronym": acronym,
        "city": town_ar if rng.random() < 0.8 else "",
        "country": country,
    }


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def duplicate(rng: random.Random, org: dict, number: int) -> tuple[dict, str]:
    dup = dict(org, id=f"dup-{number}")
    noise = rng.choice(NOISES)
    words = org["name_ar"].split()
    if not words:
        return dup, "copy"
    if noise == "typo" and any(len(word) >= 4 for word in words):
        i = rng.choice([i for i, word in enumerate(words) if len(word) >= 4])
        words[i] = _typo(rng, words[i])
        dup["name_ar"] = " ".join(words)
    elif noise == "glue" and len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        dup["name_ar"] = " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])
        dup["name_en"] = ""
    elif noise == "diacritics":
        dup["name_ar"] = " ".join(
            word[0] + "ـ" + word[1:] if len(word) > 3 else word for word in words
        ).replace("ة", "َة")
    elif noise == "spelling":
        dup["name_ar"] = org["name_ar"].replace("ة", "ه").replace("أ", "ا").replace("إ", "ا")
    elif noise == "kind_dropped" and len(words) >= 3:
        dup["name_ar"] = " ".join(words[1:])
        dup["name_en"] = ""
    elif noise == "country":
        dup["name_ar"] = org["name_ar"] + " ب" + COUNTRY_AR[org["country"]]
    elif noise == "english_only" and org["name_en"]:
        dup["name_ar"], dup["acronym"] = "", ""
    elif noise == "arabic_only" and org["name_en"]:
        dup["name_en"], dup["acronym"] = "", ""
        org_copy = dict(org)
        org_copy["name_ar"] = ""
        return dup | {"_pair_with": org_copy}, noise
    elif noise == "acronym_only" and org["acronym"]:
        dup["name_ar"], dup["name_en"] = "", org["acronym"]
    elif noise == "reorder" and len(words) >= 3:
        dup["name_ar"] = " ".join(words[1:]) + "، " + words[0]
    else:
        noise = "copy"
    if rng.random() < 0.3:
        dup["city"] = ""
    return dup, noise


def registry(count: int, seed: int = 2026, share: float = 0.02) -> tuple[list[dict], list]:
    rng = random.Random(seed)
    scale = max(count, 10_000)
    words = {
        "brands": Words(rng, max(2000, scale // 10), (2, 3)),
        "towns": Words(rng, max(1000, scale // 50), (2, 3)),
        "first": Words(rng, 600, (2, 2), exponent=1.0),
        "family": Words(rng, max(1000, scale // 50), (2, 3)),
    }
    records: list[dict] = []
    planted: list[tuple[str, str, str]] = []
    originals = count - int(count * share)
    for number in range(originals):
        records.append(organization(rng, words, number))
    number = 0
    while len(records) < count:
        org = records[rng.randrange(originals)]
        dup, noise = duplicate(rng, org, number)
        other = dup.pop("_pair_with", None)
        if other is not None:  # an Arabic-only record and an English-only one
            index = int(org["id"].split("-")[1])
            records[index] = other | {"id": org["id"]}
        records.append(dup)
        planted.append((org["id"], dup["id"], noise))
        number += 1
    return records, planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahaluf.settings")
    import django

    django.setup()
    from django.conf import settings

    from tahaluf.search import duplicates

    started = time.perf_counter()
    records, planted = registry(args.count)
    generated = time.perf_counter() - started
    timings: dict = {}
    found = duplicates.candidates(
        settings.TAHALUF_DUPLICATE_REVIEW_SCORE,
        organizations=records,
        processes=args.processes,
        timings=timings,
    )
    pairs = {frozenset((c.a, c.b)) for c in found}
    by_noise: dict[str, list[int]] = {}
    for a, b, noise in planted:
        by_noise.setdefault(noise, [0, 0])
        by_noise[noise][1] += 1
        if frozenset((a, b)) in pairs:
            by_noise[noise][0] += 1
    hit = sum(value[0] for value in by_noise.values())
    result = {
        "records": args.count,
        "generate_seconds": round(generated, 1),
        "candidates_seconds": round(timings["total"], 1),
        "phases": {
            key: (round(value, 1) if isinstance(value, float) else value)
            for key, value in timings.items()
        },
        "planted": len(planted),
        "planted_found": hit,
        "planted_recall": round(hit / len(planted), 3) if planted else 1.0,
        "by_noise": {noise: f"{a}/{b}" for noise, (a, b) in sorted(by_noise.items())},
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
