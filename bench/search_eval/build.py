"""Build the labelled evaluation set for Arabic-aware search and duplicate detection.

Writes next to this file (or into --out DIR):

  corpus.jsonl   the organizations the queries run against: every organization the five seeds
                 name (ids and names from tahaluf/demo/data.py), about ninety real organizations
                 written out by hand (lexicon.FIXTURES), and about 5,000 synthetic ones combined
                 from the word lists in lexicon.py so that most names have near-twins that differ
                 by one informative word (بلدية الخليل / بلدية نابلس).
  queries.jsonl  labelled queries in 15 classes (spelling variations, affixes, glued words,
                 typos, scripts, acronyms, English, exact names, controls).
  pairs.jsonl    labelled pairs for duplicate detection.

Plain Python, no Django and nothing from tahaluf.search: the labels must not depend on the code
they measure. The only project import is tahaluf/demo/data.py, read as plain data.

How relevance is decided (see README.md): every query is built from a *clean* text, words taken
from a record's true name. A record is relevant when its names contain every word of the clean
text or every word of what was typed, under the reference normalization `ref_norm` below
(letters that Arabic writers use interchangeably are folded, diacritics dropped, attached
particles و ف ب ك ل may be detached but the article ال is kept). That rule is deliberately
simple and conservative; it is written here, not in the search code, so that the search code can
be judged by it.

Run:  .venv/bin/python bench/search_eval/build.py       (the same bytes every time)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import hand_queries as H  # noqa: E402
import lexicon as L  # noqa: E402

from tahaluf.demo.data import ORGANIZATIONS as SEED_ORGANIZATIONS  # noqa: E402  (plain data)

SEED = 20260603  # fixed: the same files on every run
SYNTHETIC_TARGET = 5000  # synthetic organizations, fixtures not counted
MAX_RELEVANT = 6  # a generated query is kept only if at most this many records are relevant
MAX_RELEVANT_HAND = 10  # hand-written queries (recall@10 stays reachable)
MAX_RELEVANT_CONTROL = 200  # controls are scored at rank 1 only


def rng_for(part: str) -> random.Random:
    """One random stream per part, so that changing one part does not reshuffle the others."""
    return random.Random(f"{SEED}:{part}")


# =========================================================================================
# 1. The reference normalization (labels only)
# =========================================================================================

FATHA, DAMMA, KASRA, SUKUN = "\u064e", "\u064f", "\u0650", "\u0652"
HARAKAT = FATHA + DAMMA + KASRA + SUKUN
TANWEEN = "\u064b\u064c\u064d"
SHADDA = "\u0651"
TATWEEL = "\u0640"
DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",  # hamza and madda on alef
        "ؤ": "ء",
        "ئ": "ء",  # hamza on waw and yaa: one seat (المسؤولية = المسئولية)
        "ى": "ي",  # alef maqsura
        "ة": "ه",  # taa marbuta
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Eastern Arabic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
APOSTROPHES_RE = re.compile("['’‘`ʼ]")
NON_WORD_RE = re.compile(r"[^\w]+")


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def ref_norm(text: str) -> str:
    """Fold what Arabic (and Latin) writers use interchangeably; keep everything else."""
    text = unicodedata.normalize("NFKC", text)
    text = DIACRITICS_RE.sub("", text).translate(FOLD)
    text = "".join(
        unicodedata.normalize("NFKD", c)[0] if "LATIN" in unicodedata.name(c, "") else c
        for c in text
    )
    text = APOSTROPHES_RE.sub("", text.lower())
    return " ".join(NON_WORD_RE.sub(" ", text).replace("_", " ").split())


def ref_tokens(text: str) -> list[str]:
    return ref_norm(text).split()


# Particles written attached to the next word. The article ال is part of the word: الرام is not
# رام (الله), الخليل is not خليل. و ف ب ك ل before ال, and لل (= ل + ال), are detached.
ARTICLE_PARTICLES = ("وبال", "وال", "فال", "بال", "كال")
LAM_ARTICLE = ("ولل", "فلل", "لل")
BARE_PARTICLES = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ك", "ل")


def forms(token: str, vocab: set[str]) -> set[str]:
    """The word a (normalized) token may stand for once attached particles are taken off.

    A bare particle is taken off only if what remains has at least four letters and is a word
    of the corpus on its own (بنابلس → نابلس, لحقوق → حقوق; كريم stays كريم)."""
    out = {token}
    if not is_arabic(token):
        return out
    for p in ARTICLE_PARTICLES:
        if token.startswith(p) and len(token) > len(p) + 1:
            out.add("ال" + token[len(p) :])
    for p in LAM_ARTICLE:
        if token.startswith(p) and len(token) > len(p) + 1:
            out.add("ال" + token[len(p) :])
            out.add("ال" + "ل" + token[len(p) :])  # للجان = ل + اللجان
    for p in BARE_PARTICLES:
        rest = token[len(p) :]
        if token.startswith(p) and len(rest) >= 4 and rest in vocab:
            out.add(rest)
    return out


# =========================================================================================
# 2. Organizations
# =========================================================================================


@dataclass
class Org:
    id: str
    name_ar: str  # as stored (may carry the defects real data has)
    name_en: str
    acronym: str = ""
    other_names: list[str] = field(default_factory=list)
    city: str = ""
    country: str = ""
    kind: str = "ngo"
    # Not written to corpus.jsonl:
    true_ar: str = ""  # the name as it should be spelled; labels are decided on it
    hidden_en: str = ""  # the English name of an Arabic-only record (for translit pairs)
    family: str = ""  # which generator made it
    slots: dict = field(default_factory=dict)  # the words that filled the template
    defects: list[str] = field(default_factory=list)  # what was done to the stored name

    def public(self) -> dict:
        return {
            "id": self.id,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "acronym": self.acronym,
            "other_names": self.other_names,
            "city": self.city,
            "country": self.country,
            "kind": self.kind,
        }

    def name_texts(self) -> list[str]:
        return [self.true_ar, self.name_ar, self.name_en, self.acronym, *self.other_names]

    def for_pair(self) -> dict:
        return {
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "acronym": self.acronym,
            "city": self.city,
            "country": self.country,
        }


def lam(phrase: str) -> str:
    """ل + phrase, as Arabic writes it: ل + الثقافة = للثقافة, ل + اللجان = للجان."""
    first, _, rest = phrase.partition(" ")
    if first.startswith("ال"):
        stem = first[2:]
        first = ("ل" if stem.startswith("ل") else "لل") + stem
    else:
        first = "ل" + first
    return f"{first} {rest}".strip()


def english_initials(name_en: str) -> str:
    skip = {"of", "for", "the", "and", "in", "to", "a"}
    words = [w for w in re.split(r"[\s\-–/]+", name_en) if w and w.lower() not in skip]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


TOWNS = {ar: (en, alts, lg) for ar, en, alts, lg in L.PS_TOWNS}
CITY_EN = {ar: en for ar, en, *_ in L.PS_TOWNS} | {ar: en for ar, en, _c, _a in L.ARAB_CITIES}
CITY_COUNTRY = {ar: "PS" for ar, *_ in L.PS_TOWNS} | {ar: c for ar, _e, c, _a in L.ARAB_CITIES}
CAMP_EN = {ar: en for ar, en, _ in L.PS_CAMPS + L.JERUSALEM_QUARTERS}
ADJ_M = {f: m for f, m, _ in L.ADJ}
ADJ_EN = {f: en for f, _m, en in L.ADJ}
COUNTRY_AR = {
    "PS": "فلسطين",
    "EG": "مصر",
    "MA": "المغرب",
    "JO": "الأردن",
    "LB": "لبنان",
    "TN": "تونس",
    "IQ": "العراق",
    "YE": "اليمن",
    "SD": "السودان",
    "KW": "الكويت",
    "LY": "ليبيا",
}


PALESTINIAN_PROPER = {
    "يافا",
    "حيفا",
    "عكا",
    "الجليل",
    "بيسان",
    "الكرمل",
    "الأقصى",
    "العودة",
    "كنعان",
    "البيادر",
    "الزيتونة",
}
NATIONALITY_WORDS = {ref_norm(w) for nat in L.NAT for w in nat[:4] if w}


class CorpusBuilder:
    def __init__(self) -> None:
        self.orgs: list[Org] = []
        self.full_keys: set[tuple[str, ...]] = set()
        self.bare_keys_without_nat: set[tuple] = set()
        self.bare_keys_with_nat: set[tuple] = set()
        self.rng = rng_for("corpus")
        self.counter = 0

    @staticmethod
    def content_key(name: str) -> tuple[str, ...]:
        """A name's words in any order, without العام and with لل read as ال: names with the
        same key are the same name written another way."""
        out = []
        for t in ref_tokens(name):
            if t.startswith("لل") and len(t) > 3:
                t = "ال" + t[2:]
            if t != "العام":
                out.append(t)
        return tuple(sorted(out))

    def conflicts(self, org: Org) -> bool:
        """Would this record be the same organization as one already made? Same name up to word
        order, العام and particles (also any other name of it), or the same name with or without
        a nationality word in the same country (الاتحاد العام للمراكز الرياضية in Palestine =
        الاتحاد العام الفلسطيني للمراكز الرياضية)."""
        names = [org.true_ar, *[n for n in org.other_names if is_arabic(n)]]
        for name in filter(None, names):
            key = self.content_key(name)
            bare = tuple(t for t in key if t not in NATIONALITY_WORDS)
            if key in self.full_keys:
                return True
            if bare != key and (bare, org.country) in self.bare_keys_without_nat:
                return True
            if bare == key and (key, org.country) in self.bare_keys_with_nat:
                return True
        return False

    def register(self, org: Org) -> None:
        names = [org.true_ar, *[n for n in org.other_names if is_arabic(n)]]
        for name in filter(None, names):
            key = self.content_key(name)
            bare = tuple(t for t in key if t not in NATIONALITY_WORDS)
            self.full_keys.add(key)
            if bare == key:
                self.bare_keys_without_nat.add((key, org.country))
                self.bare_keys_without_nat.add((key, ""))
            else:
                self.bare_keys_with_nat.add((bare, org.country))
        if not org.true_ar:
            self.full_keys.add(("en:" + ref_norm(org.name_en),))

    def add(self, org: Org, *, same_name_ok: bool = False) -> Org | None:
        if not same_name_ok:
            if org.true_ar and self.conflicts(org):
                return None
            if not org.true_ar and ("en:" + ref_norm(org.name_en),) in self.full_keys:
                return None
        self.register(org)
        self.orgs.append(org)
        return org

    def synthetic(
        self,
        family: str,
        ar: str,
        en: str,
        *,
        kind: str = "ngo",
        city: str = "",
        country: str = "",
        arabic_only: float = 0.0,
        acronym_p: float = 0.0,
        slots: dict | None = None,
        same_name_ok: bool = False,
    ) -> Org | None:
        rng = self.rng
        acronym = ""
        if en and rng.random() < acronym_p:
            initials = english_initials(en)
            acronym = initials if 3 <= len(initials) <= 6 else ""
        hidden_en = ""
        if ar and rng.random() < arabic_only:
            hidden_en, en, acronym = en, "", ""
        org = Org(
            id="",
            name_ar=ar,
            name_en=en,
            acronym=acronym,
            city=city,
            country=country,
            kind=kind,
            true_ar=ar,
            hidden_en=hidden_en,
            family=family,
            slots=slots or {},
        )
        if self.add(org, same_name_ok=same_name_ok) is None:
            return None
        self.counter += 1
        org.id = f"syn-{self.counter:05d}"
        return org

    # --- where an organization is ----------------------------------------------------------

    def place(self, proper: str = "") -> tuple[str, str]:
        """A city (Arabic) and country, skewed like an Arab civil-society directory. A name
        after a Palestinian place (يافا, الجليل, العودة...) stays in Palestine."""
        rng = self.rng
        if proper in PALESTINIAN_PROPER or rng.random() < 0.6:
            towns = [t[0] for t in L.PS_TOWNS]
            town = rng.choice(towns[:20]) if rng.random() < 0.6 else rng.choice(towns)
            return town, "PS"
        ar, _en, country, _alts = rng.choice(L.ARAB_CITIES)
        return ar, country

    def ps_town(self) -> str:
        towns = [t[0] for t in L.PS_TOWNS]
        return self.rng.choice(towns[:30]) if self.rng.random() < 0.7 else self.rng.choice(towns)

    # --- the families of names -------------------------------------------------------------

    def fill(self, quota: int, make) -> None:
        made = tries = 0
        while made < quota and tries < quota * 40:
            tries += 1
            if make() is not None:
                made += 1

    def build(self) -> None:
        rng = self.rng
        P = L.PROPER
        F = L.FIELDS

        # Local authorities: every Palestinian locality, and cities abroad.
        for ar, en, _alts, lg in L.PS_TOWNS:
            if lg == "m":
                self.synthetic(
                    "municipality",
                    f"بلدية {ar}",
                    f"{en} Municipality",
                    kind="local_authority",
                    city=ar,
                    country="PS",
                    arabic_only=0.1,
                    slots={"town": ar},
                )
            else:
                self.synthetic(
                    "village_council",
                    f"مجلس قروي {ar}",
                    f"{en} Village Council",
                    kind="local_authority",
                    city=ar,
                    country="PS",
                    arabic_only=0.6,
                    slots={"town": ar},
                )
        for country, (pat_ar, pat_en, cities) in L.ABROAD_LOCAL.items():
            for city in cities:
                self.synthetic(
                    "municipality_abroad",
                    pat_ar.format(city),
                    pat_en.format(CITY_EN[city]),
                    kind="local_authority",
                    city=city,
                    country=country,
                    arabic_only=0.1,
                    slots={"town": city},
                )
        for gov_ar, gov_en in L.GOVERNORATES[:10]:
            self.synthetic(
                "municipal_union",
                f"اتحاد بلديات محافظة {gov_ar}",
                f"Union of Municipalities of {gov_en} Governorate",
                kind="union",
                city=gov_ar.split(" و")[0],
                country="PS",
                slots={"gov": gov_ar},
            )

        def assoc_proper():
            p_ar, p_en, _ = rng.choice(P)
            adj = rng.choice(L.ASSOC_ADJ)
            city, country = self.place(p_ar)
            return self.synthetic(
                "assoc_proper",
                f"جمعية {p_ar} {adj}",
                f"{p_en} {ADJ_EN[adj]} Society",
                city=city,
                country=country,
                arabic_only=0.3,
                slots={"proper": p_ar, "adj": adj},
            )

        def assoc_town():
            town = self.ps_town()
            adj = rng.choice(L.ASSOC_ADJ)
            return self.synthetic(
                "assoc_town",
                f"جمعية {town} {adj}",
                f"{CITY_EN[town]} {ADJ_EN[adj]} Society",
                city=town,
                country="PS",
                arabic_only=0.3,
                slots={"town": town, "adj": adj},
            )

        def assoc_cause():
            cause_ar, cause_en = rng.choice(L.CAUSES)
            town = self.ps_town()
            style = rng.random()
            if style < 0.5:
                ar, en = f"جمعية {cause_ar} - {town}", f"{cause_en} Society - {CITY_EN[town]}"
            elif style < 0.75:
                ar, en = f"جمعية {cause_ar} في {town}", f"{cause_en} Society in {CITY_EN[town]}"
            else:
                ar, en = f"جمعية {cause_ar} {'ب' + town}", f"{cause_en} Society, {CITY_EN[town]}"
            return self.synthetic(
                "assoc_cause",
                ar,
                en,
                city=town,
                country="PS",
                arabic_only=0.3,
                slots={"cause": cause_ar, "town": town},
            )

        def assoc_national():
            adj_f, _m, adj_en = rng.choice(L.ADJ)
            nat = rng.choice(L.NAT)
            return self.synthetic(
                "assoc_national",
                f"الجمعية {adj_f} {nat[0]}",
                f"{nat[4]} {adj_en} Association",
                country=nat[5],
                arabic_only=0.1,
                acronym_p=0.3,
                slots={"adj": adj_f, "nat": nat[0]},
            )

        def center_proper():
            p_ar, p_en, _ = rng.choice(P)
            f_ar, f_en = rng.choice(F)
            city, country = self.place(p_ar)
            center = "Centre" if rng.random() < 0.15 else "Center"
            return self.synthetic(
                "center_proper",
                f"مركز {p_ar} {lam(f_ar)}",
                f"{p_en} {center} for {f_en}",
                city=city,
                country=country,
                arabic_only=0.2,
                acronym_p=0.3,
                slots={"proper": p_ar, "field": f_ar},
            )

        def center_town():
            town = self.ps_town()
            f_ar, f_en = rng.choice(F)
            return self.synthetic(
                "center_town",
                f"مركز {town} {lam(f_ar)}",
                f"{CITY_EN[town]} Center for {f_en}",
                city=town,
                country="PS",
                arabic_only=0.2,
                acronym_p=0.3,
                slots={"town": town, "field": f_ar},
            )

        def center_national():
            adj_f, adj_m, adj_en = rng.choice(L.ADJ)
            nat = rng.choice(L.NAT)
            return self.synthetic(
                "center_national",
                f"المركز {adj_m} {nat[1]}",
                f"{nat[4]} {adj_en} Center",
                country=nat[5],
                arabic_only=0.1,
                acronym_p=0.3,
                slots={"adj": adj_m, "nat": nat[1]},
            )

        def camp_center():
            camp_ar, camp_en, _ = rng.choice(L.PS_CAMPS)
            style = rng.randrange(4)
            ar, en = [
                (f"مركز شباب {camp_ar} الاجتماعي", f"{camp_en} Youth Social Center"),
                (f"المركز النسوي في مخيم {camp_ar}", f"{camp_en} Camp Women's Center"),
                (f"نادي شباب مخيم {camp_ar}", f"{camp_en} Camp Youth Club"),
                (f"مركز الطفولة في مخيم {camp_ar}", f"{camp_en} Camp Childhood Center"),
            ][style]
            return self.synthetic(
                "camp_center", ar, en, country="PS", arabic_only=0.4, slots={"camp": camp_ar}
            )

        def quarter_club():
            q_ar, q_en, _ = rng.choice(L.JERUSALEM_QUARTERS)
            style = rng.randrange(3)
            ar, en = [
                (f"نادي {q_ar} الرياضي", f"{q_en} Sports Club"),
                (f"مركز شباب {q_ar}", f"{q_en} Youth Center"),
                (f"جمعية {q_ar} الخيرية", f"{q_en} Charitable Society"),
            ][style]
            return self.synthetic(
                "quarter_club",
                ar,
                en,
                city="القدس",
                country="PS",
                arabic_only=0.4,
                slots={"quarter": q_ar},
            )

        def foundation_family():
            first_ar, first_en, _ = rng.choice(L.FIRST_NAMES)
            fam_ar, fam_en, _ = rng.choice(L.FAMILIES)
            city, country = self.place()
            if rng.random() < 0.5:
                f_ar, f_en = rng.choice(F)
                ar = f"مؤسسة {first_ar} {fam_ar} {lam(f_ar)}"
                en = f"{first_en} {fam_en} Foundation for {f_en}"
            else:
                ar, en = f"مؤسسة {first_ar} {fam_ar}", f"{first_en} {fam_en} Foundation"
            return self.synthetic(
                "foundation_family",
                ar,
                en,
                city=city,
                country=country,
                arabic_only=0.35,
                slots={"first": first_ar, "family": fam_ar},
            )

        def foundation_proper():
            p_ar, p_en, _ = rng.choice(P)
            f_ar, f_en = rng.choice(F)
            city, country = self.place(p_ar)
            return self.synthetic(
                "foundation_proper",
                f"مؤسسة {p_ar} {lam(f_ar)}",
                f"{p_en} Foundation for {f_en}",
                city=city,
                country=country,
                arabic_only=0.2,
                acronym_p=0.3,
                slots={"proper": p_ar, "field": f_ar},
            )

        def union_general():
            pl_ar, pl_en = rng.choice(L.MEMBER_PLURALS)
            adj_f, _m, adj_en = rng.choice(L.ADJ)
            if rng.random() < 0.6:
                ar, en = f"الاتحاد العام {lam(pl_ar)} {adj_f}", f"General Union of {adj_en} {pl_en}"
                country = "PS" if rng.random() < 0.7 else rng.choice(L.NAT)[5]
            else:
                nat = rng.choice(L.NAT)
                ar = f"الاتحاد العام {nat[1]} {lam(pl_ar)} {adj_f}"
                en = f"{nat[4]} General Union of {adj_en} {pl_en}"
                country = nat[5]
            return self.synthetic(
                "union_general",
                ar,
                en,
                kind="union",
                country=country,
                acronym_p=0.4,
                slots={"plural": pl_ar, "adj": adj_f},
            )

        def union_governorate():
            pl_ar, pl_en = rng.choice(L.MEMBER_PLURALS[:5])
            adj = rng.choice(
                [
                    "الخيرية",
                    "الثقافية",
                    "الشبابية",
                    "النسوية",
                    "الزراعية",
                    "التعاونية",
                    "الرياضية",
                    "الخيرية",
                ]
            )
            gov_ar, gov_en = rng.choice(L.GOVERNORATES)
            return self.synthetic(
                "union_governorate",
                f"اتحاد {pl_ar} {adj} لمحافظة {gov_ar}",
                f"Union of {ADJ_EN[adj]} {pl_en} of {gov_en} Governorate",
                kind="union",
                city=gov_ar.split(" و")[0],
                country="PS",
                acronym_p=0.2,
                slots={"plural": pl_ar, "adj": adj, "gov": gov_ar},
            )

        def union_region():
            pl_ar, pl_en = rng.choice(L.MEMBER_PLURALS[:5])
            adj = rng.choice(["الخيرية", "الثقافية", "الشبابية", "النسوية", "الزراعية"])
            reg_ar, reg_en = rng.choice(L.REGIONS)
            return self.synthetic(
                "union_region",
                f"اتحاد {pl_ar} {adj} لمحافظات {reg_ar}",
                f"Union of {ADJ_EN[adj]} {pl_en} of the {reg_en} Governorates",
                kind="union",
                country="PS",
                slots={"plural": pl_ar, "adj": adj, "region": reg_ar},
            )

        def union_camps():
            obj_ar, obj_en = rng.choice(
                [
                    ("الطفولة", "Childhood"),
                    ("التأهيل", "Rehabilitation"),
                    ("المرأة", "Women's"),
                    ("الشباب", "Youth"),
                    ("الثقافة", "Cultural"),
                    ("الرياضة", "Sports"),
                ]
            )
            where_ar, where_en = rng.choice(
                [
                    ("في مخيمات اللاجئين", "in the Refugee Camps"),
                    ("في قطاع غزة", "in the Gaza Strip"),
                    ("في الضفة الغربية", "in the West Bank"),
                    ("في لبنان", "in Lebanon"),
                ]
            )
            return self.synthetic(
                "union_camps",
                f"اتحاد مراكز {obj_ar} {where_ar}",
                f"Union of {obj_en} Centers {where_en}",
                kind="union",
                country="LB" if "لبنان" in where_ar else "PS",
                slots={"object": obj_ar},
            )

        def professional():
            head_ar, head_en = rng.choice(L.PROFESSION_HEADS)
            prof = rng.choice(L.PROFESSIONS)
            nat = rng.choice([n for n in L.NAT if n[2]])
            return self.synthetic(
                "professional",
                f"{head_ar} {prof[0]} {nat[2]}",
                f"{nat[4]} {prof[2]} {head_en}",
                kind="union",
                country=nat[5],
                arabic_only=0.15,
                acronym_p=0.3,
                slots={"profession": prof[0], "nat": nat[2]},
            )

        def network():
            style = rng.random()
            nat = rng.choice(L.NAT)
            if style < 0.45:
                pl_ar, pl_en = rng.choice(L.MEMBER_PLURALS)
                adj_f, _m, adj_en = rng.choice(L.ADJ)
                ar, en = f"شبكة {pl_ar} {adj_f} {nat[0]}", f"{nat[4]} {adj_en} {pl_en} Network"
            elif style < 0.75:
                f_ar, f_en = rng.choice(F)
                head_ar, head_en = rng.choice([("شبكة", "Network"), ("تحالف", "Alliance")])
                ar, en = (
                    f"{head_ar} {f_ar} {nat[0] if head_ar == 'شبكة' else nat[1]}",
                    f"{nat[4]} {f_en} {head_en}",
                )
            else:
                f_ar, f_en = rng.choice(F)
                ar, en = f"الائتلاف {nat[1]} {lam(f_ar)}", f"{nat[4]} Coalition for {f_en}"
            return self.synthetic(
                "network",
                ar,
                en,
                kind="union",
                country=nat[5],
                acronym_p=0.4,
                slots={"nat": nat[0]},
            )

        def forum():
            p_ar, p_en, _ = rng.choice(P)
            city, country = self.place(p_ar)
            if rng.random() < 0.5:
                f_ar, f_en = rng.choice(F)
                ar, en = f"منتدى {p_ar} {lam(f_ar)}", f"{p_en} Forum for {f_en}"
            else:
                adj_f, adj_m, adj_en = rng.choice(L.ADJ)
                ar, en = f"ملتقى {p_ar} {adj_m}", f"{p_en} {adj_en} Assembly"
            return self.synthetic(
                "forum",
                ar,
                en,
                city=city,
                country=country,
                arabic_only=0.25,
                acronym_p=0.2,
                slots={"proper": p_ar},
            )

        def club():
            style = rng.random()
            if style < 0.4:
                town = self.ps_town() if rng.random() < 0.8 else rng.choice(L.ARAB_CITIES)[0]
                ar, en = f"نادي {town} الرياضي", f"{CITY_EN[town]} Sports Club"
                city = town
            elif style < 0.7:
                town = self.ps_town()
                ar, en, city = f"نادي شباب {town}", f"{CITY_EN[town]} Youth Club", town
            else:
                p_ar, p_en, _ = rng.choice(P)
                adj_f, adj_m, adj_en = rng.choice(L.ADJ[:12])
                ar, en = f"نادي {p_ar} {adj_m}", f"{p_en} {adj_en} Club"
                city, _c = self.place(p_ar)
            return self.synthetic(
                "club",
                ar,
                en,
                city=city,
                country=CITY_COUNTRY.get(city, "PS"),
                arabic_only=0.4,
                slots={},
            )

        def zakat():
            town = self.ps_town()
            return self.synthetic(
                "zakat",
                f"لجنة زكاة {town}",
                f"{CITY_EN[town]} Zakat Committee",
                kind="other",
                city=town,
                country="PS",
                arabic_only=0.7,
                slots={"town": town},
            )

        def ministry():
            port_ar, port_en = rng.choice(L.PORTFOLIOS)
            nat = rng.choice(L.NAT)
            return self.synthetic(
                "ministry",
                f"وزارة {port_ar} {nat[0]}",
                f"{nat[4]} Ministry of {port_en}",
                kind="government",
                country=nat[5],
                slots={"portfolio": port_ar, "nat": nat[0]},
            )

        def national_body():
            head_ar, head_en, gender = rng.choice(L.NATIONAL_BODIES)
            f_ar, f_en = rng.choice(L.NATIONAL_FIELDS)
            nat = rng.choice(L.NAT)
            nat_word = nat[0] if gender == "f" else nat[1]
            return self.synthetic(
                "national_body",
                f"{head_ar} {nat_word} {lam(f_ar)}",
                f"{nat[4]} {head_en} for {f_en}",
                kind="nhri",
                country=nat[5],
                acronym_p=0.5,
                slots={"head": head_ar, "field": f_ar},
            )

        def academic():
            f_ar, f_en = rng.choice(F)
            nat = rng.choice(L.NAT)
            if rng.random() < 0.5:
                ar, en = f"المعهد {nat[1]} {lam(f_ar)}", f"{nat[4]} Institute for {f_en}"
            else:
                town = self.ps_town()
                adj_f, _m, adj_en = rng.choice(L.ADJ)
                ar, en = f"كلية {town} {adj_f}", f"{CITY_EN[town]} {adj_en} College"
                nat = L.NAT[0]
            return self.synthetic(
                "academic", ar, en, kind="academic", country=nat[5], acronym_p=0.3, slots={}
            )

        def fund():
            pur_ar, pur_en = rng.choice(L.FUND_PURPOSES)
            nat = rng.choice(L.NAT)
            return self.synthetic(
                "fund",
                f"صندوق {pur_ar} {nat[1]}",
                f"{nat[4]} {pur_en} Fund",
                kind="fund",
                country=nat[5],
                acronym_p=0.3,
                slots={},
            )

        def numbered():
            num_ar, num_en = rng.choice(L.NUMBERS)
            head_ar, head_en = rng.choice(L.NUMBER_HEADS)
            f_ar, f_en = rng.choice(F)
            city, country = self.place()
            return self.synthetic(
                "numbered",
                f"{head_ar} {num_ar} {lam(f_ar)}",
                f"{head_en} {num_en} for {f_en}",
                city=city,
                country=country,
                arabic_only=0.2,
                slots={"number": num_ar},
            )

        quotas = [
            (assoc_proper, 700),
            (assoc_town, 300),
            (assoc_cause, 600),
            (assoc_national, 60),
            (center_proper, 450),
            (center_town, 300),
            (center_national, 60),
            (camp_center, 40),
            (quarter_club, 15),
            (foundation_family, 200),
            (foundation_proper, 300),
            (union_general, 150),
            (union_governorate, 150),
            (union_region, 25),
            (union_camps, 20),
            (professional, 150),
            (network, 250),
            (forum, 250),
            (club, 300),
            (zakat, 60),
            (ministry, 150),
            (national_body, 60),
            (academic, 100),
            (fund, 40),
            (numbered, 60),
        ]
        for make, quota in quotas:
            self.fill(quota, make)

        # International NGOs known by a Latin-script name only.
        for name, country, acronym, _typed in L.INGOS_LATIN_ONLY:
            org = Org(
                id="",
                name_ar="",
                name_en=name,
                acronym=acronym,
                country=country,
                kind="ngo",
                family="ingo_latin",
            )
            if self.add(org):
                self.counter += 1
                org.id = f"syn-{self.counter:05d}"

        # The same name in another town: common for local charities, and a hard case for
        # duplicate detection (same name, different city = different organization).
        twins = [o for o in self.orgs if o.family == "assoc_proper" and o.country == "PS"]
        for org in rng.sample(twins, 30):
            other_town = self.ps_town()
            if other_town == org.city:
                continue
            en = org.name_en or org.hidden_en
            twin = self.synthetic(
                "assoc_proper_twin",
                org.true_ar,
                en,
                city=other_town,
                country="PS",
                arabic_only=0.3,
                slots=dict(org.slots),
                same_name_ok=True,
            )
            if twin:
                twin.slots["twin_of"] = org.id

        # Top up to the target with more of the biggest families.
        for make in [assoc_proper, center_proper, assoc_cause, foundation_proper, forum] * 50:
            if self.counter >= SYNTHETIC_TARGET + 30:  # + the twins
                break
            make()

        self.add_defects()

    # --- what real data looks like ---------------------------------------------------------

    def add_defects(self) -> None:
        """Spell a share of the stored Arabic names the way real sources do.

        The true name stays in `true_ar` (labels are decided on it); the stored `name_ar` gets
        the defect. Egyptian sources write ئ in شئون/مسئول and often ى for final ي."""
        rng = rng_for("defects")
        for org in self.orgs:
            if not org.id.startswith("syn-") or org.id.startswith("syn-fx-") or not org.name_ar:
                continue
            words = org.name_ar.split()
            tags = []
            if org.country == "EG":
                new = [w.replace("شؤون", "شئون").replace("مسؤول", "مسئول") for w in words]
                if rng.random() < 0.5:
                    new = [
                        w[:-1] + "ى" if w.startswith("ال") and w.endswith("ي") and len(w) > 4 else w
                        for w in new
                    ]
                if new != words:
                    words, tags = new, tags + ["egyptian_spelling"]
            if rng.random() < 0.07 and any(c in org.name_ar for c in "أإ"):
                words = [w.replace("أ", "ا").replace("إ", "ا") for w in words]
                tags.append("hamza_dropped")
            if rng.random() < 0.12 and "آ" in org.name_ar:
                words = [w.replace("آ", "ا") for w in words]
                tags.append("madda_dropped")
            if rng.random() < 0.05 and any(w.endswith("ة") for w in words):
                words = [w[:-1] + "ه" if w.endswith("ة") else w for w in words]
                tags.append("taa_as_haa")
            if rng.random() < 0.04 and any(w.endswith("ى") for w in words):
                words = [w[:-1] + "ي" if w.endswith("ى") else w for w in words]
                tags.append("maqsura_as_yaa")
            if rng.random() < 0.012 and len(words) >= 3:
                i = rng.randrange(len(words) - 1)
                if is_arabic(words[i]) and is_arabic(words[i + 1]) and words[i] != "-":
                    words = words[:i] + [words[i] + words[i + 1]] + words[i + 2 :]
                    tags.append("glued")
            if rng.random() < 0.012:
                i = rng.randrange(len(words))
                words[i] = add_tashkeel(words[i], rng, 0.8)
                tags.append("tashkeel")
            if rng.random() < 0.006:
                i = rng.randrange(len(words))
                words[i] = add_tatweel(words[i], rng)
                tags.append("tatweel")
            if org.family == "numbered" and rng.random() < 0.4:
                words = [to_eastern(w) for w in words]
                tags.append("eastern_digits")
            if tags:
                org.name_ar = " ".join(words)
                org.defects = tags


def seed_orgs() -> list[Org]:
    out = []
    for item in SEED_ORGANIZATIONS:
        acronym = item.get("acronym", "")
        if item["external_id"] == "seed-003-palestinian-ngos-network":
            acronym = "PNGO"  # its usual acronym; the seeds do not print it (see README)
        out.append(
            Org(
                id=item["external_id"],
                name_ar=item["name_ar"],
                name_en=item["name_en"],
                acronym=acronym,
                other_names=list(item.get("other_names", [])),
                city=item.get("city", ""),
                country=item.get("country", ""),
                kind=item["kind"],
                true_ar=item["name_ar"],
                family="seed",
            )
        )
    return out


def fixture_orgs() -> list[Org]:
    return [
        Org(
            id=f"syn-fx-{f['slug']}",
            name_ar=f["ar"],
            name_en=f["en"],
            acronym=f.get("acronym", ""),
            other_names=list(f.get("other", [])),
            city=f.get("city", ""),
            country=f.get("country", ""),
            kind=f.get("kind", "ngo"),
            true_ar=f["ar"],
            family="fixture",
        )
        for f in L.FIXTURES
    ]


def build_corpus() -> list[Org]:
    builder = CorpusBuilder()
    for org in seed_orgs() + fixture_orgs():
        if builder.add(org) is None:
            raise SystemExit(f"duplicate fixture or seed name: {org.id}")
    builder.build()
    return builder.orgs


# =========================================================================================
# 3. The index used to label (not a search engine: every word must be there)
# =========================================================================================


class Index:
    def __init__(self, orgs: list[Org]) -> None:
        self.orgs = {o.id: o for o in orgs}
        self.vocab: set[str] = set()
        for o in orgs:
            for text in o.name_texts():
                self.vocab.update(t for t in ref_tokens(text) if is_arabic(t))
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.tokens_of: dict[str, set[str]] = {}
        for o in orgs:
            toks = {t for text in o.name_texts() for t in ref_tokens(text)}
            self.tokens_of[o.id] = toks
            for t in toks:
                for f in forms(t, self.vocab):
                    self.postings[f].add(o.id)
        self.true_tokens = {o.id: tuple(ref_tokens(o.true_ar)) for o in orgs}
        # The English names Arabic-only records would have: not searchable, but a Latin query
        # that matches one of them has that record as a right answer too.
        self.hidden_postings: dict[str, set[str]] = defaultdict(set)
        for o in orgs:
            for t in ref_tokens(o.hidden_en):
                self.hidden_postings[t].add(o.id)

    def match(self, text: str, *, hidden: bool = False) -> set[str]:
        """Records whose names contain every word of `text` (reference normalization); with
        hidden=True, Arabic-only records whose English name would."""
        postings = self.hidden_postings if hidden else self.postings
        result: set[str] | None = None
        for tok in ref_tokens(text):
            ids: set[str] = set()
            for f in forms(tok, self.vocab):
                ids |= postings.get(f, set())
            result = ids if result is None else result & ids
            if not result:
                return set()
        return result or set()

    def siblings(self, text: str, *, latin: bool = False) -> set[str]:
        """Records whose whole name differs from `text` in exactly one word, at the same place
        (بلدية نابلس for بلدية الخليل): the distractors of a control query."""
        want = tuple(ref_tokens(text))
        out = set()
        for oid, o in self.orgs.items():
            names = (
                [o.name_en, *[n for n in o.other_names if not is_arabic(n)]]
                if latin
                else [o.true_ar, o.name_ar, *[n for n in o.other_names if is_arabic(n)]]
            )
            for name in names:
                toks = tuple(ref_tokens(name))
                if (
                    len(toks) == len(want)
                    and sum(a != b for a, b in zip(toks, want, strict=True)) == 1
                ):
                    out.add(oid)
                    break
        return out


# =========================================================================================
# 4. Variation functions (what people and scrapers do to names)
# =========================================================================================

NON_CONNECTORS = set("اأإآٱدذرزوؤةىء")
ARABIC_LETTER_RE = re.compile("[\u0621-\u064a]")
VOCALIZED = {  # how a careful writer vocalizes common name words
    "مؤسسة": "مُؤَسَّسَة",
    "جمعية": "جَمْعِيَّة",
    "الاتحاد": "الاتِّحَاد",
    "مركز": "مَرْكَز",
    "بلدية": "بَلَدِيَّة",
    "الثقافية": "الثَّقَافِيَّة",
    "الخيرية": "الخَيْرِيَّة",
    "العام": "العَامّ",
    "الوطني": "الوَطَنِيّ",
    "لحقوق": "لِحُقُوق",
    "الإنسان": "الإِنْسَان",
    "الفلسطينية": "الفِلَسْطِينِيَّة",
    "للتنمية": "لِلتَّنْمِيَة",
    "للسلام": "لِلسَّلَام",
    "الشباب": "الشَّبَاب",
    "المرأة": "المَرْأَة",
    "اتحاد": "اتِّحَاد",
    "نادي": "نَادِي",
    "الأهلية": "الأَهْلِيَّة",
    "المجلس": "المَجْلِس",
    "مجلس": "مَجْلِس",
    "وزارة": "وِزَارَة",
}


def add_tashkeel(word: str, rng: random.Random, density: float = 0.6) -> str:
    """Vowel marks as a person pasting vocalized text would have them: the vowel before a long
    vowel agrees with it (fatha before ا, damma before و, kasra before ي); nothing on the
    article; shadda now and then. Other vowels are random: this is not a vocalizer."""
    if word in VOCALIZED and rng.random() < 0.6:
        return VOCALIZED[word]
    start = 2 if word.startswith("ال") else 0
    out = [word[:start]]
    for i in range(start, len(word)):
        c = word[i]
        out.append(c)
        if not ARABIC_LETTER_RE.match(c) or c in "اىآوي" or rng.random() > density:
            continue
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if nxt in ("ا", "ى"):
            mark = FATHA
        elif nxt == "و":
            mark = DAMMA
        elif nxt == "ي":
            mark = KASRA
        elif not nxt:
            mark = rng.choice([DAMMA, KASRA, FATHA] + list(TANWEEN))
        else:
            mark = rng.choice([FATHA, DAMMA, KASRA] + ([SUKUN] if i > start else []))
        if i > start and rng.random() < 0.1:
            out.append(SHADDA)
        out.append(mark)
    return "".join(out)


def add_tatweel(word: str, rng: random.Random) -> str:
    spots = [
        i
        for i in range(len(word) - 1)
        if ARABIC_LETTER_RE.match(word[i])
        and word[i] not in NON_CONNECTORS
        and ARABIC_LETTER_RE.match(word[i + 1])
    ]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + TATWEEL * rng.randint(1, 4) + word[i + 1 :]


def to_eastern(text: str) -> str:
    return text.translate({ord(str(d)): chr(0x0660 + d) for d in range(10)})


def to_western(text: str) -> str:
    return text.translate({0x0660 + d: str(d) for d in range(10)})


FOLD_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "ؤ": "ء", "ئ": "ء"})


def drop_alef_hamza(word: str) -> str:
    return word.replace("أ", "ا").replace("إ", "ا")


def hamza_seat_variants(word: str) -> list[str]:
    """The seat changes writers really make: مسؤولية/مسئولية, شؤون/شئون, هيئة/هيأة,
    عائشة/عايشة, الشاطئ/الشاطىء, فؤاد/فواد."""
    out = []
    if "شؤون" in word or "مسؤول" in word or "رؤساء" in word:
        out.append(word.replace("ؤ", "ئ"))
    elif "ؤ" in word:
        out.append(word.replace("ؤ", "و"))
    if "ئة" in word:
        out.append(word.replace("ئة", "أة"))
    if word.endswith("ئ"):
        out.append(word[:-1] + "ىء")
    if re.search("ائ", word):
        out.append(word.replace("ائ", "اي"))
    return [w for w in out if w != word]


# Words whose initial alef is hamzat wasl: writing it with hamza is a common mistake
# (الإتحاد, إجتماعية).
WASL_STEMS = (
    "اتحاد",
    "اجتماع",
    "اقتصاد",
    "استقلال",
    "انتخاب",
    "استشار",
    "ابتكار",
    "استثمار",
    "اتصال",
    "استدام",
    "انتاج",
    "اعتماد",
    "ائتلاف",
)


def wasl_with_hamza(word: str) -> str | None:
    core, article = (word[2:], "ال") if word.startswith("ال") else (word, "")
    if core.startswith(WASL_STEMS):
        return article + "إ" + core[1:]
    return None


def taa_to_haa(word: str) -> str:
    return word[:-1] + "ه" if word.endswith("ة") else word


def maqsura_swap(word: str) -> str:
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي") and len(word) >= 4:
        return word[:-1] + "ى"  # Egyptian style
    return word


def attach_particle(word: str, particle: str) -> str:
    """و/ف/ب/ك/ل (and pairs such as وب, ول) written onto a word; ل + ال = لل."""
    if particle.endswith("ل") and word.startswith("ال"):
        stem = word[2:]
        return particle[:-1] + ("ل" if stem.startswith("ل") else "لل") + stem
    return particle + word


def detach_particle(word: str, vocab: set[str]) -> str | None:
    """The word without its attached particle, as a person would type it (للمراكز → المراكز,
    لحقوق → حقوق, بنابلس → نابلس). Only when what remains is a word of the corpus:
    بوليتكنك keeps its ب."""
    if word.startswith(("وال", "بال", "فال", "كال")):
        return word[1:]
    if word.startswith("لل") and len(word) > 4:
        for candidate in ("ال" + word[2:], "الل" + word[2:]):
            if ref_norm(candidate) in vocab:
                return candidate
        return None
    rest = word[1:]
    if (
        word.startswith(("ل", "ب", "و"))
        and not word.startswith("ال")
        and len(rest) >= 4
        and ref_norm(rest) in vocab
    ):
        return rest
    return None


SUFFIX_FLIPS: dict[str, str] = {}
for _f, _m, _en in L.ADJ:
    SUFFIX_FLIPS[_f], SUFFIX_FLIPS[_m] = _m, _f
for _nat in L.NAT:
    SUFFIX_FLIPS[_nat[0]], SUFFIX_FLIPS[_nat[1]] = _nat[1], _nat[0]
    if _nat[2]:
        SUFFIX_FLIPS[_nat[2]], SUFFIX_FLIPS[_nat[3]] = _nat[3], _nat[2]
for _gen, _nom, _en in L.PROFESSIONS:
    SUFFIX_FLIPS[_gen], SUFFIX_FLIPS[_nom] = _nom, _gen


def same_word(a: str, b: str) -> bool:
    """Are two (normalized) words one word in another form: the same after particles, or a
    suffix variant (الثقافية/الثقافي, المحامين/المحامون)? Then two names differing only there
    may be one organization, so they make neither a hard negative nor a control distractor."""
    if a == b or forms(a, set()) & forms(b, set()):
        return True
    flips = {ref_norm(k): ref_norm(v) for k, v in SUFFIX_FLIPS.items()}
    return flips.get(a) == b or flips.get(b) == a


def typo(word: str, rng: random.Random, vocab: set[str]) -> str | None:
    """Drop one letter (mostly a long vowel, as in البروتكول) or double one (دروويش)."""
    start = 2 if word.startswith("ال") else 1
    spots = list(range(start, len(word)))
    if len(word) - start < 3 or not spots:
        return None
    if rng.random() < 0.6:
        vowels = [i for i in spots if word[i] in "اوي"]
        i = rng.choice(vowels) if vowels and rng.random() < 0.7 else rng.choice(spots)
        new = word[:i] + word[i + 1 :]
    else:
        i = rng.choice(spots)
        new = word[: i + 1] + word[i] + word[i + 1 :]
    if ref_norm(new) in vocab or ref_norm(new) == ref_norm(word):
        return None
    return new


def latin_typo(word: str, rng: random.Random) -> str | None:
    if len(word) < 5:
        return None
    i = rng.randrange(1, len(word))
    return (
        word[:i] + word[i + 1 :] if rng.random() < 0.6 else word[: i + 1] + word[i] + word[i + 1 :]
    )


# =========================================================================================
# 5. Queries
# =========================================================================================

FUNCTION_WORDS = {"في", "من", "أجل", "اجل", "لدى", "عن", "على", "بين", "غير", "عبر", "-", "/", "و"}
EN_STOP = {"of", "for", "the", "and", "in", "to", "a", "-", "–", "/"}


def words_of(name: str) -> list[str]:
    """A name's words as written, punctuation-only words dropped."""
    return [w for w in name.split() if NON_WORD_RE.sub("", w)]


# Word runs that a query keeps whole: place names, fields, "حقوق الإنسان", "الاتحاد العام"...
UNIT_PHRASES_AR = (
    [t[0] for t in L.PS_TOWNS]
    + [t[0] for t in L.PS_CAMPS + L.JERUSALEM_QUARTERS]
    + [t[0] for t in L.ARAB_CITIES]
    + [g for g, _ in L.GOVERNORATES]
    + [f for f, _ in L.FIELDS]
    + [c for c, _ in L.CAUSES]
    + [p for p, _ in L.PORTFOLIOS]
    + [f for f, _ in L.NATIONAL_FIELDS]
    + [f for f, _ in L.FUND_PURPOSES]
    + [n for n, _ in L.NUMBERS]
    + [f for f, _, _ in L.FAMILIES]
    + [h for h, _, _ in L.NATIONAL_BODIES]
    + [
        "الاتحاد العام",
        "مجلس قروي",
        "لجنة زكاة",
        "مجلس مدينة",
        "الأمم المتحدة",
        "الشرق الأوسط",
        "الشرق الأدنى",
        "منظمة التحرير",
        "مخيمات اللاجئين",
        "قطاع غزة",
        "الضفة الغربية",
        "غير الحكومية",
        "رجال الأعمال",
        "الولايات المتحدة",
        "دار القرآن",
        "الهلال الأحمر",
        "الصليب الأحمر",
        "مجلس الأمن",
        "البيت الأبيض",
        "الجمعية العامة",
        "المجتمع المدني",
        "الشبان المسيحية",
        "العمل الزراعي",
        "عبد المحسن",
        "محمود درويش",
        "ياسر عرفات",
        "إدارة النزاعات",
        "العمل الأهلي",
        "الأطفال SOS",
        "مركز شباب",
        "نادي شباب",
        "المركز النسوي",
        "أمانة عمّان",
        "رام الله",
        "حقوق الإنسان",
        "6 أكتوبر",
        "20 فبراير",
    ]
)
UNIT_PHRASES_EN = (
    [t[1] for t in L.PS_TOWNS]
    + [t[1] for t in L.PS_CAMPS + L.JERUSALEM_QUARTERS]
    + [t[1] for t in L.ARAB_CITIES]
    + [g for _, g in L.GOVERNORATES]
    + [f for _, f in L.FIELDS]
    + [c for _, c in L.CAUSES]
    + [p for _, p in L.PORTFOLIOS]
    + [f for _, f in L.FIELDS]
    + [f for _, f, _ in L.FAMILIES]
    + [f for _, f, _ in L.FIRST_NAMES]
    + [
        "Human Rights",
        "Middle East",
        "United Nations",
        "United States",
        "Red Crescent",
        "Red Cross",
        "Village Council",
        "City Council",
        "Zakat Committee",
        "General Union",
        "Refugee Camps",
        "Gaza Strip",
        "West Bank",
        "Near East",
        "Young Men's",
        "Palestine Liberation Organization",
        "Sports Club",
        "Youth Club",
    ]
)
# Words that say what kind of body it is, not which one: a query needs something more.
GENERIC_AR = (
    {
        ref_norm(w)
        for w in (
            "جمعية مؤسسة مركز منتدى ملتقى نادي شبكة تحالف ائتلاف اتحاد بلدية مجلس قروي لجنة زكاة "
            "وزارة هيئة معهد كلية جامعة نقابة رابطة صندوق مبادرة مجموعة مرصد مدينة جماعة محلية "
            "مخيم شباب العام الدولي الدولية العالمي العالمية"
        ).split()
    }
    | {
        ref_norm(w)
        for w in (
            "الجمعية",
            "المؤسسة",
            "المركز",
            "الاتحاد",
            "الشبكة",
            "المجلس",
            "الهيئة",
            "المعهد",
            "اللجنة",
            "الائتلاف",
            "المرصد",
        )
    }
    | {ref_norm(w) for f, m, _ in L.ADJ for w in (f, m)}
    | {ref_norm(w) for nat in L.NAT for w in nat[:4] if w}
    | {ref_norm(p) for p, _ in L.MEMBER_PLURALS}
    | {ref_norm(w) for w in FUNCTION_WORDS}
)
# The word that says what kind of body a name is.
HEAD_WORDS = {
    ref_norm(w)
    for w in (
        "جمعية مؤسسة مركز منتدى ملتقى نادي شبكة تحالف ائتلاف اتحاد هيئة معهد كلية نقابة رابطة "
        "صندوق مبادرة مجموعة الجمعية المؤسسة المركز الاتحاد الشبكة المجلس الهيئة المعهد "
        "الائتلاف المرصد اللجنة"
    ).split()
}
# Words a query does not end with: what needs a complement (لمحافظة ..., رعاية ...).
NO_END_AR = {ref_norm(w) for w in FUNCTION_WORDS} | {
    ref_norm(w)
    for w in (
        "لمحافظة لمحافظات محافظة مخيم شؤون لشؤون رعاية تنمية حماية تأهيل أصدقاء مرضى دعم تمكين "
        "مكافحة إحياء تحفيظ مدينة بلدية جمعية مؤسسة مركز نادي اتحاد الاتحاد شبكة وزارة ملتقى "
        "منتدى رابطة نقابة صندوق هيئة مجلس لجنة أمانة جماعة محلية دار بيت"
    ).split()
}
# Words a query does not start with: a bare adjective, the conjunction و, a function word.
BAD_START_AR = (
    {ref_norm(w) for f, m, _ in L.ADJ for w in (f, m)}
    | {ref_norm(w) for nat in L.NAT for w in nat[:4] if w}
    | {ref_norm(w) for w in "العام الدولي الدولية العالمي العالمية الكبرى".split()}
    | {ref_norm(w) for w in FUNCTION_WORDS}
)
GENERIC_EN = (
    {
        "society",
        "association",
        "center",
        "centre",
        "foundation",
        "union",
        "general",
        "network",
        "forum",
        "club",
        "municipality",
        "council",
        "ministry",
        "committee",
        "committees",
        "institute",
        "college",
        "fund",
        "league",
        "syndicate",
        "assembly",
        "coalition",
        "alliance",
        "initiative",
        "group",
        "national",
        "commission",
        "observatory",
        "higher",
        "independent",
        "greater",
        "commune",
        "city",
        "locality",
        "village",
        "governorate",
        "governorates",
        "international",
        "organization",
        "organizations",
        "department",
        "office",
        "movement",
    }
    | {en.lower() for _, _, en in L.ADJ}
    | {n[4].lower() for n in L.NAT}
    | {p.lower() for _, p in L.MEMBER_PLURALS}
    | EN_STOP
)


class Windows:
    """Choose the run of words a person would type: 1-4 words, multi-word units kept whole,
    not starting with a bare adjective or a conjunction, with at least one word that says
    which organization (not only what kind)."""

    def __init__(self, vocab: set[str]) -> None:
        self.vocab = vocab
        self.units_ar = {tuple(ref_tokens(u)) for u in UNIT_PHRASES_AR if len(u.split()) > 1}
        self.units_en = {
            tuple(self.en_key(w) for w in u.split()) for u in UNIT_PHRASES_EN if len(u.split()) > 1
        }

    @staticmethod
    def en_key(word: str) -> str:
        return re.sub(r"[^\w]", "", word.lower())

    def keys(self, words: list[str], latin: bool) -> list[str]:
        return [self.en_key(w) if latin else ref_norm(w).replace(" ", "") for w in words]

    def spans(self, words: list[str], latin: bool) -> list[tuple[int, int]]:
        keys = self.keys(words, latin)
        units = self.units_en if latin else self.units_ar
        out = []
        for unit in units:
            n = len(unit)
            for j in range(len(keys) - n + 1):
                first_ok = keys[j] == unit[0] or (not latin and unit[0] in self.detached(keys[j]))
                if first_ok and tuple(keys[j + 1 : j + n]) == unit[1:]:
                    out.append((j, j + n))
        return out

    @staticmethod
    def detached(key: str) -> set[str]:
        """What a word may be once any attached particle is taken off (ببيت → بيت)."""
        out = {key}
        for p in ARTICLE_PARTICLES + LAM_ARTICLE:
            if key.startswith(p):
                out |= {"ال" + key[len(p) :], "الل" + key[len(p) :]}
        for p in BARE_PARTICLES:
            if key.startswith(p) and len(key) > len(p) + 1:
                out.add(key[len(p) :])
        return out

    def generic(self, key: str, latin: bool) -> bool:
        if latin:
            return key in GENERIC_EN
        return bool(forms(key, self.vocab) & GENERIC_AR)

    def bad_start(self, key: str, latin: bool) -> bool:
        if latin:
            return key in EN_STOP
        if key in BAD_START_AR:
            return True
        return (
            key.startswith("و")
            and len(key) > 3
            and (key[1:] in self.vocab or key.startswith("وال"))
        )

    def choose(
        self,
        words: list[str],
        lo_max: int,
        hi_min: int,
        rng: random.Random,
        *,
        latin: bool = False,
        min_len: int = 1,
        max_len: int = 4,
        lo_min: int = 0,
    ) -> tuple[int, int] | None:
        """A window (lo, hi) with lo_min <= lo <= lo_max and hi >= hi_min, or None."""
        keys = self.keys(words, latin)
        spans = self.spans(words, latin)
        stop = EN_STOP if latin else NO_END_AR
        options, weights = [], []
        for lo in range(lo_min, lo_max + 1):
            for hi in range(max(hi_min, lo + min_len), min(len(words), lo + max_len) + 1):
                if any(s < lo < e or s < hi < e for s, e in spans):
                    continue
                if self.bad_start(keys[lo], latin) or keys[hi - 1] in stop:
                    continue
                if all(self.generic(k, latin) for k in keys[lo:hi]):
                    continue
                options.append((lo, hi))
                weights.append({1: 1, 2: 3, 3: 3, 4: 2}[hi - lo] * (2 if lo == 0 else 1))
        if not options:
            return None
        return rng.choices(options, weights)[0]


class QuerySet:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.items: list[dict] = []
        self.typed: set[str] = set()
        self.per_class: Counter[str] = Counter()

    def add(
        self,
        cls: str,
        query: str,
        clean: str,
        target: str | None = None,
        note: str = "",
        *,
        latin_clean: str = "",
        must_not_first=None,
        first: str | None = None,
        hand: bool = False,
    ) -> bool:
        query = " ".join(query.split())
        if not query or query in self.typed:
            if hand:
                raise SystemExit(f"hand-written query repeated: {query}")
            return False
        relevant = self.index.match(clean) | self.index.match(query)
        if latin_clean:
            relevant |= self.index.match(latin_clean)
        # Arabic-only records whose English name the Latin query would match are right answers
        # too. They make an English query a cross-script one: generated English queries avoid
        # them; hand-written and cross-script queries count them.
        latin_texts = [t for t in (clean, query, latin_clean) if t and not is_arabic(t)]
        hidden = set().union(*(self.index.match(t, hidden=True) for t in latin_texts))
        if hidden - relevant and not hand and cls != "cross_script":
            return False
        relevant |= hidden
        cap = (
            MAX_RELEVANT_CONTROL
            if cls == "control" and hand
            else (MAX_RELEVANT_HAND if hand else MAX_RELEVANT)
        )
        problem = ""
        if target and target not in relevant:
            problem = f"target {target} not relevant"
        elif not relevant:
            problem = "nothing relevant"
        elif len(relevant) > cap:
            problem = f"{len(relevant)} relevant"
        mnf = sorted(set(must_not_first or ()) - relevant)
        if must_not_first is not None and not mnf:
            problem = problem or "no distractor left"
        if first and first not in relevant:
            problem = problem or "first not relevant"
        if problem:
            if hand:
                raise SystemExit(f"hand-written {cls} query {query!r}: {problem}")
            return False
        self.typed.add(query)
        self.per_class[cls] += 1
        ordered = ([target] if target else []) + sorted(relevant - {target})
        item = {
            "id": f"{cls}-{self.per_class[cls]:03d}",
            "class": cls,
            "query": query,
            "relevant": ordered,
            "note": note,
            "clean": clean,
            "hand": hand,
        }
        if target:
            item["target"] = target
        if first:
            item["first"] = first
        if must_not_first is not None:
            item["must_not_first"] = mnf
        self.items.append(item)
        return True

    def fill(self, cls: str, want: int, attempts) -> None:
        made = 0
        for args in attempts:
            if made >= want:
                break
            query, clean, target, note, *extra = args
            kw = extra[0] if extra else {}
            if self.add(cls, query, clean, target, note, **kw):
                made += 1


def shuffled(items, rng: random.Random) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


class QueryBuilder:
    def __init__(self, orgs: list[Org], index: Index) -> None:
        self.orgs = orgs
        self.index = index
        self.qs = QuerySet(index)
        self.arabic = [o for o in orgs if o.true_ar]
        self.by_id = {o.id: o for o in orgs}
        self.win = Windows(index.vocab)

    def ids_named(self, *names: str) -> list[str]:
        out = []
        for name in names:
            key = ref_norm(name)
            found = [
                o.id
                for o in self.orgs
                if key in (ref_norm(o.true_ar), ref_norm(o.name_en)) and (o.true_ar or o.name_en)
            ]
            if not found:
                raise SystemExit(f"no record named {name}")
            out += found
        return out

    # --- generic: change word(s) in a window of a record's true name --------------------

    def word_variants(
        self, rng, records, pick, change, note, *, whole=False, stored=None, first=False
    ):
        """Yield (query, clean, target, note): a window of a record's true name with a word
        changed.

        pick(word) -> bool chooses the word; change(word, rng) -> str|None varies it. With
        whole=True every eligible word of the window is changed; with first=True the word is
        the window's first (particles are written on the first word of what one types).
        With `stored` (a function that folds the class's variation away), the query is the
        clean text and only records whose stored text differs from it by that variation alone
        are used (stored without hamza, typed with it)."""
        for org in shuffled(records, rng):
            if stored and (org.name_ar == org.true_ar or not org.name_ar):
                continue
            words = words_of(org.true_ar)
            spots = [i for i, w in enumerate(words) if pick(w)]
            if not spots:
                continue
            i = rng.choice(spots)
            span = self.win.choose(words, i, i + 1, rng, lo_min=i if first else 0)
            if span is None:
                continue
            lo, hi = span
            clean_words = words[lo:hi]
            clean = " ".join(clean_words)
            if stored:
                stored_words = words_of(org.name_ar)
                if len(stored_words) != len(words):
                    continue
                stored_text = " ".join(stored_words[lo:hi])
                if stored_text == clean or stored(stored_text) != stored(clean):
                    continue
                yield clean, clean, org.id, f"{note}: stored «{stored_text}»"
                continue
            typed = list(clean_words)
            changed = []
            for j in range(lo, hi):
                if j == i or (whole and pick(words[j])):
                    new = change(words[j], rng)
                    if new is None:
                        break
                    typed[j - lo] = new
                    if new != words[j]:
                        changed.append(f"{words[j]} → {new}")
            else:
                if typed != clean_words:
                    yield " ".join(typed), clean, org.id, f"{note}: {', '.join(changed)}"

    # --- the classes ----------------------------------------------------------------------

    def build(self) -> list[dict]:
        self.hand_written()
        self.hamza()
        self.taa_marbuta()
        self.alef_maqsura()
        self.madda()
        self.diacritics()
        self.digits()
        self.prefixes()
        self.suffixes()
        self.glued()
        self.typo()
        self.cross_script()
        self.acronym()
        self.english()
        self.exact_name()
        self.control()
        return self.qs.items

    PER_CLASS = 45

    def want(self, cls: str) -> int:
        return max(0, self.PER_CLASS - self.qs.per_class[cls])

    def hamza(self) -> None:
        rng = rng_for("q-hamza")
        want = self.want("hamza")
        has_alef_hamza = lambda w: any(c in w for c in "أإ")  # noqa: E731
        self.qs.fill(
            "hamza",
            want * 2 // 5,
            self.word_variants(
                rng,
                self.arabic,
                has_alef_hamza,
                lambda w, r: drop_alef_hamza(w),
                "hamza on alef dropped (أ/إ → ا)",
                whole=True,
            ),
        )
        # مؤسسة → موسسة would take every draw: first a few of the seed's own case, مسؤول/شؤون.
        self.qs.fill(
            "hamza",
            3,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: "مسؤول" in w or "شؤون" in w,
                lambda w, r: hamza_seat_variants(w)[0],
                "hamza seat changed (ؤ → ئ, as المسئولية in seed 000)",
            ),
        )
        self.qs.fill(
            "hamza",
            want // 5 - 3,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: bool(hamza_seat_variants(w)),
                lambda w, r: r.choice(hamza_seat_variants(w)),
                "hamza seat changed (ؤ/ئ/أ, as in المسؤولية/المسئولية)",
            ),
        )
        self.qs.fill(
            "hamza",
            want // 5,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: wasl_with_hamza(w) is not None,
                lambda w, r: wasl_with_hamza(w),
                "hamza wrongly written on hamzat wasl (الإتحاد)",
            ),
        )
        self.qs.fill(
            "hamza",
            self.want("hamza"),
            self.word_variants(
                rng,
                self.orgs,
                lambda w: any(c in w for c in "أإؤ"),
                None,
                "stored without hamza (or with ئ for ؤ), typed with it",
                stored=lambda t: t.translate(FOLD_HAMZA),
            ),
        )

    def taa_marbuta(self) -> None:
        rng = rng_for("q-taa")
        want = self.want("taa_marbuta")
        ends_taa = lambda w: w.endswith("ة")  # noqa: E731
        self.qs.fill(
            "taa_marbuta",
            want * 3 // 4,
            self.word_variants(
                rng,
                self.arabic,
                ends_taa,
                lambda w, r: taa_to_haa(w),
                "ة typed as ه",
                whole=rng.random() < 0.5,
            ),
        )
        self.qs.fill(
            "taa_marbuta",
            self.want("taa_marbuta"),
            self.word_variants(
                rng,
                self.orgs,
                ends_taa,
                None,
                "stored with ه for ة, typed with ة",
                stored=lambda t: t.replace("ة", "ه"),
            ),
        )

    def alef_maqsura(self) -> None:
        rng = rng_for("q-maqsura")
        want = self.want("alef_maqsura")
        self.qs.fill(
            "alef_maqsura",
            want // 2,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: w.endswith("ى"),
                lambda w, r: maqsura_swap(w),
                "final ى typed as ي",
            ),
        )
        self.qs.fill(
            "alef_maqsura",
            want // 4,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: w.startswith("ال") and w.endswith("ي") and len(w) > 4,
                lambda w, r: maqsura_swap(w),
                "final ي typed as ى (Egyptian style)",
            ),
        )
        self.qs.fill(
            "alef_maqsura",
            self.want("alef_maqsura"),
            self.word_variants(
                rng,
                self.orgs,
                lambda w: w.endswith(("ى", "ي")) and len(w) > 3,
                None,
                "stored with ى/ي swapped, typed correctly",
                stored=lambda t: t.replace("ى", "ي"),
            ),
        )

    def madda(self) -> None:
        rng = rng_for("q-madda")
        want = self.want("madda")
        has_madda = lambda w: "آ" in w  # noqa: E731
        self.qs.fill(
            "madda",
            want * 3 // 5,
            self.word_variants(
                rng, self.arabic, has_madda, lambda w, r: w.replace("آ", "ا"), "آ typed as ا"
            ),
        )
        self.qs.fill(
            "madda",
            want // 5,
            self.word_variants(
                rng, self.arabic, has_madda, lambda w, r: w.replace("آ", "أ"), "آ typed as أ"
            ),
        )
        self.qs.fill(
            "madda",
            self.want("madda"),
            self.word_variants(
                rng,
                self.orgs,
                has_madda,
                None,
                "stored without madda, typed with آ",
                stored=lambda t: t.replace("آ", "ا"),
            ),
        )

    def diacritics(self) -> None:
        rng = rng_for("q-diacritics")
        want = self.want("diacritics")
        long_word = lambda w: is_arabic(w) and len(w) >= 3  # noqa: E731
        self.qs.fill(
            "diacritics",
            want * 2 // 5,
            self.word_variants(
                rng,
                self.arabic,
                long_word,
                lambda w, r: add_tashkeel(w, r, 0.9),
                "full tashkeel (and shadda) typed",
                whole=True,
            ),
        )
        self.qs.fill(
            "diacritics",
            want // 5,
            self.word_variants(
                rng,
                self.arabic,
                long_word,
                lambda w, r: add_tashkeel(w, r, 0.3),
                "a few harakat typed",
            ),
        )
        self.qs.fill(
            "diacritics",
            want // 5,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: add_tatweel(w, random.Random(0)) != w,
                lambda w, r: add_tatweel(w, r),
                "tatweel (ـ) inserted",
            ),
        )
        self.qs.fill(
            "diacritics",
            self.want("diacritics"),
            self.word_variants(
                rng,
                self.orgs,
                long_word,
                None,
                "stored with diacritics or tatweel, typed plain",
                stored=lambda t: DIACRITICS_RE.sub("", t),
            ),
        )

    def digits(self) -> None:
        rng = rng_for("q-digits")
        has_digit = lambda w: any(c.isdigit() for c in w)  # noqa: E731
        records = [o for o in self.orgs if any(c.isdigit() for c in o.name_ar)]

        def attempts():
            for _round in range(4):
                for org in shuffled(records, rng):
                    words = words_of(org.true_ar)
                    spots = [i for i, w in enumerate(words) if has_digit(w)]
                    i = rng.choice(spots)
                    span = self.win.choose(words, i, i + 1, rng, min_len=2)
                    if span is None:
                        continue
                    clean = " ".join(words[span[0] : span[1]])
                    stored_eastern = any("\u0660" <= c <= "\u0669" for c in org.name_ar)
                    typed = to_western(clean) if stored_eastern else to_eastern(clean)
                    note = (
                        "stored with Eastern digits, typed with Western"
                        if stored_eastern
                        else "stored with Western digits, typed with Eastern (٠-٩)"
                    )
                    yield typed, clean, org.id, note

        self.qs.fill("digits", self.want("digits"), attempts())

    def prefixes(self) -> None:
        rng = rng_for("q-prefixes")
        want = self.want("prefixes")
        vocab = self.index.vocab
        # How often each particle starts a name in running text (و and ب and ل most).
        particles = ["و"] * 6 + ["ب"] * 5 + ["ل"] * 5 + ["ول"] * 2 + ["وب"] * 2 + ["ف", "ك"]

        def attach(w, r):
            return attach_particle(w, r.choice(particles))

        def attachable(w):
            return (
                is_arabic(w)
                and len(w) >= 3
                and w not in FUNCTION_WORDS
                and detach_particle(w, vocab) is None
            )

        self.qs.fill(
            "prefixes",
            want * 2 // 3,
            self.word_variants(
                rng,
                self.arabic,
                attachable,
                attach,
                "particle attached to the first word (و ب ل لل ف ك and pairs)",
                first=True,
            ),
        )
        self.qs.fill(
            "prefixes",
            self.want("prefixes"),
            self.word_variants(
                rng,
                self.arabic,
                lambda w: detach_particle(w, vocab) is not None,
                lambda w, r: detach_particle(w, vocab),
                "stored with an attached particle, typed without",
            ),
        )

    def suffixes(self) -> None:
        rng = rng_for("q-suffixes")
        self.qs.fill(
            "suffixes",
            self.want("suffixes"),
            self.word_variants(
                rng,
                self.arabic,
                lambda w: w in SUFFIX_FLIPS,
                lambda w, r: SUFFIX_FLIPS[w],
                "suffix changed: relative adjective ية/ي, or sound plural ين/ون",
            ),
        )

    def glued(self) -> None:
        rng = rng_for("q-glued")

        def attempts(stored_only: bool):
            for org in shuffled(self.orgs if stored_only else self.arabic, rng):
                words = words_of(org.true_ar)
                if stored_only:
                    if "glued" not in org.defects:
                        continue
                    stored = words_of(org.name_ar)
                    # the stored word that is two true words
                    i = next(
                        j
                        for j in range(len(stored))
                        if j >= len(words) - 1 or stored[j] != words[j]
                    )
                    span = self.win.choose(words, i, i + 2, rng)
                    if span is None:
                        continue
                    clean = " ".join(words[span[0] : span[1]])
                    yield (
                        clean,
                        clean,
                        org.id,
                        f"stored glued by a scraper («{stored[i]}»), typed with spaces",
                    )
                    continue
                runs = [
                    i
                    for i in range(len(words) - 1)
                    if is_arabic(words[i])
                    and is_arabic(words[i + 1])
                    and words[i] not in FUNCTION_WORDS
                ]
                if not runs:
                    continue
                i = rng.choice(runs)
                n = 3 if rng.random() < 0.25 and i + 2 < len(words) else 2
                span = self.win.choose(words, i, i + n, rng, min_len=n)
                if span is None:
                    continue
                lo, hi = span
                glued = "".join(words[i : i + n])
                if ref_norm(glued) in self.index.vocab:
                    continue
                typed = " ".join(words[lo:i] + [glued] + words[i + n : hi])
                yield (
                    typed,
                    " ".join(words[lo:hi]),
                    org.id,
                    f"{n} words glued without space: {glued}",
                )

        self.qs.fill("glued", self.want("glued") - 10, attempts(False))
        self.qs.fill("glued", self.want("glued"), attempts(True))
        self.qs.fill("glued", self.want("glued"), attempts(False))

    def typo(self) -> None:
        rng = rng_for("q-typo")
        vocab = self.index.vocab
        want = self.want("typo")
        self.qs.fill(
            "typo",
            want - 6,
            self.word_variants(
                rng,
                self.arabic,
                lambda w: is_arabic(w) and len(w) >= 5,
                lambda w, r: typo(w, r, vocab),
                "one letter dropped or doubled",
            ),
        )

        def latin():
            for org in shuffled([o for o in self.orgs if o.name_en], rng):
                words = [w.strip(",") for w in org.name_en.split() if Windows.en_key(w)]
                spots = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
                if not spots:
                    continue
                i = rng.choice(spots)
                span = self.win.choose(words, i, i + 1, rng, latin=True)
                if span is None:
                    continue
                lo, hi = span
                new = latin_typo(words[i], rng)
                if not new or ref_norm(new) in self.index.tokens_of[org.id]:
                    continue
                clean = " ".join(words[lo:hi])
                typed = " ".join(words[lo:i] + [new] + words[i + 1 : hi]).lower()
                yield (
                    typed,
                    clean,
                    org.id,
                    f"English name, one letter dropped or doubled: {words[i]} → {new}",
                )

        self.qs.fill("typo", self.want("typo"), latin())

    def cross_script(self) -> None:
        rng = rng_for("q-cross")
        lexicon: dict[str, tuple[str, list[str]]] = {}
        for ar, en, alts, *_ in L.PS_TOWNS:
            lexicon[ar] = (en, alts.split("|"))
        for ar, en, alts in (
            L.PS_CAMPS + L.JERUSALEM_QUARTERS + L.PROPER + L.FAMILIES + L.FIRST_NAMES
        ):
            lexicon[ar] = (en, alts.split("|"))
        for ar, en, _c, alts in L.ARAB_CITIES:
            lexicon[ar] = (en, alts.split("|"))
        heads = {
            "جمعية": ["society", "association"],
            "مؤسسة": ["foundation"],
            "مركز": ["center", "centre"],
            "نادي": ["club"],
            "بلدية": ["municipality"],
        }

        def latin_for_arabic_only():
            for org in shuffled([o for o in self.orgs if o.true_ar and not o.name_en], rng):
                words = words_of(org.true_ar)
                found = []  # (position, Arabic phrase)
                for n in (3, 2, 1):
                    for i in range(len(words) - n + 1):
                        phrase = " ".join(words[i : i + n])
                        if phrase in lexicon and not any(i <= j < i + n for j, _ in found):
                            found.append((i, phrase))
                if not found:
                    continue
                found.sort()
                if len(found) > 2:
                    found = rng.sample(found, 2)
                    found.sort()
                typed_parts, latin_parts, arabic_parts = [], [], []
                for _i, phrase in found:
                    canonical, alts = lexicon[phrase]
                    spelled = rng.choice(alts) if alts and rng.random() < 0.7 else canonical
                    typed_parts.append(spelled)
                    latin_parts.append(canonical)
                    arabic_parts.append(phrase)
                if words[0] in heads and rng.random() < 0.35:
                    head = rng.choice(heads[words[0]])
                    typed_parts.append(head)
                    latin_parts.append(head)
                    arabic_parts.insert(0, words[0])
                typed = " ".join(typed_parts)
                typed = typed.lower() if rng.random() < 0.6 else typed
                if len(typed.split()) > 4:
                    continue
                yield (
                    typed,
                    " ".join(arabic_parts),
                    org.id,
                    "Arabic-only record, name typed in Latin letters",
                    {"latin_clean": " ".join(latin_parts)},
                )

        def arabic_for_latin_only():
            by_name = {o.name_en: o for o in self.orgs if o.family == "ingo_latin"}
            for name, _c, _a, typed in L.INGOS_LATIN_ONLY:
                for spelling in [s for s in typed.split("|") if s][:1]:
                    yield (
                        spelling,
                        spelling,
                        by_name[name].id,
                        "Latin-only record, name typed in Arabic letters",
                        {"latin_clean": name},
                    )

        self.qs.fill("cross_script", 18, arabic_for_latin_only())
        self.qs.fill("cross_script", self.want("cross_script"), latin_for_arabic_only())

    def acronym(self) -> None:
        rng = rng_for("q-acronym")

        def attempts():
            for org in shuffled([o for o in self.orgs if o.acronym], rng):
                acr = org.acronym
                style = rng.random()
                if style < 0.45:
                    typed, note = acr.lower(), "acronym in lower case"
                elif style < 0.85:
                    typed, note = acr, "acronym as written"
                else:
                    typed, note = ".".join(acr) + ".", "acronym with dots"
                yield typed, acr, org.id, note

        self.qs.fill("acronym", self.want("acronym"), attempts())

    def english(self) -> None:
        rng = rng_for("q-english")

        def attempts():
            for org in shuffled([o for o in self.orgs if o.name_en], rng):
                words = [w.strip(",") for w in org.name_en.split() if Windows.en_key(w)]
                content = [i for i, w in enumerate(words) if w.lower() not in EN_STOP]
                if not content:
                    continue
                i = rng.choice(content)
                span = self.win.choose(words, i, i + 1, rng, latin=True)
                if span is None:
                    continue
                lo, hi = span
                clean = " ".join(words[lo:hi])
                typed, note = clean, "part of the English name"
                if hi - lo == len(words):
                    note = "the whole English name"
                if rng.random() < 0.5:
                    typed, note = typed.lower(), note + ", lower case"
                if "Center" in typed and rng.random() < 0.5:
                    typed, note = typed.replace("Center", "Centre"), note + ", British spelling"
                elif "center" in typed and rng.random() < 0.5:
                    typed, note = typed.replace("center", "centre"), note + ", British spelling"
                yield typed, clean, org.id, note

        self.qs.fill("english", self.want("english"), attempts())

    def exact_name(self) -> None:
        rng = rng_for("q-exact")
        seen_names = Counter(ref_norm(o.name_ar) for o in self.orgs if o.name_ar)
        seen_names.update(ref_norm(o.name_en) for o in self.orgs if o.name_en)

        def attempts(records):
            for org in records:
                for name, note in (
                    (org.name_ar, "the full Arabic name as stored"),
                    (org.name_en, "the full English name as stored"),
                ):
                    if name and seen_names[ref_norm(name)] == 1:
                        clean = org.true_ar if name == org.name_ar else name
                        yield name, clean, org.id, note, {"first": org.id}

        seeds = [o for o in self.orgs if o.family == "seed"]
        self.qs.fill(
            "exact_name",
            40,
            (
                (q, c, t, n, k)
                for q, c, t, n, k in attempts(seeds)
                if n.startswith("the full Arabic") or rng.random() < 0.2
            ),
        )
        self.qs.fill(
            "exact_name",
            60 - self.qs.per_class["exact_name"],
            attempts(shuffled([o for o in self.orgs if o.family != "seed"], rng)),
        )

    def control(self) -> None:
        """A query whose common words are shared by records that must not come first."""
        rng = rng_for("q-control")
        families = Counter()
        groups = defaultdict(list)  # (family, position, the other words) -> records
        for org in self.orgs:
            if org.family in ("seed", "fixture", "ingo_latin") or not org.true_ar:
                continue
            toks = self.index.true_tokens[org.id]
            for pos in range(len(toks)):
                groups[(org.family, pos, toks[:pos] + toks[pos + 1 :])].append(org)

        def attempts():
            keys = shuffled(
                [
                    k
                    for k, v in groups.items()
                    if len({self.index.true_tokens[o.id][k[1]] for o in v}) >= 2
                ],
                rng,
            )
            for family, pos, rest in keys:
                if families[family] >= 4:
                    continue
                members = groups[(family, pos, rest)]
                org = rng.choice(members)
                words = words_of(org.true_ar)
                if len(words) != len(self.index.true_tokens[org.id]):
                    continue
                if ref_norm(words[pos]) in GENERIC_AR:
                    continue  # the differing word must say which organization
                span = self.win.choose(words, pos, pos + 1, rng, min_len=2)
                if span is None:
                    continue
                clean = " ".join(words[span[0] : span[1]])
                mine = self.index.true_tokens[org.id][pos]
                distractors = [
                    o.id
                    for o in members
                    if o.id != org.id and not same_word(mine, self.index.true_tokens[o.id][pos])
                ]
                before = self.qs.per_class["control"]
                yield (
                    clean,
                    clean,
                    org.id,
                    f"shares its other words with record(s) that differ by one informative "
                    f"word (here «{words[pos]}»)",
                    {"must_not_first": distractors},
                )
                if self.qs.per_class["control"] > before:
                    families[family] += 1

        self.qs.fill("control", self.want("control") + 10, attempts())

    # --- hand-written queries from the seeds and fixtures --------------------------------

    def hand_written(self) -> None:
        """The queries of hand_queries.py: from the seeds, and for the real organizations."""

        def resolve(ref: str) -> str:
            if ref.startswith("fx:"):
                return f"syn-fx-{ref[3:]}"
            if ref.startswith("en:"):
                return self.ids_named(ref[3:])[0]
            return ref

        for cls, typed, clean, target, note, extra in H.QUERIES:
            self.qs.add(cls, typed, clean, resolve(target), note, hand=True, **extra)

        quran_like = sorted(
            oid
            for oid, toks in self.index.tokens_of.items()
            if any(t.startswith(("قر", "القر", "وقر", "بقر")) for t in toks)
            and "القران" not in toks
        )
        un_like = sorted(
            o.id for o in self.orgs if o.acronym.upper().startswith("UN") and o.acronym != "UN"
        )
        for query, named, note, first in H.CONTROLS:
            latin = not is_arabic(query)
            # One-word names differing from a one-word query say nothing: siblings need two.
            distractors = (
                set(self.index.siblings(query, latin=latin)) if len(query.split()) > 1 else set()
            )
            for name in named:
                if name == "@quran":
                    distractors.update(quran_like)
                elif name == "@un":
                    distractors.update(un_like)
                else:
                    distractors.update(self.ids_named(name))
            self.qs.add(
                "control", query, query, None, note, must_not_first=sorted(distractors),
                first=first, hand=True,
            )  # fmt: skip


# =========================================================================================
# 6. Pairs for duplicate detection
# =========================================================================================


class PairBuilder:
    def __init__(self, orgs: list[Org], index: Index) -> None:
        self.orgs = orgs
        self.index = index
        self.by_id = {o.id: o for o in orgs}
        self.pairs: list[dict] = []
        self.seen: set[tuple] = set()
        self.rng = rng_for("pairs")

    def add(
        self,
        a: dict,
        b: dict,
        label: bool,
        cls: str,
        note: str,
        a_id: str | None = None,
        b_id: str | None = None,
        diff: list[str] | None = None,
    ) -> bool:
        key = (
            json.dumps(a, ensure_ascii=False, sort_keys=True),
            json.dumps(b, ensure_ascii=False, sort_keys=True),
        )
        if key in self.seen or key[::-1] in self.seen or a == b:
            return False
        self.seen.add(key)
        item = {
            "id": f"pair-{len(self.pairs) + 1:04d}",
            "a": a,
            "b": b,
            "label": label,
            "class": cls,
            "note": note,
            "a_id": a_id,
            "b_id": b_id,
        }
        if diff:
            item["diff"] = diff
        self.pairs.append(item)
        return True

    def english_noise(self, b: dict) -> dict:
        r = self.rng.random()
        if r < 0.25:
            b["name_en"] = ""
        elif r < 0.4:
            b["name_en"] = b["name_en"].lower()
        if self.rng.random() < 0.2:
            b["acronym"] = ""
        if self.rng.random() < 0.15:
            b["city"] = ""
        return b

    def spelling_variant(self, name: str) -> tuple[str, list[str]] | None:
        """One or two spelling changes of an Arabic name, and what they were."""
        rng = self.rng
        words = name.split()
        changes = []
        for _ in range(rng.choice([1, 1, 2])):
            i = rng.randrange(len(words))
            w = words[i]
            options = []
            if any(c in w for c in "أإ"):
                options.append(("hamza dropped", drop_alef_hamza(w)))
            if hamza_seat_variants(w):
                options.append(("hamza seat", hamza_seat_variants(w)[0]))
            if w.endswith("ة"):
                options.append(("ة as ه", taa_to_haa(w)))
            if w.endswith(("ى", "ي")) and len(w) > 3:
                options.append(("ى/ي", maqsura_swap(w)))
            if "آ" in w:
                options.append(("madda dropped", w.replace("آ", "ا")))
            if wasl_with_hamza(w):
                options.append(("hamza on wasl", wasl_with_hamza(w)))
            if is_arabic(w) and len(w) >= 5:
                t = typo(w, rng, self.index.vocab)
                if t:
                    options.append(("one letter dropped or doubled", t))
            if is_arabic(w) and len(w) >= 3:
                options.append(("tashkeel", add_tashkeel(w, rng, 0.7)))
                options.append(("tatweel", add_tatweel(w, rng)))
            options = [(n, v) for n, v in options if v != w]
            if not options:
                continue
            what, new = rng.choice(options)
            words[i] = new
            changes.append(what)
        if not changes:
            return None
        return " ".join(words), changes

    # --- positives -------------------------------------------------------------------------

    def spelling(self, want: int) -> None:
        n = 0
        for org in shuffled([o for o in self.orgs if o.name_ar], self.rng):
            if n >= want:
                break
            got = self.spelling_variant(org.name_ar)
            if not got:
                continue
            b = self.english_noise(org.for_pair() | {"name_ar": got[0]})
            n += self.add(
                org.for_pair(),
                b,
                True,
                "spelling",
                "same organization: " + ", ".join(got[1]),
                org.id,
            )

    def scrape(self, want: int) -> None:
        rng = self.rng
        n = 0
        for org in shuffled([o for o in self.orgs if o.name_ar and o.family != "ingo_latin"], rng):
            if n >= want:
                break
            words = org.name_ar.split()
            options = []
            pairs_ = [
                i for i in range(len(words) - 1) if is_arabic(words[i]) and is_arabic(words[i + 1])
            ]
            if pairs_:
                i = rng.choice(pairs_)
                options.append(
                    (
                        "two words glued",
                        " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :]),
                    )
                )
            if org.country in COUNTRY_AR:
                options.append(
                    (
                        "country attached as in a news text (ب + country)",
                        f"{org.name_ar} ب{COUNTRY_AR[org.country]}",
                    )
                )
            if org.city and org.city not in org.name_ar:
                options.append(("city appended", f"{org.name_ar} - {org.city}"))
            if words[0] in ("مؤسسة", "جمعية", "مركز") and len(words) >= 3:
                options.append(("generic first word left out", " ".join(words[1:])))
            adjs = [
                i for i, w in enumerate(words) if i > 0 and w.startswith("ال") and w.endswith("ية")
            ]
            if adjs:
                i = rng.choice(adjs)
                options.append(
                    (
                        "ال written لل, as للثقافية in seed 000",
                        " ".join(words[:i] + ["لل" + words[i][2:]] + words[i + 1 :]),
                    )
                )
            if len(words) >= 3:
                options.append(("name in quotes", f"«{org.name_ar}»"))
                options.append(("kind added in brackets", f"{org.name_ar} (منظمة غير حكومية)"))
            if not options:
                continue
            what, new = rng.choice(options)
            b = org.for_pair() | {"name_ar": new}
            if rng.random() < 0.6:
                b["name_en"], b["acronym"] = "", ""
            n += self.add(org.for_pair(), b, True, "scrape", "same organization: " + what, org.id)

    def translit(self, want: int) -> None:
        rng = self.rng
        spell = {}
        for _ar, en, alts, *_ in L.PS_TOWNS:
            spell[en] = alts.split("|")
        for _ar, en, alts in (
            L.PS_CAMPS + L.JERUSALEM_QUARTERS + L.PROPER + L.FAMILIES + L.FIRST_NAMES
        ):
            spell[en] = alts.split("|")
        n = 0
        for name, country, _acronym, typed in L.INGOS_LATIN_ONLY:
            if n >= want // 4:
                break
            if not typed:
                continue
            org = next(o for o in self.orgs if o.name_en == name and o.family == "ingo_latin")
            b = {
                "name_ar": typed.split("|")[0],
                "name_en": "",
                "acronym": "",
                "city": "",
                "country": country,
            }
            n += self.add(
                org.for_pair(),
                b,
                True,
                "translit",
                "same organization: Latin-only record and its name in Arabic letters",
                org.id,
            )
        candidates = [
            o
            for o in self.orgs
            if o.true_ar and (o.name_en or o.hidden_en) and o.family not in ("seed", "fixture")
        ]
        for org in shuffled(candidates, rng):
            if n >= want:
                break
            en = org.name_en or org.hidden_en
            for canonical, alts in spell.items():
                if canonical in en and alts and rng.random() < 0.8:
                    en = en.replace(canonical, rng.choice(alts).title())
            a = org.for_pair() | {"name_en": "", "acronym": ""}
            b = {
                "name_ar": "",
                "name_en": en,
                "acronym": "",
                "city": org.city,
                "country": org.country,
            }
            n += self.add(
                a,
                b,
                True,
                "translit",
                "same organization: Arabic-only record and English-only record"
                + (" with another Latin spelling" if en != (org.name_en or org.hidden_en) else ""),
                org.id,
            )

    def reorder(self, want: int) -> None:
        rng = self.rng
        n = 0
        adjectives = (
            set(ADJ_M)
            | {m for m in ADJ_M.values()}
            | {x for nat in L.NAT for x in nat[:2]}
            | {"العام"}
        )
        for org in shuffled([o for o in self.orgs if o.name_ar and o.name_en], rng):
            if n >= want:
                break
            words = org.name_ar.split()
            runs = [
                i
                for i in range(1, len(words) - 1)
                if words[i] in adjectives and words[i + 1] in adjectives
            ]
            en = org.name_en
            if runs:
                i = rng.choice(runs)
                new = words[:i] + [words[i + 1], words[i]] + words[i + 2 :]
                b = org.for_pair() | {"name_ar": " ".join(new)}
                n += self.add(
                    org.for_pair(),
                    b,
                    True,
                    "reorder",
                    "same organization: two adjectives swapped",
                    org.id,
                )
            elif en.endswith(" Municipality"):
                b = org.for_pair() | {
                    "name_en": "Municipality of " + en[: -len(" Municipality")],
                    "name_ar": "",
                }
                n += self.add(
                    org.for_pair(),
                    b,
                    True,
                    "reorder",
                    "same organization: English name inverted, no Arabic name",
                    org.id,
                )
            elif (
                len(words) >= 3
                and words[0] in ("جمعية", "مؤسسة", "مركز", "نادي")
                and rng.random() < 0.5
            ):
                b = org.for_pair() | {"name_ar": " ".join(words[1:]) + "، " + words[0]}
                n += self.add(
                    org.for_pair(),
                    b,
                    True,
                    "reorder",
                    "same organization: directory order (name, kind)",
                    org.id,
                )
            elif " of " in en and rng.random() < 0.5:
                head, _, rest = en.partition(" of ")
                b = org.for_pair() | {"name_en": f"{rest} {head}"}
                n += self.add(
                    org.for_pair(),
                    b,
                    True,
                    "reorder",
                    "same organization: English words reordered",
                    org.id,
                )

    def acronym(self, want: int) -> None:
        rng = self.rng
        n = 0
        for org in shuffled([o for o in self.orgs if o.acronym], rng):
            if n >= want:
                break
            if rng.random() < 0.5:
                b = {
                    "name_ar": "",
                    "name_en": org.acronym,
                    "acronym": "",
                    "city": org.city,
                    "country": org.country,
                }
                note = "same organization: known by its acronym only"
            else:
                b = {
                    "name_ar": org.name_ar,
                    "name_en": "",
                    "acronym": org.acronym.lower(),
                    "city": "",
                    "country": org.country,
                }
                note = "same organization: Arabic name and acronym only"
            n += self.add(org.for_pair(), b, True, "acronym", note, org.id)

    def seed_pairs(self) -> None:
        s = self.by_id
        gucc, maat = s["seed-000-gucc"], s["seed-000-maat"]
        self.add(
            gucc.for_pair(),
            gucc.for_pair() | {"name_ar": "الاتحاد العام للمراكز للثقافية", "name_en": ""},
            True,
            "scrape",
            "seed 000 spells it both ways in one article",
            gucc.id,
        )
        self.add(
            gucc.for_pair(),
            {
                "name_ar": "الاتحاد العام للمراكز",
                "name_en": "",
                "acronym": "",
                "city": "",
                "country": "PS",
            },
            True,
            "scrape",
            "seed 000 shortens it",
            gucc.id,
        )
        self.add(
            maat.for_pair(),
            {"name_ar": "ماعت", "name_en": "", "acronym": "", "city": "", "country": ""},
            True,
            "scrape",
            "seed 000 calls it ماعت",
            maat.id,
        )
        self.add(
            maat.for_pair(),
            maat.for_pair()
            | {"name_ar": "مؤسسة ماعت للسلام والتنمية وحقوق الإنسان بمصر", "name_en": ""},
            True,
            "scrape",
            "the country glued on, as seed 000 writes it",
            maat.id,
        )
        un = s["seed-000-united-nations"]
        self.add(
            un.for_pair(),
            un.for_pair() | {"name_ar": "الأممالمتحدة", "name_en": "", "acronym": ""},
            True,
            "scrape",
            "glued, as in seed 000",
            un.id,
        )
        congress = s["seed-002-us-congress"]
        self.add(
            congress.for_pair(),
            congress.for_pair() | {"name_ar": "الكونجرس الأمريكي", "name_en": ""},
            True,
            "translit",
            "seed 002 writes الكونغرس and الكونجرس",
            congress.id,
        )
        cndh = s["seed-001-cndh"]
        self.add(
            cndh.for_pair(),
            {
                "name_ar": "",
                "name_en": "Conseil national des droits de l'Homme",
                "acronym": "CNDH",
                "city": "",
                "country": "MA",
            },
            True,
            "translit",
            "the French name",
            cndh.id,
        )
        dept = s["seed-001-plo-human-rights-department"]
        self.add(
            dept.for_pair(),
            dept.for_pair()
            | {"name_ar": "دائرة حقوق الإنسان في منظمة التحرير الفلسطينية", "name_en": ""},
            True,
            "scrape",
            "seed 001 shortens it",
            dept.id,
        )
        pngo = s["seed-003-palestinian-ngos-network"]
        self.add(
            pngo.for_pair(),
            {
                "name_ar": "شبكة المنظمات الأهلية الفلسطينية",
                "name_en": "",
                "acronym": "PNGO",
                "city": "",
                "country": "PS",
            },
            True,
            "acronym",
            "the longer name and the acronym",
            pngo.id,
        )
        gun = s["seed-003-general-union-of-palestinian-ngos"]
        self.add(
            gun.for_pair(),
            gun.for_pair() | {"name_ar": "الاتحاد العام للمنظمات الاهلية", "name_en": ""},
            True,
            "spelling",
            "seed 003 shortens it; no hamza",
            gun.id,
        )
        jv = s["seed-002-just-vision"]
        self.add(
            jv.for_pair() | {"name_en": ""},
            jv.for_pair() | {"name_ar": ""},
            True,
            "translit",
            "the English name written in Arabic letters",
            jv.id,
        )
        # Seed negatives
        self.add(
            gucc.for_pair(),
            s["seed-003-union-of-cultural-associations-and-centers"].for_pair(),
            False,
            "hard_negative",
            "named as two unions in the seeds; share الاتحاد/المراكز/الثقافية (differ by "
            "more than one word)",
            gucc.id,
            "seed-003-union-of-cultural-associations-and-centers",
        )
        jer = s["seed-003-union-of-charitable-societies-jerusalem"]
        heb = s["seed-003-union-of-charitable-societies-hebron"]
        self.add(
            jer.for_pair(),
            heb.for_pair(),
            False,
            "hard_negative",
            "differ by one informative word: القدس / الخليل",
            jer.id,
            heb.id,
            ["القدس", "الخليل"],
        )

    # --- negatives -------------------------------------------------------------------------

    def hard_negatives(self, want: int) -> None:
        """Records whose true names differ in one word only (بلدية الخليل / بلدية نابلس)."""
        rng = self.rng
        groups = defaultdict(list)
        for org in self.orgs:
            if not org.true_ar or org.family == "assoc_proper_twin":
                continue
            toks = self.index.true_tokens[org.id]
            for pos in range(len(toks)):
                groups[(pos, toks[:pos] + toks[pos + 1 :])].append(org)
        per_family = Counter()
        cap = max(8, want // 12)
        keys = shuffled([k for k, v in groups.items() if len(v) >= 2], rng)
        n = 0
        for pos, rest in keys:
            if n >= want:
                break
            members = groups[(pos, rest)]
            a = rng.choice(members)
            # b: another record of the group, from a's country if there is one (so that the
            # country field does not give the answer away), never a mere variant of a's word.
            others = [
                o
                for o in members
                if o.id != a.id
                and not same_word(
                    self.index.true_tokens[a.id][pos], self.index.true_tokens[o.id][pos]
                )
            ]
            if not others:
                continue
            same_country = [o for o in others if o.country == a.country]
            b = rng.choice(same_country or others)
            ta, tb = self.index.true_tokens[a.id][pos], self.index.true_tokens[b.id][pos]
            # A foundation and a centre of the same name may be one body: not a hard negative.
            if {ta, tb} & (HEAD_WORDS | {ref_norm(w) for w in FUNCTION_WORDS}):
                continue
            fam = a.family if a.family == b.family else "mixed"
            if per_family[fam] >= cap:
                continue
            bd = b.for_pair()
            wa, wb = words_of(a.true_ar), words_of(b.true_ar)
            diff = [
                wa[pos] if len(wa) == len(self.index.true_tokens[a.id]) else ta,
                wb[pos] if len(wb) == len(self.index.true_tokens[b.id]) else tb,
            ]
            note = f"different organizations: one informative word differs ({diff[0]} / {diff[1]})"
            if rng.random() < 0.3:
                got = self.spelling_variant(b.name_ar)
                if got:
                    bd["name_ar"] = got[0]
                    note += "; b also spelled loosely (" + ", ".join(got[1]) + ")"
            if rng.random() < 0.25:
                bd["name_en"] = ""
            if self.add(
                a.for_pair(),
                bd,
                False,
                "hard_negative",
                note,
                a.id,
                b.id,
                diff,
            ):
                per_family[fam] += 1
                n += 1
        # Same name, another town: a different local association.
        for twin in [o for o in self.orgs if o.family == "assoc_proper_twin"]:
            if n >= want + 20:
                break
            orig = self.by_id[twin.slots["twin_of"]]
            if self.add(
                orig.for_pair(),
                twin.for_pair(),
                False,
                "hard_negative",
                f"different organizations: same name, another town ({orig.city} / {twin.city})",
                orig.id,
                twin.id,
                [orig.city, twin.city],
            ):
                n += 1

    def easy_negatives(self, want: int) -> None:
        rng = self.rng
        pool = [o for o in self.orgs if o.name_ar or o.name_en]
        n = 0
        while n < want:
            a, b = rng.sample(pool, 2)
            ta, tb = self.index.tokens_of[a.id], self.index.tokens_of[b.id]
            if len(ta & tb) / max(1, len(ta | tb)) > 0.25:
                continue
            n += self.add(
                a.for_pair(),
                b.for_pair(),
                False,
                "easy_negative",
                "different organizations, little in common",
                a.id,
                b.id,
            )

    def build(self) -> list[dict]:
        self.seed_pairs()
        self.spelling(80)
        self.scrape(55)
        self.translit(40)
        self.reorder(30)
        self.acronym(30)
        self.hard_negatives(200)
        self.easy_negatives(170)
        return self.pairs


# =========================================================================================
# 7. Output
# =========================================================================================


def write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def counts_table(corpus: list[Org], queries: list[dict], pairs: list[dict]) -> str:
    fam = Counter(
        "seed" if o.family == "seed" else "fixture" if o.family == "fixture" else "synthetic"
        for o in corpus
    )
    defects = Counter(d for o in corpus for d in o.defects)
    lines = [
        f"Corpus: {len(corpus)} organizations ({fam['seed']} from the seeds, "
        f"{fam['fixture']} real organizations written by hand, {fam['synthetic']} synthetic); "
        f"{sum(1 for o in corpus if o.defects)} stored with a defect "
        f"({', '.join(f'{k} {v}' for k, v in sorted(defects.items()))}); "
        f"{sum(1 for o in corpus if o.name_ar and not o.name_en)} Arabic-only, "
        f"{sum(1 for o in corpus if o.name_en and not o.name_ar)} Latin-only.",
        "",
        "| query class | queries | hand-written | mean relevant |",
        "|---|---:|---:|---:|",
    ]
    by_class = defaultdict(list)
    for q in queries:
        by_class[q["class"]].append(q)
    for cls in CLASSES:
        items = by_class[cls]
        hand = sum(1 for q in items if q.get("hand"))
        mean = sum(len(q["relevant"]) for q in items) / max(1, len(items))
        lines.append(f"| {cls} | {len(items)} | {hand} | {mean:.1f} |")
    lines.append(
        f"| **total** | **{len(queries)}** | **{sum(1 for q in queries if q.get('hand'))}** | |"
    )
    lines += ["", "| pair class | label | pairs |", "|---|---|---:|"]
    pc = Counter((p["class"], p["label"]) for p in pairs)
    for (cls, label), n in sorted(pc.items(), key=lambda kv: (not kv[0][1], kv[0][0])):
        lines.append(f"| {cls} | {str(label).lower()} | {n} |")
    hard = sum(1 for p in pairs if p["class"] == "hard_negative")
    lines.append(
        f"| **total** | | **{len(pairs)}** ({hard} hard negatives = {hard / len(pairs):.0%}) |"
    )
    return "\n".join(lines)


CLASSES = [
    "hamza",
    "taa_marbuta",
    "alef_maqsura",
    "madda",
    "diacritics",
    "digits",
    "prefixes",
    "suffixes",
    "glued",
    "typo",
    "cross_script",
    "acronym",
    "english",
    "exact_name",
    "control",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="directory to write into")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    corpus = build_corpus()
    index = Index(corpus)
    builder = QueryBuilder(corpus, index)
    queries = builder.build()
    queries.sort(key=lambda q: (CLASSES.index(q["class"]), q["id"]))
    pairs = PairBuilder(corpus, index).build()

    write_jsonl(out / "corpus.jsonl", (o.public() for o in corpus))
    write_jsonl(out / "queries.jsonl", queries)
    write_jsonl(out / "pairs.jsonl", pairs)

    table = counts_table(corpus, queries, pairs)
    readme = out / "README.md"
    source = HERE / "README.md"
    if source.exists():
        text = source.read_text(encoding="utf-8")
        start, end = "<!-- counts:start -->", "<!-- counts:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            _old, tail = rest.split(end, 1)
            text = f"{head}{start}\n{table}\n{end}{tail}"
        readme.write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
