"""The Arabic-aware analyzer: one function chain for indexing and for queries alike.

Pure Python, no Django. Every rule is described, with examples, in docs/search.md
("The analyzer"); the comments here say why, not what.

    normalize      spelling variants meet (hamza, alef, taa marbuta, diacritics, digits, case)
    tokenize       normalized words (letters/digits), Arabic and other scripts split apart
    strip_prefixes attached و ف ب ل ك ال لل and their combinations
    stem           prefixes, then a few common suffixes (light stemming, conservative)
    translit_key   a consonant skeleton shared by an Arabic name and its Latin spellings
    split_glued    words glued by bad scraping, split against a vocabulary
    analyze        all of the above for one text
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Container
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "Analysis",
    "analyze",
    "analyze_piece",
    "normalize",
    "pair_keys",
    "split_glued",
    "stem",
    "strip_known",
    "strip_prefixes",
    "tokenize",
    "translit_key",
]

# --------------------------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------------------------

_ALEF = "ا"
_YEH = "ي"
_WAW = "و"
_HEH = "ه"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Everything that is not a letter, a digit or a mark is a word boundary; marks and
    # invisible format characters vanish (they must never split a word, as FTS5 does).
    # Only the planes where such characters live are walked (the rest are letters or unassigned).
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(code))
        if category in ("Mn", "Me", "Cf"):
            table[code] = None
        elif category[0] in "PSZ" or category in ("Cc", "Cs"):
            table[code] = " "
        elif category == "Nd":
            table[code] = str(unicodedata.decimal(chr(code)))
    for code in range(0x30, 0x3A):  # ASCII digits stay as they are
        table.pop(code, None)
    # Latin letters with accents fold to their base letter (é→e, ç→c, ḥ→h, ā→a).
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[code] = base.lower()
    special = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
    special.update(zip("øđðłıħŧŋ", "oddlihtn", strict=True))
    table.update({ord(k): v for k, v in special.items()})
    # Apostrophes and the transliterator's ayn/hamza signs join a word: Ma'at = Maat.
    table.update(dict.fromkeys(map(ord, "'’‘`ʼʻʿʾʹ′"), None))
    arabic: dict[str, str | None] = {
        "\u0640": None,  # tatweel
        "\u0674": None,  # high hamza, which NFKC leaves behind (ٵ → اٴ)
        "ء": None,  # hamza on the line goes; on waw it becomes waw (ئ: see _pass)
        "ؤ": _WAW,
        "ٶ": _WAW,
    }
    arabic.update(dict.fromkeys("أإآٱٲٳ", _ALEF))  # alef forms
    arabic.update(dict.fromkeys("ىیېێۍ", _YEH))  # alef maqsura, Persian and other yehs
    arabic.update(dict.fromkeys("ةۃہەھۀ", _HEH))  # taa marbuta and heh forms
    arabic.update(dict.fromkeys("ۆۇۈۋ", _WAW))
    # letters of neighbouring alphabets used for foreign sounds in Arabic names
    arabic.update(zip("کڪګگڨڤپچژ", "كككك" + "قفبجز", strict=True))
    table.update({ord(k): v for k, v in arabic.items()})
    # Tashkeel, superscript alef and Quranic marks, named explicitly (some are not Mn).
    for code in (*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)):
        table[code] = None
    return table


_TABLE = _build_table()
_DOTTED = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+\.?(?![a-z0-9])")
_RUNS = re.compile(r"([وي])\1+")


def _pass(text: str) -> str:
    if "´" in text:  # NFKC would turn the acute accent into a space and a mark
        text = text.replace("´", "")
    text = unicodedata.normalize("NFKC", text).lower()
    if "." in text:  # U.N. → un, before full stops become spaces
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    text = text.translate(_TABLE)
    if "ئ" in text:
        # ئ before و is the same hamza as ؤ (مسئولية = مسؤولية): drop it; elsewhere it
        # sits on a yeh (رئيس, الجزائر) and becomes one, as people type it without hamza.
        text = text.replace("ئو", _WAW).replace("ئ", _YEH)
    if "وو" in text or "يي" in text:
        text = _RUNS.sub(r"\1", text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    """NFKC; Arabic diacritics (U+064B–U+065F, U+0670, U+06D6–U+06ED) and tatweel removed;
    أ إ آ ٱ → ا; hamza: ء dropped, ؤ → و, ئ → ي (dropped before و), then runs of و or ي
    collapse, so المسؤولية, المسئولية and المسولية meet; ى → ي; ة → ه; every decimal digit
    (٠-٩, ۰-۹, …) → 0-9; Latin lowercased and accents folded (é→e); apostrophes dropped
    (Ma'at → maat); dotted acronyms joined (U.N. → un); other punctuation and symbols →
    space; whitespace collapsed. Idempotent: normalize(normalize(x)) == normalize(x)."""
    if not text:
        return ""
    result = _pass(text)
    if result.isascii():
        return result
    # A pass maps every character it changes to one it leaves alone, so a second pass can only
    # differ when NFKC or lowercasing would change the result (rare scripts): then repeat.
    for _ in range(4):
        if unicodedata.is_normalized("NFKC", result) and result.lower() == result:
            break
        result = _pass(result)
    return result


# --------------------------------------------------------------------------------------------
# tokenize
# --------------------------------------------------------------------------------------------

_AR_RANGE = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_TOKEN = re.compile(f"[{_AR_RANGE}]+|[^\\s{_AR_RANGE}]+")


def _is_arabic(token: str) -> bool:
    """Is the token in Arabic script (tokens never mix scripts)?"""
    c = token[0]
    return (
        "\u0600" <= c <= "\u06ff"
        or "\u0750" <= c <= "\u077f"
        or "\u0870" <= c <= "\u08ff"
        or "\ufb50" <= c <= "\ufdff"
        or "\ufe70" <= c <= "\ufeff"
    )


@lru_cache(maxsize=1 << 18)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(normalize(chunk)))


def tokenize(text: str) -> list[str]:
    """normalize, then split into word tokens (runs of letters/digits). Arabic script and
    other scripts are split apart (2020م → 2020, م); Latin letters and digits stay together
    (g20). "al"/"el" before a hyphen become tokens of their own (Al-Tamimi → al, tamimi).

    Normalization never joins what a space separates, so the text is tokenized one
    space-separated chunk at a time, each chunk's tokens cached: names repeat their words
    (a million names hold some 35,000 different ones). A test checks that this gives the
    tokens of the whole normalized text."""
    if not text:
        return []
    tokens: list[str] = []
    for chunk in text.split(" "):
        if len(chunk) > 64:
            tokens.extend(_TOKEN.findall(normalize(chunk)))
        elif chunk:
            tokens.extend(_chunk_tokens(chunk))
    return tokens


def _tokens_of(token: str) -> list[str]:
    """A public per-token function's argument, normalized (callers may pass raw text)."""
    return _TOKEN.findall(normalize(token))


# --------------------------------------------------------------------------------------------
# strip_prefixes
# --------------------------------------------------------------------------------------------

# Words that begin with و ف ب ل ك as part of the word itself. The prefix stripper stops at
# a word that starts with one of their stems (computed below), so وزارة is not زارة, لجنة is
# not جنة and فلسطين is not لسطين, whatever is attached in front (والوزارة, للجنة, بفلسطين).
_PROTECTED_WORDS = """
وزارة وزير وزراء وزاري وطن وطني وحدة وحدات وكالة وكيل ولاية ولايات وقف وفد وفود ورشة ورش
وثيقة وثائق وسيلة وسائل وسط وسيط وصف وعي وفاق وئام ولي والي وادي وصول وظيفة وظائف واقع
وقاية وفاء وليد وائل وديع وسيم وضاح وجدة وهران ورقة وجه وجهة وجود ودية وداد ورد وردة وقت
وضع ولادة والد والدة وارث وعد وفرة وقود ولاء ولد وعاء وحيد وسام وهبة وصية وافد واجب واشنطن
وفيق وصفي وقائع وزن وصال
فلسطين فلسطيني فريق فرق فرقة فنون فنان فني فكر فكرة فرع فروع فرص فرصة فئة فتاة فتيات فتى
فقر فقراء فعالية فاس فرنسا فرنسي فيدرالية فضاء فلاح فندق فنادق فصل فصول فيلم فساد فحص فترة
فوز فتح فيصل فاطمة فادي فراس فؤاد فريد فايز فارس فيروز فهد فالح فتحي فرح فضل فضيلة فقه فهم
فوج فيينا فنلندا فنزويلا فيتنام فضائية فيزياء فرانكفونية فلسفة فولكلور فجر فدوى فدائي فلاحة
بلد بلاد بلدية بلديات بلدان بيت بيوت بنك بنوك بحث بحوث بحر بحار برنامج برامج بناء بنية بيئة
بيئي بريطانيا بلجيكا بيروت بغداد بنغازي برلمان بروتوكول بعثة بعثات بنت بنات بيان بيانات
بوابة بطولة بطاقة بشر بشرى بصرة بيرزيت بلال باسم باسمة بسام بشير بشار بدر بكر بهاء بوسنة
بولندا برازيل باكستان باريس برلين بروكسل بنغلاديش بورصة بريد بطالة بيع بضائع بستان باب بادية
بدو بدوي براءة بركة برج بطل بلاغ بناية بهجة باقة بلسم بيلاروسيا بلغاريا بوركينا بوروندي
بوتسوانا بيرو بوليفيا بنما باحث بديل بدائل بذور بسمة بثينة بلقيس بانياس بيسان بئر بيعة
لجنة لجان لقاء لقاءات لغة لغات لغوي لبنان لبناني ليبيا ليبي لندن لواء لائحة لوائح لاجئ
لاجئون لاعب لحم لون ليلى لينا لمى لؤي لطفي لطيفة لوحة لوجستي لقاح لياقة ليبرالي ليل لجوء
لعبة لهجة لوكسمبورغ لاهاي لشبونة لاتفيا ليتوانيا لحن لبنى لميس لطيف لقمان لجين ليث
كلية كليات كتاب كتب كاتب كتابة كرامة كويت كفاءة كفاح كنيسة كنائس كرة كبار كبير كريم كريمة
كمال كامل كلثوم كوثر كندا كوريا كولومبيا كينيا كردستان كرد كردي كهرباء كنز كشاف كشافة كفالة
كوادر كادر كارثة كوارث كيان كيمياء كلمة كرسي كورونا كفر كرم كرك كرمل كوبا كرواتيا كمبوديا
كازاخستان كاميرون كاظم كنعان كوفية كبرى كفيف
بنكيران بنعلي بنجلون بنسعيد بنموسى بنعبد بنشماش بنيس بنيامين
"""

# Short words (three letters) that may be left once a single attached letter is removed:
# بغزة → غزه, لدعم → دعم. Longer words need no list.
_KNOWN_SHORT_WORDS = """
غزة مصر قطر عمان حلب يمن عرب علم عمل سلم أمن طفل دعم نشر فكر نفط أرض بحث بلد وطن رفح دول
شعب حزب فقر سجن قدس حوض حرب عدل نمو
"""

_PROCLITICS = frozenset("وفبلك")
# Tokens beginning like Maghrebi names (بوعياش، بوتفليقة) keep their first letter, unless
# what follows is a protected word (بوكالة = ب + وكالة). Not بن: بنابلس is ب + نابلس, and
# names glued to بن are listed instead (بنكيران).
_PROTECTED_HEADS = ("بو",)


def _suffix_step(word: str) -> str:
    """Remove one suffix (see _SUFFIXES), or return the word unchanged."""
    if word in _SUFFIX_KEEP or word.endswith("الله"):
        return word
    for suffix, minimum, nisba in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            if len(base) < minimum and base not in _SHORT_BASES:
                continue
            # -اية, -ايات, -اه: the ي/ه belongs to the word (حماية, ولايات, حماة, مياه)
            if base[-1] == _ALEF and (nisba or suffix == _HEH):
                continue
            return base
    return word


def _suffix_fixpoint(word: str) -> str:
    while True:
        shorter = _suffix_step(word)
        if shorter == word:
            return word
        word = shorter


# (suffix, minimum length of what remains, is a nisba/yeh suffix), longest first.
_SUFFIXES: tuple[tuple[str, int, bool], ...] = (
    ("يات", 4, True),
    ("يون", 4, True),
    ("تين", 4, False),
    ("تان", 4, False),
    ("هما", 4, False),
    ("ات", 3, False),
    ("ون", 4, False),
    ("ين", 4, False),
    ("يه", 4, True),
    ("ها", 4, False),
    ("هم", 4, False),
    ("هن", 4, False),
    ("كم", 4, False),
    ("نا", 4, False),
    ("ي", 4, True),
    ("ه", 3, False),
)
# Three-letter words that a suffix needing four letters may still leave: مصري → مصر, وطنية →
# وطن, اللاجئين → لاج = لاجئ. Not دول: دولي (international) is not دول (states).
_SHORT_BASES = frozenset(
    _pass(w) for w in "مصر قطر يمن عرب وطن شعب علم عمل بلد فكر حزب نفط سلم أمن طفل قدس لاج".split()
)
# Words whose ending only looks like a suffix.
_SUFFIX_KEEP = frozenset({"فلسطين", "الله"})


def _protected_sets(words: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems of 4+ letters that protect every word they begin, words protected as written).
    A three-letter stem would protect too much by its beginning (بدر would catch بدراسات,
    وعد would catch وعدالة), and so would a stem that looks like وال، بال… (والد would catch
    والدراسات): those protect only the listed words and their bare stems."""
    prefixes: set[str] = set()
    exact: set[str] = set()
    for word in words.split():
        written = _pass(word)
        base = _suffix_fixpoint(written)
        exact.add(written)
        for form in (written, base):
            if len(form) >= 4 and not form.startswith(_ARTICLE_LIKE):
                prefixes.add(form)
            elif len(form) >= 3:
                exact.add(form)
    return frozenset(prefixes), frozenset(exact)


_ARTICLE_LIKE = ("وال", "فال", "بال", "كال", "لل", "وبال", "فبال", "وكال", "فكال", "ولل", "فلل")
_PROTECTED, _PROTECTED_EXACT = _protected_sets(_PROTECTED_WORDS)
_PROTECTED_LENGTHS = tuple(sorted({len(s) for s in _PROTECTED}))
_KNOWN_SHORT = frozenset(_pass(w) for w in _KNOWN_SHORT_WORDS.split()) | frozenset(
    s for s in _PROTECTED_EXACT if len(s) == 3
)


def _protected_length(word: str) -> int:
    """How much of the word a protected entry explains: all of it for a listed word, the
    length of the longest protected stem it begins with otherwise, 0 if none."""
    if word in _PROTECTED_EXACT:
        return len(word)
    longest = 0
    n = len(word)
    for length in _PROTECTED_LENGTHS:
        if length > n:
            break
        if word[:length] in _PROTECTED:
            longest = length
    return longest


def _is_protected(word: str) -> bool:
    # A protected word keeps its first letter, unless reading that letter as attached
    # explains more of the word: وليبيا is و + ليبيا (though ولي is protected), while لبنان
    # stays لبنان (though بناء is protected too).
    tail = _protected_length(word[1:])
    if word.startswith(_PROTECTED_HEADS) and not tail:
        return True
    whole = _protected_length(word)
    return whole > 0 and whole >= tail + 1


@lru_cache(maxsize=1 << 19)
def _strip(word: str) -> str:
    # Greedy, one letter or article at a time, so that the result does not depend on how
    # many prefixes were attached: لجنة, اللجنة, واللجنة, للجنة all give لجنه; a word that is
    # not protected loses its first letter alike whether or not ال came before it.
    while True:
        n = len(word)
        if n < 4 or _is_protected(word):
            return word
        if word.startswith("ال") and n >= 5:
            word = word[2:]
            continue
        if word.startswith("لل") and n >= 5:  # ل + ال with the alef elided
            rest = word[2:]
            with_lam = "ل" + rest  # للجنة = ل + لجنة
            if _is_protected(with_lam):
                return with_lam
            word = rest
            continue
        if word[0] in _PROCLITICS and (n >= 5 or word[1:] in _KNOWN_SHORT):
            word = word[1:]
            continue
        return word


@lru_cache(maxsize=1 << 16)
def strip_prefixes(token: str) -> str:
    """Remove attached و ف ب ل ك, the article ال and their combinations (وال، بال، فال،
    كال، لل، ولل، فلل، وب، ول، …): والمؤسسة → موسسه, للمراكز → مراكز, لحقوق → حقوق.
    After ال at least 3 letters remain; after a single letter at least 4 (3 for a few known
    short words: بغزة → غزه). Words that begin with one of these letters themselves are
    protected by a list (وزارة, لجنة, فلسطين, بلدية, كلية, …). Latin tokens are unchanged.
    Raw text is normalized first."""
    if not token:
        return token
    if not _is_arabic(token) or token != normalize(token):
        parts = _tokens_of(token)
        if len(parts) != 1 or parts[0] != token:
            return " ".join(strip_prefixes(part) for part in parts)
        return token
    return _strip(token)


def strip_known(token: str, vocabulary: Container[str]) -> str | None:
    """The word a token stands for when its attached letters are read off against a
    vocabulary, for the tokens strip_prefixes leaves whole: a short word after one letter
    (بمدى → مدي) or a word that looks like a protected one (ولأيرلندا → ايرلندا, although
    ولاية is protected). Letters و ف ب ل ك are read off one at a time, each time trying what
    remains as it is and with its own prefixes stripped; at least 3 letters remain. None
    when no reading is in the vocabulary."""
    if not token or not _is_arabic(token):
        return None
    word = token if token == normalize(token) else normalize(token).replace(" ", "")
    for _ in range(3):
        if len(word) < 4 or word[0] not in _PROCLITICS:
            return None
        word = word[1:]
        for candidate in dict.fromkeys((word, _strip(word))):
            if len(candidate) >= 3 and candidate in vocabulary:
                return candidate
    return None


# --------------------------------------------------------------------------------------------
# stem
# --------------------------------------------------------------------------------------------

_EN_IRREGULAR = dict(
    pair.split(":") for pair in "women:woman men:man children:child feet:foot teeth:tooth".split()
)
_EN_KEEP = frozenset(
    "news series species atlas bias canvas gas alias lens physics economics politics "
    "mathematics ethics this his was has is us yes bus plus thus paris tunis texas honduras "
    "cyprus mauritius mars iris".split()
)
_EN_WORD = re.compile(r"[a-z]+")


def _stem_english(word: str) -> str:
    if word in _EN_IRREGULAR:
        return _EN_IRREGULAR[word]
    if len(word) <= 3 or word in _EN_KEEP or not _EN_WORD.fullmatch(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("ches", "shes", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 19)
def _stem(token: str) -> str:
    if not _is_arabic(token):
        stemmed = _stem_english(token)
        again = _stem_english(stemmed)
        while again != stemmed:  # womens → women → woman
            stemmed, again = again, _stem_english(again)
        return stemmed
    word = token
    while True:  # to a fixed point, so stem(stem(t)) == stem(t)
        shorter = _suffix_step(_strip(word))
        if shorter == word:
            return word
        word = shorter


@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """Light stemming: strip_prefixes, then common suffixes — ات، ون، ين، يون، يات، تين،
    تان، يه، ي، ه، ها، هم، هن، هما، كم، نا — to a fixed point, never below 3 letters (4 for
    all but ات and ه). Conservative: ي/يه/يات and ه stay after an alef (حماية → حماي, not
    حما; الولايات → ولاي, not ولا), القرآن → قران (ان is not removed), فلسطين keeps its ين.
    A few three-letter words may remain where four are asked for (مصري → مصر, اللاجئين →
    لاج). English: lowercase light plural stemming (organizations → organization, countries →
    country). Idempotent: stem(stem(t)) == stem(t). Raw text is normalized first."""
    if not token:
        return token
    if token != normalize(token):
        return " ".join(_stem(part) for part in _tokens_of(token))
    if " " in token:
        return " ".join(_stem(part) for part in token.split())
    return _stem(token)


# --------------------------------------------------------------------------------------------
# translit_key
# --------------------------------------------------------------------------------------------

# Arabic letter → consonant class. Alef and ayn vanish; و and ي are w/y at the start of a
# word and vowels (gone) elsewhere, as in the usual Latin spellings.
_AR_KEY = dict(zip("بتثطجغحهخدذضرزظسصشفقكلمن", "btttjjhhxdddrzzsssfkklmn", strict=True))
_AR_KEY_TABLE = {ord(k): v for k, v in _AR_KEY.items()}
_AR_ARTICLE = re.compile("^[وف]?(?:[بك]?ال|لل)")

_LATIN_UNITS = {
    **dict.fromkeys(("sch", "tch", "sh", "ch"), "s"),
    **{"kh": "x", "th": "t", "dh": "d", "gh": "j", "ph": "f", "dj": "j", "ck": "k", "zh": "z"},
    **dict.fromkeys("aeiouyw", ""),  # vowels, and y w inside a word (Darwish = درويش)
    **dict(zip("cqkgjvfpbtdszhrlmn", "kkkjjffbbtdszhrlmn", strict=True)),
    "x": "ks",
}
_LATIN_UNIT = re.compile("sch|tch|kh|sh|ch|th|dh|gh|ph|dj|ck|zh|[a-z]")
_NOT_AZ = re.compile("[^a-z]+")
_DOUBLES = re.compile(r"(.)\1+")


def _finish(classes: str) -> str:
    key = _DOUBLES.sub(r"\1", classes)
    if len(key) >= 3 and key.endswith("h"):  # final ة / ه / ح is rarely written in Latin
        key = key[:-1]
    return key if len(key) >= 2 else ""


def _arabic_key(word: str) -> str:
    head = word[0]
    body = word[1:] if head in "وي" else word
    body = _NOT_AZ.sub("", body.replace(_WAW, "").replace(_YEH, "").translate(_AR_KEY_TABLE))
    prefix = "w" if head == _WAW else "y" if head == _YEH else ""
    return _finish(prefix + body)


_SOFT_C = re.compile("c(?=[eiy])")


def _latin_classes(word: str) -> str:
    if not word:
        return ""
    if "c" in word:  # c before e, i, y is s (Mercy = ميرسي, Cecile = سيسيل)
        word = _SOFT_C.sub("s", word)
    head = word[0] if word[0] in "wy" else ""
    body = word[1:] if head else word
    return head + "".join(_LATIN_UNITS[unit] for unit in _LATIN_UNIT.findall(body))


@lru_cache(maxsize=1 << 19)
def _key(token: str) -> str:
    if _is_arabic(token):
        match = _AR_ARTICLE.match(token)
        if match and len(token) - match.end() >= 2:
            rest = token[match.end() :]
            # للجنة is ل + لجنة: keep the lam that belongs to the word
            token = (
                "ل" + rest
                if token[match.end() - 2 : match.end()] == "لل" and _is_protected("ل" + rest)
                else rest
            )
        return _arabic_key(token) if token else ""
    word = _NOT_AZ.sub("", token)
    if word.startswith(("al", "el")):
        rest = _finish(_latin_classes(word[2:]))
        if rest:  # al-/el- glued to a name: Alquds = Al Quds, but Alami stays
            return rest
    return _finish(_latin_classes(word))


@lru_cache(maxsize=1 << 16)
def translit_key(token: str) -> str:
    """A consonant skeleton, the same for an Arabic name and its usual Latin spellings:
    ماعت / Maat / Ma'at → mt; عقيل / Okeil / Aqeel → kl; درويش / Darwish → drs; غزة / Gaza
    → jz; جمال / Gamal / Jamal / Djamel → jml; التميمي / Al-Tamimi / Altamimi → tm;
    بوعياش / Bouayach → bs. The article (ال, al, el) is dropped; vowels (a e i o u, and ا,
    and و ي except at the start) vanish, as do ع and apostrophes; ق ك q c k → k; ج غ g j
    gh dj → j; س ص ش s sh ch → s; ث ت ط t th → t; ذ د ض d dh → d; ز ظ z → z; ح ه h → h;
    خ kh → x; ف f v ph → f; ب b p → b; doubled letters collapse, a final h is dropped.
    Several words are keyed as one glued word: رام الله → rml = Ramallah. Returns "" for
    keys shorter than 2 letters; only a-z."""
    if not token:
        return ""
    tokens = _TOKEN.findall(normalize(token))
    if not tokens:
        return ""
    if len(tokens) == 1:
        return _key(tokens[0])
    script = _is_arabic(tokens[0])
    return _key("".join(t for t in tokens if _is_arabic(t) == script))


# --------------------------------------------------------------------------------------------
# split_glued
# --------------------------------------------------------------------------------------------

_MAX_PART = 24
_RUN_LETTERS = "وي"  # letters whose runs normalize collapses
_ARTICLES = ("ال", "وال", "بال", "فال", "كال", "لل", "ولل", "فلل")


def _known_part(part: str, vocabulary: Container[str]) -> bool:
    if part in vocabulary:
        return True
    if part[0] in "اوفبكل":  # the article is written into most glued Arabic words
        for article in _ARTICLES:
            if (
                part.startswith(article)
                and len(part) - len(article) >= 3
                and part[len(article) :] in vocabulary
            ):
                return True
    return False


def _known_token(token: str, vocabulary: Container[str]) -> bool:
    return token in vocabulary or (_is_arabic(token) and _strip(token) in vocabulary)


def _split(token: str, vocabulary: Container[str], max_parts: int) -> list[str] | None:
    n = len(token)
    if n < 4 or max_parts < 2:
        return None
    # best[i] describes the best split of token[i:]: (parts, -shortest part, (-length of
    # each part, …), where the next part starts, where the first part ends); tuples compare
    # in order of preference. A first part may end one letter after the next part starts:
    # normalize collapses ىي and يي into one ي (ملتقىيافا → ملتقيافا = ملتقي + يافا).
    Step = tuple[int, int, tuple[int, ...], int, int]
    best: list[Step | None] = [None] * (n + 1)
    best[n] = (0, -sys.maxsize, (), n, n)
    for i in range(n - 2, -1, -1):
        choice: Step | None = None
        for j in range(i + 2, min(n, i + _MAX_PART) + 1):
            after = best[j]
            if after is None or after[0] >= max_parts:
                continue
            end = j
            if not _known_part(token[i:j], vocabulary):
                if j >= n or token[j] not in _RUN_LETTERS or token[j - 1] == token[j]:
                    continue
                if not _known_part(token[i : j + 1], vocabulary):
                    continue
                end = j + 1
            length = end - i
            candidate = (after[0] + 1, max(after[1], -length), (-length, *after[2]), j, end)
            if choice is None or candidate[:3] < choice[:3]:
                choice = candidate
        best[i] = choice
    first = best[0]
    if first is None or first[0] < 2:
        return None
    parts: list[str] = []
    i = 0
    while i < n:
        step = best[i]
        assert step is not None
        parts.append(token[i : step[4]])
        i = step[3]
    return parts


def split_glued(token: str, vocabulary: Container[str], *, max_parts: int = 4) -> list[str] | None:
    """Split a token glued by bad scraping (الولاياتالمتحدةالأمريكية, الأممالمتحدة) into words
    found in `vocabulary` (a set of normalized tokens or prefix-stripped words; a part may
    carry the article or وال، بال، لل… in front of a vocabulary word), preferring the fewest
    parts, then the split whose shortest part is longest, then the longest first part; each
    part at least 2 letters. None if the token (or its prefix-stripped word) is itself in
    the vocabulary or no split exists. Dynamic programming, at most 24 lookups a letter."""
    if not token:
        return None
    normalized = normalize(token)
    if normalized != token:
        token = normalized.replace(" ", "")
        if not token:
            return None
    if _known_token(token, vocabulary):
        return None
    return _split(token, vocabulary, max_parts)


# --------------------------------------------------------------------------------------------
# analyze
# --------------------------------------------------------------------------------------------


class Analysis(NamedTuple):  # a named tuple: made for every name, several times faster
    tokens: tuple[str, ...]  # normalized tokens as written
    words: tuple[str, ...]  # prefixes stripped (one per token)
    stems: tuple[str, ...]  # one per token
    keys: tuple[str, ...]  # transliteration keys (non-empty only), then glued-pair keys


@lru_cache(maxsize=1 << 19)
def _info(token: str) -> tuple[str, str, str]:
    if _is_arabic(token):
        return _strip(token), _stem(token), _key(token)
    return token, _stem(token), _key(token)


# Compound names that Latin spellings write as one word: عبد الرحمن = Abdelrahman, رام الله
# = Ramallah, أبو ظبي = Abudhabi, بن علي = Benali, نور الدين = Noureddine, بيت لحم = Bethlehem.
_AR_FIRST = frozenset(
    _pass(w) for w in "عبد أبو أبي بو ابن بن أم بنت بيت دار عين كفر تل بئر".split()
)
_AR_SECOND = frozenset({"الله", "الدين"})
_LATIN_FIRST = frozenset(
    "abd abdel abdal abdul abdoul abou abu bou ben bin ibn umm um oum beit bayt dar ain ein "
    "kafr kfar tel tall bir".split()
)
_LATIN_SECOND = frozenset("allah alla ullah illah eddine eddin uddin addin ed ud".split())


_PAIR_WORDS = _AR_FIRST | _AR_SECOND | _LATIN_FIRST | _LATIN_SECOND
# A text has glued-pair keys only when one of its tokens is one of these.
PAIR_WORDS = _PAIR_WORDS


def _pair_keys(tokens: tuple[str, ...]) -> list[str]:
    keys: list[str] = []
    if _PAIR_WORDS.isdisjoint(tokens):
        return keys
    for i in range(len(tokens) - 1):
        first, second = tokens[i], tokens[i + 1]
        if _is_arabic(first):
            if _is_arabic(second) and (first in _AR_FIRST or second in _AR_SECOND):
                keys.append(_key(first + second))
        elif first.isalpha() and second.isalpha():
            if first in _LATIN_FIRST or second in _LATIN_SECOND:
                glued = first + second
                if second in ("al", "el", "ed", "ud") and i + 2 < len(tokens):
                    glued += tokens[i + 2]  # Abd al Rahman = Abdelrahman
                keys.append(_key(glued))
    return keys


def analyze_piece(piece: str) -> Analysis:
    """analyze() of one space-separated piece of a text, but for the keys of glued pairs,
    which may join tokens of two pieces: the tokens, words, stems and keys of a text's pieces,
    one after the other, then pair_keys(tokens) of all of them, are analyze()'s. A rebuild
    analyzes names piece by piece (documents.py): a million names repeat their words, not
    themselves."""
    tokens = tuple(tokenize(piece))
    if not tokens:
        return Analysis((), (), (), ())
    words, stems, token_keys = zip(*map(_info, tokens), strict=True)
    return Analysis(tokens, words, stems, tuple([key for key in token_keys if key]))


def pair_keys(tokens: tuple[str, ...]) -> list[str]:
    """The keys of glued pairs (رام الله → rml) in a text's tokens, in analyze()'s order."""
    return [key for key in _pair_keys(tokens) if key]


def analyze(text: str, vocabulary: Container[str] | None = None) -> Analysis:
    """Analyze a text for indexing or querying (the same function for both). With a
    vocabulary, tokens not in it (nor their prefix-stripped words) are replaced by their
    glued-word split when one exists. words and stems align with tokens one to one; keys
    holds the non-empty keys of the tokens, then keys of glued pairs (رام الله → rml)."""
    tokens = tuple(tokenize(text))
    if vocabulary is not None and tokens:
        expanded: list[str] = []
        for token in tokens:
            parts = None
            if (
                len(token) >= (6 if _is_arabic(token) else 8)
                and not token.isdigit()
                and not _known_token(token, vocabulary)
            ):
                parts = _split(token, vocabulary, 4)
            if parts:
                expanded.extend(parts)
            else:
                expanded.append(token)
        tokens = tuple(expanded)
    if not tokens:
        return Analysis((), (), (), ())
    words, stems, token_keys = zip(*map(_info, tokens), strict=True)
    keys = [key for key in token_keys if key]
    for key in _pair_keys(tokens):
        if key and key not in keys:
            keys.append(key)
    return Analysis(tokens=tokens, words=words, stems=stems, keys=tuple(keys))
