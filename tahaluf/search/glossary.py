"""The words organizations' names are made of, in Arabic and in English (and a few French
forms), grouped by meaning. Duplicate detection uses it to compare an Arabic-only record with
an English-only one: جمعية كنعان الشبابية and Kanaan Youth Society share كنعان/Kanaan by their
transliteration key, and جمعية/Society and الشبابية/Youth by meaning here; while جمعية الإصلاح
الخيرية and Al-Islah Health Society differ by a word whose meaning is known on both sides.

Written from general knowledge of how Arab civil-society organizations, institutions and
places are named; it is not a dictionary and needs none of the words of any one registry.
Words are written as people write them: they are normalized and stemmed (arabic.stem) when
the table is built, so الثقافية, الثقافي and ثقافة all find "cultural"."""

from __future__ import annotations

from functools import lru_cache

from tahaluf.search import arabic

# concept: (Arabic words, English/French words)
CONCEPTS: dict[str, tuple[str, str]] = {
    # kinds of organization
    "society": ("جمعية جمعيات", "society association associations societe"),
    "foundation": ("مؤسسة مؤسسات", "foundation institution establishment fondation"),
    "center": ("مركز مراكز", "center centre centers centres centro"),
    "union": ("اتحاد اتحادات", "union federation unions federations"),
    "general": ("العام العامة", "general generale"),
    "club": ("نادي أندية", "club clubs"),
    "network": ("شبكة", "network reseau"),
    "forum": ("منتدى ملتقى", "forum gathering assembly meeting"),
    "league": ("رابطة", "league"),
    "syndicate": ("نقابة نقابات", "syndicate syndicat guild trade"),
    "coalition": ("ائتلاف تحالف", "coalition alliance"),
    "council": ("مجلس مجالس", "council conseil board"),
    "commission": ("هيئة لجنة", "commission authority body committee instance"),
    "organization": ("منظمة منظمات", "organization organisation organizations"),
    "ministry": ("وزارة", "ministry ministere"),
    "municipality": ("بلدية بلديات", "municipality municipal commune"),
    "village": ("قروي قرية", "village"),
    "local": ("محلي المحلية", "local"),
    "institute": ("معهد", "institute institut"),
    "college": ("كلية", "college faculty"),
    "university": ("جامعة", "university universite"),
    "school": ("مدرسة", "school ecole"),
    "academy": ("أكاديمية", "academy academie"),
    "office": ("مكتب", "office bureau"),
    "department": ("دائرة إدارة", "department directorate"),
    "fund": ("صندوق", "fund fonds"),
    "company": ("شركة", "company"),
    "mission": ("بعثة", "mission"),
    "agency": ("وكالة", "agency agence"),
    "program": ("برنامج", "program programme"),
    "observatory": ("مرصد", "observatory observatoire"),
    "house": ("دار", "house"),
    "chamber": ("غرفة", "chamber"),
    "court": ("محكمة", "court"),
    "parliament": ("برلمان", "parliament"),
    "congress": ("مؤتمر", "congress conference"),
    "movement": ("حركة", "movement mouvement"),
    "initiative": ("مبادرة", "initiative"),
    "group": ("مجموعة", "group groupe"),
    "team": ("فريق", "team"),
    "platform": ("منصة", "platform"),
    # qualities
    "national": ("الوطني الوطنية", "national nationale"),
    "international": ("الدولي الدولية", "international internationale"),
    "regional": ("الإقليمي الإقليمية", "regional"),
    "arab": ("العربي العربية", "arab arabe arabic"),
    "independent": ("المستقل المستقلة", "independent independante"),
    "civil": ("الأهلي الأهلية المدني المدنية", "civil civic civile ngo"),
    "popular": ("الشعبي الشعبية", "popular people"),
    "islamic": ("الإسلامي الإسلامية", "islamic muslim islamique"),
    "christian": ("المسيحي المسيحية", "christian chretien"),
    "orthodox": ("الأرثوذكسي الأرثوذكسية", "orthodox orthodoxe"),
    "catholic": ("الكاثوليكي الكاثوليكية", "catholic catholique"),
    "evangelical": ("الإنجيلي الإنجيلية", "evangelical"),
    "charitable": ("الخيري الخيرية", "charitable charity benevolent"),
    "cultural": ("الثقافي الثقافية الثقافة", "cultural culture culturel"),
    "sports": ("الرياضي الرياضية الرياضة", "sport sports sporting athletic"),
    "youth": ("الشباب الشبابي الشبابية الشبان", "youth young jeunesse jeunes"),
    "women": ("المرأة النساء النسوي النسوية النسائي النسائية", "women woman feminist femmes"),
    "children": ("الطفل الأطفال الطفولة", "child children childhood kids enfance"),
    "family": ("الأسرة الأسري", "family families famille"),
    "health": ("الصحة الصحي الصحية", "health sante"),
    "medical": ("الطبي الطبية", "medical medicale"),
    "development": ("التنمية التنموي التنموية", "development developpement"),
    "peace": ("السلام", "peace paix"),
    "dialogue": ("الحوار", "dialogue dialog"),
    "democracy": ("الديمقراطية الديموقراطية", "democracy democratic democratie"),
    "human": ("الإنسان", "human homme humains"),
    "rights": ("حقوق الحقوقي الحقوقية", "rights right droits"),
    "justice": ("العدالة العدل", "justice"),
    "law": ("القانون القانوني القانونية", "law legal juridique"),
    "aid": ("المساعدة العون", "aid assistance help"),
    "environment": ("البيئة البيئي البيئية", "environment environmental environnement"),
    "agriculture": ("الزراعة الزراعي الزراعية", "agriculture agricultural farming agricole"),
    "cooperative": ("التعاوني التعاونية التعاون", "cooperative cooperation cooperatif"),
    "social": ("الاجتماعي الاجتماعية", "social sociale"),
    "community": ("المجتمع المجتمعي المجتمعية", "community communautaire society"),
    "education": ("التعليم التعليمي التعليمية التربية التربوي", "education educational"),
    "training": ("التدريب", "training formation"),
    "studies": ("الدراسات", "studies study etudes"),
    "research": ("الأبحاث البحوث", "research recherche"),
    "media": ("الإعلام الإعلامي", "media information"),
    "theatre": ("المسرح", "theatre theater"),
    "music": ("الموسيقى", "music musique"),
    "arts": ("الفنون", "arts art"),
    "heritage": ("التراث", "heritage patrimoine"),
    "antiquities": ("الآثار", "antiquities archaeology"),
    "water": ("المياه", "water eau"),
    "housing": ("الإسكان", "housing logement"),
    "relief": ("الإغاثة", "relief"),
    "rehabilitation": ("التأهيل", "rehabilitation"),
    "disability": ("الإعاقة المعاقين المعوقين", "disability disabled disabilities handicapped"),
    "deaf": ("الصم", "deaf"),
    "blind": ("المكفوفين", "blind"),
    "elderly": ("المسنين", "elderly aged"),
    "orphans": ("الأيتام", "orphans orphan"),
    "prisoners": ("الأسرى", "prisoners prisoner detainees"),
    "refugees": ("اللاجئين", "refugees refugee"),
    "workers": ("العمال العمالي", "workers labour labor"),
    "care": ("رعاية", "care"),
    "protection": ("حماية", "protection"),
    "defense": ("الدفاع", "defence defense"),
    "advocacy": ("المناصرة", "advocacy"),
    "citizenship": ("المواطنة", "citizenship"),
    "empowerment": ("التمكين", "empowerment"),
    "volunteering": ("التطوع التطوعي التطوعية", "volunteering volunteer voluntary"),
    "humanitarian": ("الإنساني الإنسانية", "humanitarian humanitaire"),
    "affairs": ("شؤون الشؤون", "affairs"),
    "governorate": ("محافظة محافظات", "governorate governorates province"),
    "governance": ("الحكم الرشيد", "governance good"),
    "government": ("الحكومي الحكومية الحكومة", "government governmental"),
    "scouts": ("الكشفي الكشفية الكشافة", "scout scouts scouting"),
    "literary": ("الأدبي الأدبية", "literary"),
    "academic": ("الأكاديمي الأكاديمية", "academic academics"),
    "innovation": ("الإبداع", "innovation creativity"),
    "economic": ("الاقتصادي الاقتصادية", "economic"),
    "rural": ("الريفي الريفية", "rural"),
    "friends": ("أصدقاء", "friends"),
    "support": ("دعم", "support"),
    "planning": ("التخطيط", "planning"),
    "quran": ("القرآن", "quran koran"),
    "holy": ("الكريم", "holy"),
    # people by occupation
    "lawyers": ("المحامين", "lawyers"),
    "engineers": ("المهندسين", "engineers"),
    "journalists": ("الصحفيين الصحافيين", "journalists press"),
    "doctors": ("الأطباء", "doctors physicians"),
    "teachers": ("المعلمين", "teachers"),
    "writers": ("الكتاب", "writers authors"),
    "artists": ("الفنانين", "artists"),
    "students": ("الطلبة الطلاب", "students"),
    "graduates": ("الخريجين", "graduates"),
    "translators": ("المترجمين", "translators"),
    "retirees": ("المتقاعدين", "retirees retired pensioners"),
    "fishermen": ("الصيادين", "fishermen"),
    "drivers": ("السائقين", "drivers"),
    "farmers": ("المزارعين الفلاحين", "farmers"),
    "economists": ("الاقتصاديين", "economists"),
    "architects": ("المعماريين", "architects"),
    "accountants": ("المحاسبين", "accountants"),
    "merchants": ("التجار", "merchants traders"),
    "patients": ("مرضى", "patients"),
    # directions
    "north": ("شمال الشمال", "north northern"),
    "south": ("جنوب الجنوب", "south southern"),
    "central": ("الوسط", "central middle"),
    # countries, nationalities and places that English names by another word
    "palestine": ("فلسطين الفلسطيني الفلسطينية الفلسطينيين", "palestine palestinian"),
    "egypt": ("مصر المصري المصرية المصريين", "egypt egyptian"),
    "jordan": ("الأردن الأردني الأردنية الأردنيين", "jordan jordanian"),
    "lebanon": ("لبنان اللبناني اللبنانية اللبنانيين", "lebanon lebanese"),
    "syria": ("سوريا السوري السورية السوريين", "syria syrian"),
    "iraq": ("العراق العراقي العراقية العراقيين", "iraq iraqi"),
    "yemen": ("اليمن اليمني اليمنية اليمنيين", "yemen yemeni"),
    "sudan": ("السودان السوداني السودانية السودانيين", "sudan sudanese"),
    "libya": ("ليبيا الليبي الليبية الليبيين", "libya libyan"),
    "tunisia": ("تونس التونسي التونسية التونسيين", "tunisia tunisian"),
    "algeria": ("الجزائر الجزائري الجزائرية الجزائريين", "algeria algerian"),
    "morocco": ("المغرب المغربي المغربية المغاربة", "morocco moroccan"),
    "kuwait": ("الكويت الكويتي الكويتية الكويتيين", "kuwait kuwaiti"),
    "saudi": ("السعودية السعودي", "saudi"),
    "qatar": ("قطر القطري القطرية", "qatar qatari"),
    "emirates": ("الإمارات الإماراتي الإماراتية", "emirates emirati"),
    "oman": ("عمان العماني العمانية", "oman omani"),
    "bahrain": ("البحرين البحريني البحرينية", "bahrain bahraini"),
    "mauritania": ("موريتانيا الموريتاني الموريتانية", "mauritania mauritanian"),
    "america": ("الأمريكي الأمريكية الأمريكيين", "american america states"),
    "united": ("المتحدة", "united"),
    "nations": ("الأمم", "nations"),
    "africa": ("الأفريقي الأفريقية", "african africa"),
    "europe": ("الأوروبي الأوروبية", "european europe"),
    "jerusalem": ("القدس المقدسي المقدسية", "jerusalem quds"),
    "hebron": ("الخليل", "hebron khalil"),
    "jaffa": ("يافا", "jaffa yafa"),
    "acre": ("عكا", "acre akka"),
    "camp": ("مخيم", "camp"),
}


def _arabic_stems(words: str) -> set[str]:
    return {arabic.stem(word) for word in words.split()}


def _latin_stems(words: str) -> set[str]:
    return {arabic.stem(word) for word in words.split()}


def _build() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for concept, (ar, en) in CONCEPTS.items():
        for item in _arabic_stems(ar) | _latin_stems(en):
            if item:
                table.setdefault(item, set()).add(concept)
    return {item: frozenset(concepts) for item, concepts in table.items()}


_TABLE = _build()
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=1 << 16)
def concepts(stem: str) -> frozenset[str]:
    """The meanings of a stemmed word (arabic.stem), or an empty set if it is not listed."""
    return _TABLE.get(stem, _NONE)
