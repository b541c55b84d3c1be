"""Likely duplicates among organizations: scoring, blocking, and the per-record lookup.

How two records are compared (docs/duplicates.md says it with examples):

- Every name of a record (Arabic, English, other spellings) goes through the search analyzer
  (arabic.py). Words are compared by stem; a word that does not match exactly may still match
  a word of the other record spelled one letter apart, with the same transliteration key
  (الكونغرس / الكونجرس), or glued to its neighbour (الأممالمتحدة = الأمم المتحدة).
- Each word weighs what it tells: its inverse document frequency over the whole registry. A
  shared الاتحاد or جمعية says little; a shared الخليل or ماعت says a lot.
- Words only one record has weigh lightly against (names are shortened and lengthened); a
  pair of informative words where each record has its own (الثقافية / الرياضية) weighs
  heavily against: that is how different organizations with similar names differ.
- Arabic is compared with Arabic and English with English. A record named only in Arabic is
  compared with one named only in English by transliteration key (كنعان = Kanaan) and by the
  meaning of common words (glossary.py: جمعية = Society, الشبابية = Youth).
- The acronym counts as a word; an acronym alone (a record called "CNDH") is a lead for
  review, never enough to merge. Same country and city are weak evidence for; a different
  country or city is evidence against.

Blocking, so that a registry of a million is compared in minutes: each record emits a few
block keys (pairs of its rarest terms per channel, very rare terms alone, its acronym; a
glued word split first; see block_keys), and only records sharing a block are compared. A
block larger than BLOCK_CAP (words that are not rare) is not compared whole: its records are
sorted by name and each is compared with its WINDOW neighbours.

The per-record lookup (`duplicates_of`, the import check) uses the table DuplicateKey: every
term of every organization, kept by the same pending changes as the search index. It gives
both the blocks and the document frequencies, so that one record is compared with the whole
registry in milliseconds."""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from django.utils.translation import gettext

from tahaluf.search import arabic, glossary

BLOCK_TERMS = 3  # a record's rarest terms in a channel: each pair of them is a block key
SINGLE_MAX = 10  # a term this rare is a block key on its own
BLOCK_CAP = 12  # a larger block is compared by sorted neighbourhood only
WINDOW = 3  # neighbours each record of an oversized block is compared with
ONE_CAP = 5000  # terms more common than this are not used to look up one record's candidates
ONE_LIMIT = 300  # candidates scored for one record

ProgressCallback = Callable[[str, int, int], None]

# --------------------------------------------------------------------------------------------
# Records and their profiles
# --------------------------------------------------------------------------------------------


class Record(NamedTuple):
    """What duplicate detection reads of an organization (or of a CSV row)."""

    id: Any
    name_ar: str = ""
    name_en: str = ""
    other_names: tuple[str, ...] = ()
    acronym: str = ""
    city: str = ""
    country: str = ""


RECORD_FIELDS = ("pk", "name_ar", "name_en", "other_names", "acronym", "city", "country")


def as_record(item: Any) -> Record:
    """A Record from an Organization, a Record, or a mapping (a CSV row, a test's dict)."""
    if isinstance(item, Record):
        return item
    if isinstance(item, Mapping):
        get = item.get
        ident = get("pk", get("id", get("external_id")))
    else:

        def get(name: str, default: Any = "") -> Any:
            return getattr(item, name, default)

        ident = getattr(item, "pk", None)
    others = get("other_names", ()) or ()
    if isinstance(others, str):
        others = (others,)
    return Record(
        id=ident,
        name_ar=get("name_ar", "") or "",
        name_en=get("name_en", "") or "",
        other_names=tuple(others),
        acronym=get("acronym", "") or "",
        city=get("city", "") or "",
        country=(get("country", "") or "").upper(),
    )


_AR_STOP = frozenset(arabic.normalize(w) for w in "في من على عن إلى و أو".split())
_LATIN_STOP = frozenset(
    "of for the and in on at to a an al el de des du la le les l d et pour by with from "
    "und der die das".split()
)
# Words of a city name that do not tell one place from another.
_CITY_GENERIC = frozenset(
    arabic.stem(w)
    for w in "محافظة قطاع مدينة مخيم قرية city governorate district camp village region".split()
)
_ACRONYM_LIKE_MAX = 10
_EMPTY: frozenset[str] = frozenset()
_ELISION = re.compile(r"\b[ldLD]['’](?=\w)")


class Tok(NamedTuple):
    """One word of a name, analyzed."""

    token: str  # normalized, as written (الثقافيه)
    stem: str  # ثقاف
    word: str  # without attached prefixes (ثقافيه)
    key: str  # transliteration key (tkf)
    meanings: frozenset[str]  # glossary concepts ("cultural")
    arabic: bool
    sounds: tuple[str, ...]  # "@cultural", or "~tkf" for a word the glossary does not know


@lru_cache(maxsize=1 << 20)
def _tok(token: str) -> Tok:
    is_ar = arabic._is_arabic(token)
    stem = arabic.stem(token)
    word = arabic.strip_prefixes(token) if is_ar else token
    key = arabic.translit_key(token)
    meanings = glossary.concepts(stem)
    # A word's terms that do not depend on the script: its meanings if the glossary knows
    # it, else its transliteration key.
    if meanings:
        sounds = tuple(sorted("@" + meaning for meaning in meanings))
    else:
        sounds = ("~" + key,) if len(key) >= 2 else ()
    return Tok(token, stem, word, key, meanings, is_ar, sounds)


@lru_cache(maxsize=1 << 16)
def _city(city: str) -> tuple[frozenset[str], str]:
    terms: set[str] = set()
    for token in arabic.tokenize(city):
        tok = _tok(token)
        if tok.stem in _CITY_GENERIC or token in _LATIN_STOP or token in _AR_STOP:
            continue
        terms.add(tok.stem)
        if tok.key:
            terms.add("~" + tok.key)
    return frozenset(terms), arabic.translit_key(city)


class Profile(NamedTuple):
    """A record, analyzed once: the distinct words of its names, per script."""

    id: Any
    ar: tuple[Tok, ...]  # Arabic words, one per stem, stop words left out
    lat: tuple[Tok, ...]  # the same for Latin words
    seqs: tuple[tuple[str, ...], ...]  # each name's tokens in order (for glued words)
    acronyms: frozenset[str]  # the acronym, and names that are acronyms ("CNDH")
    declared: str  # the acronym field, normalized
    initials: frozenset[str]  # initials of Latin names of 3+ words
    city: frozenset[str]  # stems and keys of the city's informative words
    city_key: str  # transliteration key of the whole city name
    country: str
    ar_stems: frozenset[str]
    lat_stems: frozenset[str]
    stems: frozenset[str]  # every stem, both scripts
    sounds: frozenset[str]  # every "@meaning" / "~key"
    record: Record


def _acronym(text: str) -> str:
    return "".join(char for char in arabic.normalize(text) if char.isascii() and char.isalnum())


def _looks_like_acronym(name: str) -> str:
    """ "CNDH", "U.N.", "ALLMEP": a one-word Latin name in capitals (or with dots)."""
    stripped = name.strip()
    if not stripped or " " in stripped or len(stripped) > _ACRONYM_LIKE_MAX + 5:
        return ""
    letters = [char for char in stripped if char.isalpha()]
    if not letters or not all(char.isascii() for char in letters):
        return ""
    if len(letters) >= 2 and (stripped.isupper() or "." in stripped):
        return _acronym(stripped)
    return ""


def profile(item: Any) -> Profile:
    record = as_record(item)
    ar: dict[str, Tok] = {}
    lat: dict[str, Tok] = {}
    seqs: list[tuple[str, ...]] = []
    acronyms: set[str] = set()
    initials: set[str] = set()
    declared = _acronym(record.acronym) if record.acronym else ""
    if len(declared) >= 2:
        acronyms.add(declared)
    for name in (record.name_ar, record.name_en, *record.other_names):
        if not name:
            continue
        like = _looks_like_acronym(name)
        if like:
            if len(like) >= 2:
                acronyms.add(like)
            continue
        if "'" in name or "’" in name:
            name = _ELISION.sub("", name)  # l'Homme, d'Ivoire: the article is not the word
        tokens = arabic.tokenize(name)
        if not tokens:
            continue
        seqs.append(tuple(tokens))
        content = []
        for token in tokens:
            tok = _tok(token)
            if tok.arabic:
                if token not in _AR_STOP:
                    ar.setdefault(tok.stem, tok)
            elif token not in _LATIN_STOP:
                lat.setdefault(tok.stem, tok)
                content.append(token)
        if len(content) >= 3 and all(token.isalpha() for token in content):
            initials.add("".join(token[0] for token in content))
    city, city_key = _city(record.city) if record.city else (_EMPTY, "")
    sounds: list[str] = []
    for tok in ar.values():
        sounds.extend(tok.sounds)
    for tok in lat.values():
        sounds.extend(tok.sounds)
    ar_stems, lat_stems = frozenset(ar), frozenset(lat)
    return Profile(
        id=record.id,
        ar=tuple(ar.values()),
        lat=tuple(lat.values()),
        seqs=tuple(seqs),
        acronyms=frozenset(acronyms) if acronyms else _EMPTY,
        declared=declared if len(declared) >= 2 else "",
        initials=frozenset(initials - acronyms) if initials else _EMPTY,
        city=city,
        city_key=city_key,
        country=record.country,
        ar_stems=ar_stems,
        lat_stems=lat_stems,
        stems=ar_stems | lat_stems,
        sounds=frozenset(sounds),
        record=record,
    )


def terms(p: Profile) -> set[str]:
    """What the document frequencies count: stems; for each word, "@"+its meaning when the
    glossary knows it, else "~"+its transliteration key (so that an Arabic name and its
    English translation have the same terms of this kind); "#"+acronym."""
    found = set(p.stems | p.sounds)
    for acronym in p.acronyms | p.initials:
        found.add("#" + acronym)
    return found


def stored_terms(p: Profile) -> set[str]:
    """The terms kept in DuplicateKey for the per-record lookup: stems and acronyms; meanings
    and keys only for a record named in one script (a record named in both is found by an
    Arabic-only record through its Arabic stems, by an English-only one through its English
    stems: as in block_keys)."""
    found = set(p.stems)
    if not (p.ar and p.lat):
        found |= p.sounds
    for acronym in p.acronyms | p.initials:
        found.add("#" + acronym)
    return found


# --------------------------------------------------------------------------------------------
# Statistics: how rare each term is in the registry
# --------------------------------------------------------------------------------------------


class _Weights(dict[str, float]):
    """idf of each term, computed when first asked for."""

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def __missing__(self, term: str) -> float:
        value = math.log(1 + self.stats.n / max(self.stats.count(term), 1))
        self[term] = value
        return value


class Stats:
    """Document frequencies over a registry of `n` records. idf(t) = ln(1 + n / df(t))."""

    def __init__(self, n: int, df: Mapping[str, int]) -> None:
        self.n = max(n, 1)
        self.df = df
        self.weights = _Weights(self)
        self.idf = self.weights.__getitem__  # a dictionary lookup: this is called a lot
        self.log_n = math.log(1 + self.n)

    @classmethod
    def of(cls, profiles: Iterable[Profile]) -> Stats:
        counts: Counter[str] = Counter()
        n = 0
        for p in profiles:
            counts.update(p.stems)
            counts.update(p.sounds)
            if p.acronyms or p.initials:
                counts.update("#" + acronym for acronym in p.acronyms | p.initials)
            n += 1
        return cls(n, counts)

    def count(self, term: str) -> int:
        return self.df.get(term, 0)

    def prepare(self, wanted: Iterable[str]) -> None:
        """Look up these terms in one go (the database statistics override this)."""


# --------------------------------------------------------------------------------------------
# Reasons
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why two records look alike (or not), rendered in the reader's language."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        template = REASON_TEXTS.get(self.code)
        if template is None:
            return self.code
        return gettext(template) % self.params if self.params else gettext(template)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(code=str(data.get("code", "")), params=dict(data.get("params") or {}))


def gettext_noop(text: str) -> str:
    return text


REASON_TEXTS = {
    "same_name": gettext_noop("the same name once spelling is set aside"),
    "share": gettext_noop("share the rare words %(words)s"),
    "differ": gettext_noop("differ by %(first)s / %(second)s"),
    "extra": gettext_noop("only one of them has %(words)s"),
    "spelled": gettext_noop("spelled alike: %(first)s / %(second)s"),
    "glued": gettext_noop("written together: %(glued)s = %(words)s"),
    "across_scripts": gettext_noop("same name across scripts: %(first)s / %(second)s"),
    "same_acronym": gettext_noop("same acronym %(acronym)s"),
    "acronym_only": gettext_noop("only the acronym %(acronym)s to compare"),
    "different_acronyms": gettext_noop("different acronyms %(first)s / %(second)s"),
    "same_city": gettext_noop("same city %(city)s"),
    "different_cities": gettext_noop("different cities %(first)s / %(second)s"),
    "same_country": gettext_noop("same country"),
    "different_countries": gettext_noop("different countries %(first)s / %(second)s"),
}


def _quote(words: Iterable[str]) -> str:
    return "، ".join(f"«{word}»" for word in words)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

ONE_SIDED = 0.3  # weight of a word only one record has
CONFLICT = 3.0  # weight of a pair of words where each record has its own
UNCERTAIN = 0.5  # across scripts, a word without a known meaning may be a translation
SUBSTITUTION = 0.35  # at most this share is taken off for a word each has its own of
SPECIFIC_SHARE = 0.5  # how much lighter a one-sided word weighs when what is shared is rare
CONFIDENT = 0.8  # sharing less information than this share of a unique word's lowers the score
SAME_CITY = 0.05
OTHER_CITY = 0.2
SAME_COUNTRY = 0.02
OTHER_COUNTRY = 0.25
ACRONYM_ONLY = 0.75  # the score of two records that have only an acronym in common
SPELLED = 0.85  # a word matched one letter apart, or by transliteration key
ACROSS = 0.9  # a word matched across scripts
GLUED = 0.95  # words matched to a word glued from them
GLUE_RARE = 0.7  # a glued word is rare: its idf is at least this share of the largest


def _one_apart(a: str, b: str) -> bool:
    """Edit distance at most 1 (one letter dropped, doubled, added or replaced)."""
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    if lb - la > 1:
        return False
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _distance(a: str, b: str, limit: int = 2) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        best = i
        for j, other in enumerate(b, start=1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _similar_spelling(a: Tok, b: Tok) -> bool:
    """Two different words of one script that are one spelling apart: a letter dropped,
    doubled or added (المعهد / المعه, برنامج / برنمج), or replaced in a word of 4 letters
    or more; or the same transliteration key (الكونغرس / الكونجرس)."""
    wa, wb = a.word, b.word
    la, lb = len(wa), len(wb)
    if la - lb > 2 or lb - la > 2:
        return False
    shortest = la if la < lb else lb
    if shortest >= 4 and _one_apart(wa, wb):
        return True
    ta, tb = a.token, b.token
    if (
        len(ta) >= 4
        and len(tb) >= 4
        and _one_apart(ta, tb)
        and (len(ta) != len(tb) or shortest >= 4)
    ):
        return True
    return len(a.key) >= 3 and a.key == b.key and wa[:1] == wb[:1] and _distance(wa, wb, 2) <= 2


def _glued(token: str, seqs: Sequence[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The run of 2-3 consecutive tokens of another record that `token` is written as."""
    if len(token) < 5:
        return None
    for seq in seqs:
        for i in range(len(seq) - 1):
            if not token.startswith(seq[i]):
                continue
            joined = seq[i]
            for j in range(i + 1, min(i + 3, len(seq))):
                joined += seq[j]
                if joined == token:
                    return seq[i : j + 1]
                if not token.startswith(joined):
                    break
    return None


class _Tally:
    """Evidence for and against, summed over the comparisons of two records."""

    __slots__ = (
        "compared",
        "matched",
        "conflict_a",
        "conflict_b",
        "uncertain",
        "substitution",
        "notes",
    )

    def __init__(self, explain: bool) -> None:
        self.compared = False
        self.matched = 0.0
        self.substitution = 0.0  # the weight of the most informative word each has its own of
        self.conflict_a = 0.0  # weight of the words of a that b lacks
        self.conflict_b = 0.0
        self.uncertain = 0.0
        self.notes: dict[str, list[Any]] | None = defaultdict(list) if explain else None


def _compare_same(
    ta: tuple[Tok, ...],
    tb: tuple[Tok, ...],
    sa: frozenset[str],
    sb: frozenset[str],
    pa: Profile,
    pb: Profile,
    idf: Callable[[str], float],
    tally: _Tally,
    latin: bool,
    rare: float,
    translation: bool = False,
) -> None:
    """Compare the words of one script of two records (sa, sb: their stems)."""
    tally.compared = True
    notes = tally.notes
    shared = sa & sb
    for stem in shared:
        tally.matched += idf(stem)
    if notes is not None:
        notes["match"].extend((idf(tok.stem), tok.token) for tok in ta if tok.stem in shared)
    if len(shared) == len(sa) == len(sb):
        return
    left_a = [tok for tok in ta if tok.stem not in shared]
    left_b = [tok for tok in tb if tok.stem not in shared]
    if left_a and left_b:
        # Spelled one letter apart, or alike once transliterated.
        for tok in list(left_a):
            word, token = tok.word, tok.token
            length, first, last = len(word), word[:1], word[-1:]
            for other in left_b:
                # Words one letter apart agree in their first or their last letter; tokens
                # (the article ال in front) in their last letter, or all but it.
                other_token = other.token
                if (
                    -2 <= len(other.word) - length <= 2
                    and (
                        other.word[:1] == first
                        or other.word[-1:] == last
                        or other_token[-1:] == token[-1:]
                        or other_token[:-1] == token[:-1]
                        or other_token.startswith(token)
                        or token.startswith(other_token)
                    )
                    and _similar_spelling(tok, other)
                ):
                    weight = min(idf(tok.stem), idf(other.stem))
                    tally.matched += SPELLED * weight
                    left_a.remove(tok)
                    left_b.remove(other)
                    if notes is not None:
                        notes["spelled"].append((weight, tok.token, other.token))
                    break
        if latin and left_a and left_b:  # English synonyms: centre / center
            for tok in list(left_a):
                if not tok.meanings:
                    continue
                for other in left_b:
                    if tok.meanings & other.meanings:
                        tally.matched += SPELLED * min(idf(tok.stem), idf(other.stem))
                        left_a.remove(tok)
                        left_b.remove(other)
                        break
    if (left_a or left_b) and len(ta) != len(tb):
        # A word glued from two or three words of the other record: الأممالمتحدة. Such a
        # word is rare (GLUE_RARE: its weight is at least this share of the largest).
        for side_left, seqs, other_left in ((left_a, pb.seqs, left_b), (left_b, pa.seqs, left_a)):
            for tok in list(side_left):
                if len(tok.token) < 5 or idf(tok.stem) < rare:
                    continue
                parts = _glued(tok.token, seqs)
                if parts is None:
                    continue
                side_left.remove(tok)
                part_stems = {_tok(part).stem for part in parts}
                other_left[:] = [other for other in other_left if other.stem not in part_stems]
                weight = sum(idf(stem) for stem in part_stems)
                tally.matched += GLUED * weight
                if notes is not None:
                    notes["glued"].append((weight, tok.token, parts))
    if translation and not tally.substitution:
        # Both are named in Arabic too, and their Arabic names do not differ by a word: their
        # English names are translations, which vary (Centre of Culture, Cultural Centre):
        # what one lacks is uncertain, not against.
        tally.uncertain += sum(idf(tok.stem) for tok in left_a)
        tally.uncertain += sum(idf(tok.stem) for tok in left_b)
        return
    best_a = best_b = 0.0
    for tok in left_a:
        weight = idf(tok.stem)
        tally.conflict_a += weight
        best_a = max(best_a, weight)
    for tok in left_b:
        weight = idf(tok.stem)
        tally.conflict_b += weight
        best_b = max(best_b, weight)
    if best_a and best_b:
        tally.substitution = max(tally.substitution, min(best_a, best_b))
    if notes is not None and (left_a or left_b):
        notes["left"].append(
            {
                "a": sorted(((idf(tok.stem), tok.token) for tok in left_a), reverse=True),
                "b": sorted(((idf(tok.stem), tok.token) for tok in left_b), reverse=True),
            }
        )


def _compare_across(
    ta: tuple[Tok, ...],
    tb: tuple[Tok, ...],
    idf: Callable[[str], float],
    tally: _Tally,
    flipped: bool,
    supplementary: bool = False,
) -> None:
    """Compare Arabic words of one record with Latin words of the other: by meaning
    (glossary) or by transliteration key. A word that matches nothing and whose meaning is
    unknown may be a translation: it counts as uncertain, not against. A `supplementary`
    comparison (the records already share a script; this one compares the script only one
    of them has) only adds what matches."""
    tally.compared = True
    notes = tally.notes
    left_b = list(tb)
    left_a: list[Tok] = []
    for tok in ta:
        found = None
        quality = ACROSS
        key = tok.key
        for other in left_b:
            if tok.meanings and tok.meanings & other.meanings:
                found = other
                break
            if len(key) >= 2 and key == other.key:
                found = other
                quality = ACROSS if len(key) >= 3 else 0.75
                break
            if len(key) >= 4 and len(other.key) >= 4 and _one_apart(key, other.key):
                found = other
                quality = 0.7
                break
        if found is None:
            left_a.append(tok)
            continue
        left_b.remove(found)
        weight = min(idf(tok.stem), idf(found.stem))
        if not (tok.meanings and tok.meanings & found.meanings) and key:
            weight = min(weight, idf("~" + key) + 1.0)
        tally.matched += quality * weight
        if notes is not None:
            pair = (found.token, tok.token) if flipped else (tok.token, found.token)
            notes["across"].append((weight, *pair))
    if supplementary:
        return
    best = {"a": 0.0, "b": 0.0}
    known_left: dict[str, list[tuple[float, str]]] = {"a": [], "b": []}
    for left, side in ((left_a, "a"), (left_b, "b")):
        is_a = (side == "a") != flipped
        for tok in left:
            weight = idf(tok.stem)
            if tok.meanings:  # a word of known meaning that the other record lacks
                best[side] = max(best[side], weight)
                known_left["a" if is_a else "b"].append((weight, tok.token))
                if is_a:
                    tally.conflict_a += weight
                else:
                    tally.conflict_b += weight
            else:
                tally.uncertain += weight
    if best["a"] and best["b"]:
        tally.substitution = max(tally.substitution, min(best["a"], best["b"]))
    if notes is not None and (known_left["a"] or known_left["b"]):
        notes["left"].append(
            {side: sorted(items, reverse=True) for side, items in known_left.items()}
        )


def _acronyms(pa: Profile, pb: Profile, idf: Callable[[str], float], tally: _Tally) -> str:
    """Compare acronyms; returns the shared acronym, if any."""
    if not (pa.acronyms or pb.acronyms):
        return ""
    shared = (pa.acronyms & (pb.acronyms | pb.initials)) | (pb.acronyms & pa.initials)
    if shared:
        acronym = min(shared, key=lambda item: (-len(item), item))
        tally.matched += idf("#" + acronym)
        tally.compared = True
        return acronym
    if pa.declared and pb.declared:
        weight = 0.5 * min(idf("#" + pa.declared), idf("#" + pb.declared))
        tally.conflict_a += weight
        tally.conflict_b += weight
        if tally.notes is not None:
            tally.notes["acronyms"].append((pa.declared, pb.declared))
    return ""


def _same_city(pa: Profile, pb: Profile) -> bool | None:
    """True (same place), False (different places), None (not known for both)."""
    if not pa.city or not pb.city:
        return None
    if pa.city_key and pa.city_key == pb.city_key:
        return True
    a, b = pa.city, pb.city
    if a & b:
        # غزة / قطاع غزة / Gaza: the informative words of one are all in the other
        for one, other in ((a, b), (b, a)):
            stems = {item for item in one if not item.startswith("~")}
            if stems <= other or (one - stems) <= other:
                return True
    return False


def _score(
    pa: Profile, pb: Profile, stats: Stats, explain: bool = False
) -> tuple[float, list[Reason]]:
    tally = _Tally(explain)
    idf = stats.idf
    if pa.ar and pb.ar:
        _compare_same(
            pa.ar,
            pb.ar,
            pa.ar_stems,
            pb.ar_stems,
            pa,
            pb,
            idf,
            tally,
            False,
            GLUE_RARE * stats.log_n,
        )
    if pa.lat and pb.lat:
        _compare_same(
            pa.lat,
            pb.lat,
            pa.lat_stems,
            pb.lat_stems,
            pa,
            pb,
            idf,
            tally,
            True,
            GLUE_RARE * stats.log_n,
            translation=bool(pa.ar and pb.ar),
        )
    if not tally.compared:
        if pa.ar and pb.lat:
            _compare_across(pa.ar, pb.lat, idf, tally, flipped=False)
        elif pb.ar and pa.lat:
            _compare_across(pb.ar, pa.lat, idf, tally, flipped=True)
    names_compared = tally.compared
    acronym = _acronyms(pa, pb, idf, tally)
    if not tally.compared:
        return 0.0, []
    m = tally.matched
    city = _same_city(pa, pb)
    if m <= 0:
        return 0.0, (_explain(tally, pa, pb, stats, acronym, city, 0.0) if explain else [])
    conflict = min(tally.conflict_a, tally.conflict_b)
    one_sided = max(tally.conflict_a, tally.conflict_b) - conflict
    # How specific what they share is: 1 when it is as rare as one record in the registry.
    specific = min(m / stats.log_n, 1.0)
    # Words only one has weigh less when what they share is specific: ماعت is all of one
    # record's name and one word of the other's long one.
    one_sided_weight = ONE_SIDED * (1 - SPECIFIC_SHARE * specific)
    base = m / (
        m + one_sided_weight * (one_sided + UNCERTAIN * tally.uncertain) + CONFLICT * conflict
    )
    # Sharing only common words (جمعية الشباب) says little, even when that is all there is.
    base *= min(m / (CONFIDENT * stats.log_n), 1.0)
    if tally.substitution:
        # Each has a word of its own where the other has another: that is how different
        # organizations with similar names differ. The rarer the words, the surer.
        base *= 1 - SUBSTITUTION * min(tally.substitution / stats.log_n, 1.0)
    if not names_compared:
        base = ACRONYM_ONLY
    score = base
    # Same city and country are weak evidence for names that agree; for names where each has
    # a word of its own they add nothing (two organizations of one town differ so).
    agree = not tally.substitution
    if city is True and agree:
        score += SAME_CITY
    elif city is False:
        score -= OTHER_CITY
    if pa.country and pb.country:
        if pa.country != pb.country:
            score -= OTHER_COUNTRY
        elif agree:
            score += SAME_COUNTRY
    score = min(max(score, 0.0), 1.0)
    if not explain:
        return score, []
    return score, _explain(tally, pa, pb, stats, acronym, city, base, names_compared)


def _raw_words(record: Record) -> dict[str, str]:
    """Each normalized token → the word as written, for reasons people can read."""
    found: dict[str, str] = {}
    for name in (record.name_ar, record.name_en, *record.other_names, record.city):
        for piece in name.split():
            clean = piece.strip("«»\"'()[]{},.،؛:;-–—")
            for token in arabic.tokenize(piece):
                found.setdefault(token, clean or token)
    return found


def _explain(
    tally: _Tally,
    pa: Profile,
    pb: Profile,
    stats: Stats,
    acronym: str,
    city: bool | None,
    base: float,
    names_compared: bool = True,
) -> list[Reason]:
    notes = tally.notes or {}
    raw_a, raw_b = _raw_words(pa.record), _raw_words(pb.record)

    def ra(token: str) -> str:
        return raw_a.get(token, token)

    def rb(token: str) -> str:
        return raw_b.get(token, token)

    reasons: list[Reason] = []
    lefts = notes.get("left", [])
    matches = sorted(notes.get("match", []), reverse=True)
    if names_compared and matches and not lefts and base >= 0.99:
        reasons.append(Reason("same_name"))
    elif matches:
        # "rare": rarer than one record in e^(log n / 2), i.e. than √n records
        rare = [ra(token) for weight, token in matches if weight >= 0.5 * stats.log_n]
        if rare:
            reasons.append(Reason("share", {"words": _quote(list(dict.fromkeys(rare))[:3])}))
    for _weight, token, other in sorted(notes.get("spelled", []), reverse=True)[:2]:
        reasons.append(Reason("spelled", {"first": f"«{ra(token)}»", "second": f"«{rb(other)}»"}))
    for _weight, token, parts in sorted(notes.get("glued", []), reverse=True)[:1]:
        reasons.append(Reason("glued", {"glued": f"«{token}»", "words": _quote(parts)}))
    across = sorted(notes.get("across", []), reverse=True)
    if across and not (reasons and reasons[0].code == "same_name"):
        for _weight, token, other in across[:2]:
            reasons.append(
                Reason("across_scripts", {"first": f"«{ra(token)}»", "second": f"«{rb(other)}»"})
            )
    if acronym:
        reasons.append(
            Reason(
                "acronym_only" if not names_compared else "same_acronym",
                {"acronym": acronym.upper()},
            )
        )
    for first, second in notes.get("acronyms", []):
        reasons.append(
            Reason("different_acronyms", {"first": first.upper(), "second": second.upper()})
        )
    differ = [item for item in lefts if item["a"] and item["b"]]
    if differ:
        best = max(differ, key=lambda item: min(item["a"][0][0], item["b"][0][0]))
        reasons.append(
            Reason(
                "differ",
                {"first": f"«{ra(best['a'][0][1])}»", "second": f"«{rb(best['b'][0][1])}»"},
            )
        )
    elif lefts:
        extra = [ra(t) for item in lefts for _w, t in item["a"]] + [
            rb(t) for item in lefts for _w, t in item["b"]
        ]
        reasons.append(Reason("extra", {"words": _quote(list(dict.fromkeys(extra))[:3])}))
    if city is True:
        reasons.append(Reason("same_city", {"city": pa.record.city}))
    elif city is False:
        reasons.append(
            Reason("different_cities", {"first": pa.record.city, "second": pb.record.city})
        )
    if pa.country and pb.country:
        if pa.country == pb.country:
            reasons.append(Reason("same_country"))
        else:
            reasons.append(
                Reason("different_countries", {"first": pa.country, "second": pb.country})
            )
    return reasons


# --------------------------------------------------------------------------------------------
# Blocking
# --------------------------------------------------------------------------------------------


def block_keys(
    p: Profile, stats: Stats, vocabulary: set[str] | None = None
) -> tuple[list[str], bool]:
    """The blocks a record joins, and whether a glued word of it was split to find them.

    In each of three channels (Arabic stems, Latin stems, and, for a record named in one
    script only, meanings and transliteration keys, which an Arabic name and its English
    translation share), the record's BLOCK_TERMS rarest
    terms that some other record has too: each pair of them is a block key, and one rarer
    than SINGLE_MAX (or the only one) is a key on its own. A glued Arabic word (جمعيةيافا)
    is split against the vocabulary first. Its acronyms are keys too. Two records that share
    two of their rarest terms in a channel, or one rare term, meet; a word as common as
    جمعية never makes a block by itself."""
    count = stats.count
    channels: list[list[tuple[int, str]]] = [[], [], []]
    glued = False
    for tok in p.ar:
        df = count(tok.stem)
        if df >= 2:
            channels[0].append((df, tok.stem))
        if vocabulary is not None and df <= 3 and len(tok.token) >= 6:
            for part in arabic.split_glued(tok.token, vocabulary) or ():
                glued = True
                part_tok = _tok(part)
                channels[0].append((count(part_tok.stem), part_tok.stem))
                channels[2].extend((count(term), term) for term in part_tok.sounds)
    for tok in p.lat:
        df = count(tok.stem)
        if df >= 2:
            channels[1].append((df, tok.stem))
    if not (p.ar and p.lat):
        # Meanings and keys are for meeting a record named in the other script only; a
        # record named in both meets such records by the stems of the script they share.
        for term in p.sounds:
            df = count(term)
            if df >= 2:
                channels[2].append((df, term))
    else:
        channels[2] = []
    keys: list[str] = []
    for channel in channels:
        rarest = sorted(set(channel))[:BLOCK_TERMS]
        for df, term in rarest:
            if df <= SINGLE_MAX or len(rarest) == 1:
                keys.append(term)
        for i in range(len(rarest)):
            for j in range(i + 1, len(rarest)):
                first, second = sorted((rarest[i][1], rarest[j][1]))
                keys.append(f"{first}|{second}")
    keys += ["#" + acronym for acronym in p.acronyms if count("#" + acronym) >= 2]
    return list(dict.fromkeys(keys)), glued


def _signature(p: Profile, sounds: bool) -> str:
    """What records of an oversized block are sorted by: their stems, or for a block of
    meanings and keys (records named in different scripts), their meanings and keys."""
    return " ".join(sorted(p.sounds if sounds else p.stems)) or " ".join(sorted(p.acronyms))


# --------------------------------------------------------------------------------------------
# Candidates over a whole registry
# --------------------------------------------------------------------------------------------


class Candidate:
    """A pair of records that are probably the same organization. Its reasons are worked
    out when first asked for (a registry of a million has many candidates; one reads few)."""

    __slots__ = ("a", "b", "score", "_reasons", "_explain")

    def __init__(
        self,
        a: Any,
        b: Any,
        score: float,
        reasons: Sequence[Reason] | None = None,
        explain: Callable[[], list[Reason]] | None = None,
    ) -> None:
        self.a = a  # id of the first record
        self.b = b
        self.score = score
        self._reasons = tuple(reasons) if reasons is not None else None
        self._explain = explain

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self._reasons is None:
            self._reasons = tuple(self._explain()) if self._explain else ()
            self._explain = None
        return self._reasons

    def reason_texts(self) -> list[str]:
        return [str(reason) for reason in self.reasons]

    def __repr__(self) -> str:
        return f"Candidate({self.a!r}, {self.b!r}, {self.score})"


def _registry_records() -> Iterable[Record]:
    from tahaluf.organizations.models import Organization

    rows = Organization.objects.order_by("pk").values_list(*RECORD_FIELDS)
    for pk, name_ar, name_en, other_names, acronym, city, country in rows.iterator(10_000):
        yield Record(pk, name_ar, name_en, tuple(other_names or ()), acronym, city, country)


def _vocabulary(profiles: Sequence[Profile], stats: Stats) -> set[str]:
    """Arabic words of two records or more: what a glued word may be split into."""
    vocabulary: set[str] = set()
    seen: set[Tok] = set()
    count = stats.count
    for p in profiles:
        for tok in p.ar:
            if tok in seen:
                continue
            seen.add(tok)
            if count(tok.stem) >= 2:
                vocabulary.add(tok.word)
                vocabulary.add(tok.token)
    return vocabulary


class _Blocks:
    """The blocks of a registry, and the pairs to compare in them: every pair of a block of
    at most BLOCK_CAP records; in a larger one (records whose rarest terms are common: many
    organizations with one name), each record with its WINDOW neighbours once the block is
    sorted by name. A record thus meets a bounded number of others, however common its
    words, and candidate generation grows with the registry, not with its square."""

    def __init__(
        self, profiles: Sequence[Profile], stats: Stats, vocabulary: set[str] | None
    ) -> None:
        blocks: dict[str, list[int]] = defaultdict(list)
        for index, p in enumerate(profiles):
            keys, _glued = block_keys(p, stats, vocabulary)
            for key in keys:
                blocks[key].append(index)
        # (members, whether it is a block of meanings and keys)
        self.blocks = [
            (members, key[0] in "@~") for key, members in blocks.items() if len(members) > 1
        ]
        self.oversized = sum(1 for members, _s in self.blocks if len(members) > BLOCK_CAP)
        self.profiles = profiles

    def pair_count(self) -> int:
        """An upper bound of the pairs `pairs()` yields (before removing repeats)."""
        return sum(
            len(members) * (len(members) - 1) // 2
            if len(members) <= BLOCK_CAP
            else len(members) * WINDOW
            for members, _sounds in self.blocks
        )

    def pairs(self, part: int = 0, parts: int = 1) -> Iterable[tuple[int, int]]:
        """Each pair once (i < j); with `parts`, only the pairs whose i % parts == part."""
        seen: set[int] = set()
        size = len(self.profiles)
        signatures: tuple[dict[int, str], dict[int, str]] = ({}, {})
        for members, sounds in self.blocks:
            if len(members) <= BLOCK_CAP:
                for x, i in enumerate(members):
                    if parts > 1 and i % parts != part:
                        continue
                    for j in members[x + 1 :]:
                        code = i * size + j
                        if code not in seen:
                            seen.add(code)
                            yield i, j
                continue
            signature = signatures[sounds]
            for index in members:
                if index not in signature:
                    signature[index] = _signature(self.profiles[index], sounds)
            ordered = sorted(members, key=signature.__getitem__)
            for x, first in enumerate(ordered):
                for second in ordered[x + 1 : x + 1 + WINDOW]:
                    i, j = (first, second) if first < second else (second, first)
                    if parts > 1 and i % parts != part:
                        continue
                    code = i * size + j
                    if code not in seen:
                        seen.add(code)
                        yield i, j


def _score_pairs(
    pairs: Iterable[tuple[int, int]],
    profiles: Sequence[Profile],
    stats: Stats,
    min_score: float,
    progress: ProgressCallback | None = None,
    total: int = 0,
) -> tuple[list[tuple[int, int, float]], int]:
    """The pairs scoring min_score or above, and how many pairs were scored."""
    found: list[tuple[int, int, float]] = []
    seen = 0
    for i, j in pairs:
        seen += 1
        score, _reasons = _score(profiles[i], profiles[j], stats)
        if score >= min_score:
            found.append((i, j, score))
        if progress is not None and seen % 100_000 == 0:
            progress("comparing", min(seen, total), total)
    return found, seen


_FORK_STATE: dict[str, Any] = {}


def _worker(args: tuple[int, int, float]) -> tuple[list[tuple[int, int, float]], int]:
    part, parts, min_score = args
    state = _FORK_STATE
    return _score_pairs(
        state["blocks"].pairs(part, parts), state["profiles"], state["stats"], min_score
    )


def candidates(
    min_score: float | None = None,
    *,
    organizations: Iterable[Any] | None = None,
    progress: ProgressCallback | None = None,
    processes: int | None = None,
    timings: dict[str, float] | None = None,
) -> list[Candidate]:
    """Every pair of organizations scoring at least `min_score` (default: the review score),
    best first, with reasons. `organizations` (Organization objects, Records or mappings)
    defaults to the whole registry; document frequencies are counted over the same records.
    `timings` (a dict) receives the seconds each phase took and the numbers of pairs."""
    import gc

    from django.conf import settings

    if min_score is None:
        min_score = settings.TAHALUF_DUPLICATE_REVIEW_SCORE
    # Millions of small objects that live until the end: the cyclic garbage collector would
    # walk them over and over (and, in the worker processes, copy every page it touches).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _candidates(min_score, organizations, progress, processes, timings)
    finally:
        if collecting:
            gc.enable()


def _candidates(
    min_score: float,
    organizations: Iterable[Any] | None,
    progress: ProgressCallback | None,
    processes: int | None,
    timings: dict[str, float] | None,
) -> list[Candidate]:
    clock = time.perf_counter()
    marks: dict[str, float] = timings if timings is not None else {}
    source = _registry_records() if organizations is None else map(as_record, organizations)
    profiles: list[Profile] = []
    for record in source:
        profiles.append(profile(record))
        if progress is not None and len(profiles) % 50_000 == 0:
            progress("reading", len(profiles), len(profiles))
    marks["records"] = len(profiles)
    marks["profiles"] = time.perf_counter() - clock
    stats = Stats.of(profiles)
    vocabulary = _vocabulary(profiles, stats)
    marks["statistics"] = time.perf_counter() - clock
    blocks = _Blocks(profiles, stats, vocabulary)
    total = blocks.pair_count()
    marks["blocks"] = len(blocks.blocks)
    marks["oversized_blocks"] = blocks.oversized
    marks["blocking"] = time.perf_counter() - clock
    if progress is not None:
        progress("comparing", 0, total)
    parts = processes if processes is not None else _processes(total)
    if parts > 1:
        import multiprocessing

        _FORK_STATE.update(blocks=blocks, profiles=profiles, stats=stats)
        try:
            with multiprocessing.get_context("fork").Pool(parts) as pool:
                results = pool.map(_worker, [(part, parts, min_score) for part in range(parts)])
        finally:
            _FORK_STATE.clear()
        found = [item for chunk, _seen in results for item in chunk]
        marks["pairs"] = sum(seen for _chunk, seen in results)
    else:
        found, marks["pairs"] = _score_pairs(
            blocks.pairs(), profiles, stats, min_score, progress, total
        )
    if progress is not None:
        progress("comparing", total, total)
    marks["comparing"] = time.perf_counter() - clock

    def explain(a: Profile, b: Profile) -> Callable[[], list[Reason]]:
        return lambda: _score(a, b, stats, explain=True)[1]

    result = [
        Candidate(
            profiles[i].id,
            profiles[j].id,
            round(score, 3),
            explain=explain(profiles[i], profiles[j]),
        )
        for i, j, score in found
    ]
    result.sort(key=lambda item: -item.score)
    marks["found"] = len(result)
    marks["total"] = time.perf_counter() - clock
    return result


def _processes(pairs: int) -> int:
    import os

    if pairs < 500_000:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def score_pair(a: Any, b: Any, *, stats: Stats | None = None) -> tuple[float, list[Reason]]:
    """How likely `a` and `b` (organizations, Records or mappings) are one organization:
    a score in [0, 1] and the reasons. Document frequencies are those of the whole registry
    unless `stats` is given."""
    pa, pb = profile(a), profile(b)
    if stats is None:
        stats = database_stats()
        stats.prepare(terms(pa) | terms(pb))
    score, reasons = _score(pa, pb, stats, explain=True)
    return round(score, 3), reasons


# --------------------------------------------------------------------------------------------
# The per-record lookup: DuplicateKey, the registry's terms
# --------------------------------------------------------------------------------------------

_CACHE_SECONDS = 600.0


class DatabaseStats(Stats):
    """Document frequencies counted in DuplicateKey. The counts of common terms (and the size
    of a large registry) are kept for ten minutes: they are what costs to count, and they
    hardly move."""

    _common: dict[str, int] = {}  # terms in COMMON records or more, shared by instances
    _common_at = 0.0
    _size: tuple[float, int] = (0.0, 0)
    COMMON = 1000

    def __init__(self) -> None:
        now = time.monotonic()
        if now - DatabaseStats._common_at > _CACHE_SECONDS:
            DatabaseStats._common = {}
            DatabaseStats._common_at = now
        at, size = DatabaseStats._size
        if now - at > _CACHE_SECONDS or size < 10 * self.COMMON:
            size = _organization_count()
            DatabaseStats._size = (now, size)
        super().__init__(size, {})
        self.counts: dict[str, int] = {}
        self.complete = False
        self.extra: Counter[str] = Counter()  # records not in the registry yet (CSV rows)

    def add(self, profiles: Sequence[Profile]) -> None:
        """Count these records too (rows about to be imported)."""
        for p in profiles:
            self.extra.update(terms(p))
        self.n += len(profiles)
        self.log_n = math.log(1 + self.n)
        self.weights.clear()

    def prepare(self, wanted: Iterable[str]) -> None:
        from django.db.models import Count

        from tahaluf.search.models import DuplicateKey

        if self.complete:
            return
        common = DatabaseStats._common
        missing = [term for term in set(wanted) if term not in self.counts and term not in common]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            found = dict(
                DuplicateKey.objects.filter(key__in=chunk)
                .values("key")
                .annotate(n=Count("id"))
                .values_list("key", "n")
            )
            for term in chunk:
                value = found.get(term, 0)
                self.counts[term] = value
                if value >= self.COMMON:
                    common[term] = value

    def count(self, term: str) -> int:
        return self.registry_count(term) + self.extra.get(term, 0)

    def registry_count(self, term: str) -> int:
        value = self.counts.get(term)
        if value is None:
            if self.complete:  # every term of the registry was read: this one is in none
                return 0
            value = DatabaseStats._common.get(term)
            if value is None:
                self.prepare([term])
                value = self.counts[term]
        return value


def _organization_count() -> int:
    from tahaluf.organizations.models import Organization

    return Organization.objects.count()


def database_stats() -> DatabaseStats:
    return DatabaseStats()


def _lookup(
    profiles: Sequence[Profile], stats: DatabaseStats, exclude: set[Any]
) -> dict[int, set[int]]:
    """For each profile (by position), the organizations sharing its rarest terms: the
    ONE_LIMIT that share the most of them."""
    from tahaluf.search.models import DuplicateKey

    wanted: dict[str, list[int]] = defaultdict(list)
    for position, p in enumerate(profiles):
        own = sorted((stats.count(term), term) for term in stored_terms(p))
        for _df, term in [item for item in own if 1 <= item[0] <= ONE_CAP][:6]:
            wanted[term].append(position)
    found: dict[int, Counter[int]] = defaultdict(Counter)
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for key, organization_id in DuplicateKey.objects.filter(key__in=chunk).values_list(
            "key", "organization_id"
        ):
            if organization_id in exclude:
                continue
            for position in wanted[key]:
                found[position][organization_id] += 1
    return {
        position: {pk for pk, _n in counter.most_common(ONE_LIMIT)}
        for position, counter in found.items()
    }


def _records_by_pk(pks: Iterable[int], queryset: Any = None) -> dict[int, Record]:
    from tahaluf.organizations.models import Organization

    queryset = Organization.objects.all() if queryset is None else queryset
    records: dict[int, Record] = {}
    pks = list(pks)
    for start in range(0, len(pks), 500):
        for row in queryset.filter(pk__in=pks[start : start + 500]).values_list(*RECORD_FIELDS):
            pk, name_ar, name_en, other_names, acronym, city, country = row
            records[pk] = Record(
                pk, name_ar, name_en, tuple(other_names or ()), acronym, city, country
            )
    return records


def duplicates_of(
    organization: Any,
    min_score: float | None = None,
    *,
    queryset: Any = None,
    limit: int = 20,
) -> list[Candidate]:
    """Organizations of the registry (only those of `queryset`, when given: those a viewer
    may see) that are probably the same as `organization`, best first, with reasons. Looks
    up the organization's rarest terms in DuplicateKey, then scores the organizations that
    share the most of them."""
    from django.conf import settings

    from tahaluf.search.services import apply_pending

    if min_score is None:
        min_score = settings.TAHALUF_DUPLICATE_REVIEW_SCORE
    apply_pending()  # the keys follow the index: changes just made are in
    me = profile(organization)
    stats = database_stats()
    stats.prepare(terms(me))
    found = _lookup([me], stats, exclude={me.id}).get(0, set())
    if not found:
        return []
    others = [profile(record) for record in _records_by_pk(found, queryset).values()]
    stats.prepare(set().union(*(terms(p) for p in others)) if others else ())
    result = []
    for other in others:
        score, _reasons = _score(me, other, stats)
        if score >= min_score:
            result.append(
                Candidate(
                    me.id, other.id, round(score, 3), _score(me, other, stats, explain=True)[1]
                )
            )
    result.sort(key=lambda item: (-item.score, item.b))
    return result[:limit]


@dataclass(frozen=True)
class RowDuplicate:
    """A CSV row that is probably an organization already in the registry."""

    row: int  # row number in the file (1 = the header)
    external_id: str
    name: str
    organization_id: int
    organization_name: str
    score: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "external_id": self.external_id,
            "name": self.name,
            "organization_id": self.organization_id,
            "organization_name": self.organization_name,
            "score": self.score,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowDuplicate:
        return cls(
            row=int(data["row"]),
            external_id=str(data["external_id"]),
            name=str(data["name"]),
            organization_id=int(data["organization_id"]),
            organization_name=str(data["organization_name"]),
            score=float(data["score"]),
            reasons=tuple(Reason.from_dict(item) for item in data.get("reasons", [])),
        )

    def reason_texts(self) -> list[str]:
        return [str(reason) for reason in self.reasons]


ROWS_CHUNK = 2000  # rows checked together
ROW_TERMS = 4  # a row's rarest terms looked up
ROW_POSTING_CAP = 20  # a term of more records is looked up only together with another one
PAIR_POSTING_CAP = 5000  # a term of more records is not looked up at all
ROW_CANDIDATES = 5  # records scored for one row, those sharing the most terms first


def _postings(terms_wanted: Iterable[str]) -> dict[str, list[int]]:
    from tahaluf.search.models import DuplicateKey

    found: dict[str, list[int]] = defaultdict(list)
    wanted = list(terms_wanted)
    for start in range(0, len(wanted), 500):
        for key, organization_id in DuplicateKey.objects.filter(
            key__in=wanted[start : start + 500]
        ).values_list("key", "organization_id"):
            found[key].append(organization_id)
    return found


def _row_candidates(
    p: Profile, stats: DatabaseStats, postings: Mapping[str, list[int]]
) -> list[int]:
    """The registry records to score for one row: those having one of its rare terms, or its
    two rarest terms together (if that is as rare); those sharing the most first, at most
    ROW_CANDIDATES."""
    # Rare: in at most ROW_POSTING_CAP records, and in a small registry (where every word is
    # in few records) in at most √n of them.
    cap = max(2, min(ROW_POSTING_CAP, int(math.sqrt(stats.n))))
    rarest = [
        term
        for _df, term in sorted(
            (stats.count(term), term)
            for term in stored_terms(p)
            if stats.count(term) <= PAIR_POSTING_CAP and stats.registry_count(term)
        )
    ][:ROW_TERMS]
    shared: Counter[int] = Counter()
    for term in rarest:
        if stats.count(term) <= cap:
            shared.update(postings.get(term, ()))
    if len(rarest) >= 2:
        both = set(postings.get(rarest[0], ())).intersection(postings.get(rarest[1], ()))
        if len(both) <= cap:  # else even together they are common words
            shared.update(both)
    return [pk for pk, _n in shared.most_common(ROW_CANDIDATES)]


IN_MEMORY_TERMS = 300_000  # a registry with fewer terms is read whole for the import check


def _registry_in_memory() -> tuple[DatabaseStats, dict[str, list[int]]] | None:
    """For a registry small enough (up to IN_MEMORY_TERMS terms, some 20,000 organizations),
    all its terms at once: the statistics and the postings, without a query per row."""
    from tahaluf.search.models import DuplicateKey

    if DuplicateKey.objects.count() > IN_MEMORY_TERMS:
        return None
    postings: dict[str, list[int]] = defaultdict(list)
    for key, organization_id in DuplicateKey.objects.values_list("key", "organization_id"):
        postings[key].append(organization_id)
    stats = DatabaseStats()
    stats.counts = {key: len(ids) for key, ids in postings.items()}
    stats.complete = True
    return stats, postings


def likely_duplicates_for_rows(
    rows: Sequence[Mapping[str, Any]], min_score: float | None = None, *, limit: int = 1000
) -> list[RowDuplicate]:
    """CSV rows (as the importer reads them: name_ar, name_en, acronym, city, country,
    external_id, _row) that are probably organizations already in the registry, each with
    its best match scoring at least `min_score` (default: the review score), in the order of
    the file; the check stops once `limit` rows are found.

    Costs nothing when the registry is empty. Otherwise each row costs one analysis of its
    names and at most ROW_CANDIDATES comparisons, however common its words: it is compared
    with the records that have one of its rarest terms, or its two rarest together."""
    from django.conf import settings

    from tahaluf.search.models import DuplicateKey
    from tahaluf.search.services import apply_pending

    if min_score is None:
        min_score = settings.TAHALUF_DUPLICATE_REVIEW_SCORE
    merge_score = settings.TAHALUF_DUPLICATE_MERGE_SCORE
    if not rows:
        return []
    apply_pending()
    if not DuplicateKey.objects.exists():
        return []
    memory = _registry_in_memory()
    stats: DatabaseStats = memory[0] if memory else database_stats()
    # How rare a word is counts over the registry as it will be: the rows included (in a
    # small registry every word is rare; in the file, الخيرية is not).
    all_profiles = [profile(row) for row in rows]
    stats.add(all_profiles)
    others: dict[int, Profile] = {}
    records: dict[int, Record] = {}
    result: list[RowDuplicate] = []
    for start in range(0, len(rows), ROWS_CHUNK):
        chunk = rows[start : start + ROWS_CHUNK]
        profiles = all_profiles[start : start + ROWS_CHUNK]
        if memory:
            postings: Mapping[str, list[int]] = memory[1]
        else:
            stats.prepare(set().union(*(terms(p) for p in profiles)))
            postings = _postings(
                {
                    term
                    for p in profiles
                    for term in stored_terms(p)
                    if stats.count(term) <= PAIR_POSTING_CAP and stats.registry_count(term)
                }
            )
        chosen = [_row_candidates(p, stats, postings) for p in profiles]
        missing = {pk for pks in chosen for pk in pks if pk not in records}
        records.update(_records_by_pk(missing))
        for pk in missing:
            if pk in records:
                others[pk] = profile(records[pk])
        stats.prepare(
            set().union(*(terms(others[pk]) for pk in missing if pk in others)) if missing else ()
        )
        for position, pks in enumerate(chosen):
            best: tuple[float, int] | None = None
            for pk in pks:
                other = others.get(pk)
                if other is None:
                    continue
                score, _reasons = _score(profiles[position], other, stats)
                if score >= min_score and (best is None or score > best[0]):
                    best = (score, pk)
                    if score >= merge_score:  # as sure as it gets: no need to look further
                        break
            if best is None:
                continue
            score, reasons = _score(profiles[position], others[best[1]], stats, explain=True)
            row = chunk[position]
            record = records[best[1]]
            result.append(
                RowDuplicate(
                    row=int(row.get("_row", start + position + 2)),
                    external_id=str(row.get("external_id", "")),
                    name=str(row.get("name_ar") or row.get("name_en") or ""),
                    organization_id=best[1],
                    organization_name=record.name_ar or record.name_en,
                    score=round(score, 3),
                    reasons=tuple(reasons),
                )
            )
            if len(result) >= limit:
                return result
    return result


# Keeping DuplicateKey in step with the organizations ----------------------------------------


def keys_changed(type_name: str, ids: Sequence[int]) -> None:
    """Refresh the terms of these organizations (deleted ones lose theirs)."""
    if type_name != "organization" or not ids:
        return
    from django.db import transaction

    from tahaluf.search.models import DuplicateKey

    records = _records_by_pk(ids)
    with transaction.atomic():
        DuplicateKey.objects.filter(organization_id__in=list(ids)).delete()
        insert_keys(records.values())


def insert_keys(records: Iterable[Any]) -> int:
    """Write the terms of these records (Records, or anything with their fields)."""
    from django.db import connection

    from tahaluf.search.models import DuplicateKey

    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}, {}) VALUES (%s, %s)".format(
        quote(DuplicateKey._meta.db_table), quote("key"), quote("organization_id")
    )
    rows: list[tuple[str, int]] = []
    for item in records:
        p = profile(item)
        rows.extend((term[:100], p.id) for term in stored_terms(p))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
    return len(rows)


def rebuild_keys(progress: ProgressCallback | None = None) -> int:
    """Rebuild DuplicateKey from the organizations table; returns the number of terms."""
    from django.db import transaction

    from tahaluf.organizations.models import Organization
    from tahaluf.search.models import DuplicateKey

    total = Organization.objects.count()
    with transaction.atomic():
        DuplicateKey.objects.all().delete()
        batch: list[Record] = []
        count = done = 0
        for record in _registry_records():
            batch.append(record)
            if len(batch) >= 10_000:
                count += insert_keys(batch)
                done += len(batch)
                batch = []
                if progress is not None:
                    progress("duplicate keys", done, total)
        count += insert_keys(batch)
        if progress is not None:
            progress("duplicate keys", total, total)
    return count


class KeysFollower:
    """Registered with the search index (services.follow): DuplicateKey follows the same
    pending changes as the index, and is rebuilt (by the worker) when the index is."""

    def changed(self, type_name: str, ids: Sequence[int]) -> None:
        keys_changed(type_name, ids)

    def rebuilt(self) -> None:
        from tahaluf.search.tasks import rebuild_duplicate_keys

        rebuild_duplicate_keys.enqueue()


KEYS_FOLLOWER = KeysFollower()
