"""A realistic, deterministic CSV of organizations for the benchmark.

Names are built from paired Arabic/English word lists (so the two names of a row say the same
thing), kinds and countries follow a skewed distribution like a real Arab civil-society
directory (mostly NGOs, mostly Palestine, Egypt, Morocco, Jordan, ...), cities belong to their
country, counts are sometimes minimums ("120+"), and a few English names carry commas and
quotes so that the CSV needs quoting. The same seed always gives the same bytes."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

COLUMNS = [
    "external_id",
    "name_ar",
    "name_en",
    "acronym",
    "kind",
    "country",
    "city",
    "founded_year",
    "member_count",
    "partner_count",
    "website",
    "focus_areas",
]

# (Arabic, English, kinds that use this word)
PREFIXES = [
    ("جمعية", "Association", "ngo"),
    ("مؤسسة", "Foundation", "ngo"),
    ("مركز", "Center", "ngo"),
    ("منتدى", "Forum", "ngo"),
    ("ملتقى", "Assembly", "ngo"),
    ("هيئة", "Commission", "ngo"),
    ("منظمة", "Organization", "ngo"),
    ("اتحاد", "Union", "union"),
    ("الاتحاد العام", "General Union", "union"),
    ("شبكة", "Network", "union"),
    ("ائتلاف", "Coalition", "union"),
    ("بلدية", "Municipality", "local_authority"),
    ("مجلس قروي", "Village Council", "local_authority"),
    ("مجلس محلي", "Local Council", "local_authority"),
    ("وزارة", "Ministry", "government"),
    ("دائرة", "Department", "government"),
    ("المجلس الوطني", "National Council", "nhri"),
    ("اللجنة المستقلة", "Independent Commission", "nhri"),
    ("جامعة", "University", "academic"),
    ("كلية", "College", "academic"),
    ("معهد", "Institute", "academic"),
    ("صندوق", "Fund", "fund"),
    ("شركة", "Company", "company"),
    ("مكتب", "Office", "international"),
    ("بعثة", "Mission", "international"),
    ("لجنة", "Committee", "other"),
    ("نادي", "Club", "other"),
]
SUBJECTS = [
    ("الشباب", "Youth"),
    ("المرأة", "Women"),
    ("الطفولة", "Childhood"),
    ("المراكز الثقافية", "Cultural Centers"),
    ("حقوق الإنسان", "Human Rights"),
    ("التنمية", "Development"),
    ("السلام", "Peace"),
    ("الديمقراطية", "Democracy"),
    ("الإغاثة", "Relief"),
    ("التعليم", "Education"),
    ("الصحة", "Health"),
    ("البيئة", "Environment"),
    ("المزارعين", "Farmers"),
    ("العمال", "Workers"),
    ("الأشخاص ذوي الإعاقة", "Persons with Disabilities"),
    ("الأسرى", "Prisoners"),
    ("اللاجئين", "Refugees"),
    ("الحكم المحلي", "Local Government"),
    ("الإعلام", "Media"),
    ("القانون", "Law"),
    ("المجتمع المدني", "Civil Society"),
    ("الثقافة والفنون", "Culture and Arts"),
    ("الرياضة", "Sports"),
    ("المياه", "Water"),
    ("الإسكان", "Housing"),
    ("التراث", "Heritage"),
    ("العدالة الاجتماعية", "Social Justice"),
    ("المواطنة", "Citizenship"),
]
PURPOSES = [
    ("للتنمية", "for Development"),
    ("للتنمية المجتمعية", "for Community Development"),
    ("للسلام والتنمية وحقوق الإنسان", "for Peace, Development and Human Rights"),
    ("للدراسات والأبحاث", "for Studies and Research"),
    ("للتدريب", "for Training"),
    ("للإغاثة والتنمية", "for Relief and Development"),
    ("للحوار", "for Dialogue"),
    ("للتمكين", "for Empowerment"),
    ("للمناصرة", "for Advocacy"),
    ("", ""),
    ("", ""),
    ("", ""),
]
# Masculine qualifiers; a feminine prefix (ending in ة) takes the feminine form (+ ة).
QUALIFIERS = [
    ("الفلسطيني", "Palestinian"),
    ("المصري", "Egyptian"),
    ("العربي", "Arab"),
    ("الوطني", "National"),
    ("الأهلي", "Civil"),
    ("الدولي", "International"),
    ("الإقليمي", "Regional"),
    ("المستقل", "Independent"),
    ("", ""),
    ("", ""),
    ("", ""),
    ("", ""),
]
# country: (weight, [(city_ar, city_en) ...])
COUNTRIES: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "PS": (
        30,
        [
            ("غزة", "Gaza"),
            ("رام الله", "Ramallah"),
            ("نابلس", "Nablus"),
            ("الخليل", "Hebron"),
            ("بيت لحم", "Bethlehem"),
            ("جنين", "Jenin"),
            ("خان يونس", "Khan Younis"),
            ("رفح", "Rafah"),
            ("طولكرم", "Tulkarm"),
            ("قلقيلية", "Qalqilya"),
            ("أريحا", "Jericho"),
            ("دير البلح", "Deir al-Balah"),
        ],
    ),
    "EG": (
        15,
        [
            ("القاهرة", "Cairo"),
            ("الإسكندرية", "Alexandria"),
            ("الجيزة", "Giza"),
            ("أسيوط", "Assiut"),
            ("المنصورة", "Mansoura"),
            ("أسوان", "Aswan"),
        ],
    ),
    "MA": (
        10,
        [
            ("الرباط", "Rabat"),
            ("الدار البيضاء", "Casablanca"),
            ("فاس", "Fez"),
            ("مراكش", "Marrakesh"),
            ("طنجة", "Tangier"),
            ("أكادير", "Agadir"),
        ],
    ),
    "JO": (8, [("عمّان", "Amman"), ("إربد", "Irbid"), ("الزرقاء", "Zarqa"), ("العقبة", "Aqaba")]),
    "LB": (6, [("بيروت", "Beirut"), ("طرابلس", "Tripoli"), ("صيدا", "Sidon"), ("صور", "Tyre")]),
    "TN": (6, [("تونس", "Tunis"), ("صفاقس", "Sfax"), ("سوسة", "Sousse")]),
    "DZ": (3, [("الجزائر", "Algiers"), ("وهران", "Oran"), ("قسنطينة", "Constantine")]),
    "IQ": (4, [("بغداد", "Baghdad"), ("البصرة", "Basra"), ("أربيل", "Erbil"), ("الموصل", "Mosul")]),
    "SY": (2, [("دمشق", "Damascus"), ("حلب", "Aleppo"), ("حمص", "Homs")]),
    "YE": (3, [("صنعاء", "Sanaa"), ("عدن", "Aden"), ("تعز", "Taiz")]),
    "SD": (2, [("الخرطوم", "Khartoum"), ("بورتسودان", "Port Sudan")]),
    "LY": (2, [("طرابلس", "Tripoli"), ("بنغازي", "Benghazi")]),
    "SA": (1, [("الرياض", "Riyadh"), ("جدة", "Jeddah")]),
    "AE": (1, [("أبوظبي", "Abu Dhabi"), ("دبي", "Dubai")]),
    "QA": (1, [("الدوحة", "Doha")]),
    "KW": (1, [("الكويت", "Kuwait City")]),
    "OM": (1, [("مسقط", "Muscat")]),
    "MR": (1, [("نواكشوط", "Nouakchott")]),
    "CH": (1, [("جنيف", "Geneva")]),
    "BE": (1, [("بروكسل", "Brussels")]),
    "FR": (1, [("باريس", "Paris")]),
    "GB": (1, [("لندن", "London")]),
}
KIND_WEIGHTS = {
    "ngo": 55,
    "union": 8,
    "local_authority": 12,
    "government": 5,
    "nhri": 1,
    "academic": 5,
    "international": 4,
    "fund": 3,
    "company": 2,
    "other": 5,
}
FOCUS_AREAS = [
    "حقوق الإنسان",
    "التنمية المحلية",
    "بناء القدرات",
    "تبادل الخبرات",
    "توثيق الانتهاكات",
    "الرصد",
    "المناصرة",
    "إعداد التقارير",
    "آليات الحوار",
    "حقوق المرأة",
    "حقوق الطفل",
    "الشباب",
    "الثقافة",
    "التعليم",
    "الصحة",
    "البيئة",
    "المياه",
    "الحكم المحلي",
    "التوأمة",
    "الإغاثة",
    "الزراعة",
    "الإعلام",
    "السلام",
    "الديمقراطية",
    "capacity-building",
    "advocacy",
    "monitoring",
    "twinning",
]


def _weighted(rng: random.Random, weights: dict[str, int]) -> list[str]:
    return [key for key, weight in weights.items() for _ in range(weight)]


def rows(count: int, seed: int = 2026) -> list[list[str]]:
    rng = random.Random(seed)
    kind_pool = _weighted(rng, KIND_WEIGHTS)
    country_pool = _weighted(rng, {code: weight for code, (weight, _c) in COUNTRIES.items()})
    prefixes_by_kind: dict[str, list[tuple[str, str]]] = {}
    for arabic, english, kind in PREFIXES:
        prefixes_by_kind.setdefault(kind, []).append((arabic, english))
    out = []
    for number in range(1, count + 1):
        kind = rng.choice(kind_pool)
        country = rng.choice(country_pool)
        city_ar, city_en = rng.choice(COUNTRIES[country][1])
        prefix_ar, prefix_en = rng.choice(prefixes_by_kind[kind])
        if kind == "local_authority":
            name_ar, name_en = f"{prefix_ar} {city_ar}", f"{prefix_en} of {city_en}"
            if rng.random() < 0.9:  # many municipalities share a city; keep names distinct
                name_ar += f" {number}"
                name_en += f" {number}"
        else:
            subject_ar, subject_en = rng.choice(SUBJECTS)
            purpose_ar, purpose_en = rng.choice(PURPOSES)
            qualifier_ar, qualifier_en = rng.choice(QUALIFIERS)
            if qualifier_ar and prefix_ar.split()[0].endswith("ة"):
                qualifier_ar += "ة"
            name_ar = " ".join(
                part for part in (prefix_ar, subject_ar, qualifier_ar, purpose_ar) if part
            )
            name_en = " ".join(
                part for part in (qualifier_en, subject_en, prefix_en, purpose_en) if part
            )
            if rng.random() < 0.5:
                name_ar += f" - {city_ar}"
                name_en += f" – {city_en}"
            if rng.random() < 0.03:
                name_en = f'"{name_en}"'  # quoted inside the cell
        if rng.random() < 0.08:
            name_en = ""  # Arabic-only organizations
        elif rng.random() < 0.02:
            name_ar = ""  # English-only
        acronym = ""
        if name_en and rng.random() < 0.4:
            acronym = "".join(
                word[0] for word in name_en.replace("–", " ").split() if word[0].isupper()
            )[:8]
        founded = "" if rng.random() < 0.15 else str(rng.randint(1948, 2025))
        member = partner = ""
        if kind in {"union", "local_authority"} or rng.random() < 0.3:
            member = f"{rng.randint(3, 400)}{'+' if rng.random() < 0.3 else ''}"
        if rng.random() < 0.4:
            partner = f"{rng.randint(1, 250)}{'+' if rng.random() < 0.4 else ''}"
        website = ""
        if rng.random() < 0.6:
            tld = rng.choice(["org", "ps", "org.eg", "ma", "net", "gov.ps", "edu"])
            website = f"https://www.{(acronym or 'org').lower()}{number}.{tld}/"
        focus = "|".join(rng.sample(FOCUS_AREAS, rng.choice([0, 1, 1, 2, 2, 3, 4])))
        out.append(
            [
                f"bench-{number:06d}",
                name_ar,
                name_en,
                acronym,
                kind,
                country,
                city_ar if rng.random() < 0.85 else city_en,
                founded,
                member,
                partner,
                website,
                focus,
            ]
        )
    return out


def write_csv(path: Path, count: int, seed: int = 2026) -> int:
    """Write `count` organizations to `path` (UTF-8 with BOM, like `tahaluf export`)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(count, seed))
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data)
    return len(data)
