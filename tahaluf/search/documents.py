"""Turning a SearchDocument into the analyzed fields both backends index, and a query into
the terms both backends look for. One analyzer (arabic.py) serves indexing and querying."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from tahaluf.search import arabic, glossary
from tahaluf.search.registry import SearchDocument

# Tokens this short carry no transliteration key and are not matched fuzzily.
FUZZY_MIN_LENGTH = 5
# A word is "known" (not a glued run of words) when this many records have it: a token that
# only one record has may be two words that lost their space (جمعيةالوفاء), so it is also
# split against the known words, and indexed (or searched) both whole and split.
KNOWN_IN_RECORDS = 2
# Latin words that the Arabic name of the same organization does not have a word for: al, el
# (written into the Arabic word as ال), of, for, the, … A query does not need them to match.
OPTIONAL_WORDS = frozenset("al el ul of for the and in on de des du la le les et".split())
# Concepts (glossary.py) a word of one script has, as terms that only the other script looks
# for: الخيرية is indexed with "cptarcharitable", and the query word "charitable" looks for it.
# Transliteration keys never contain a vowel, so the two kinds of term never meet.
_CONCEPT_PREFIX = {True: "cptar", False: "cpten"}


def _is_arabic(token: str) -> bool:
    return bool(token) and "\u0600" <= token[0] <= "\u08ff"


def concept_terms(stem: str, *, arabic_script: bool, looking_for: bool = False) -> list[str]:
    """The concept terms of a stemmed word: the ones it is indexed with, or (looking_for) the
    ones a query word looks for in the other script."""
    meanings = glossary.concepts(stem)
    if not meanings:
        return []
    prefix = _CONCEPT_PREFIX[arabic_script != looking_for]
    return [prefix + meaning for meaning in sorted(meanings)]


@lru_cache(maxsize=1 << 18)
def _indexed_concepts(stem: str, arabic_script: bool) -> tuple[str, ...]:
    return tuple(concept_terms(stem, arabic_script=arabic_script))


@dataclass(frozen=True)
class AnalyzedDocument:
    document: SearchDocument
    tokens: tuple[str, ...]
    words: tuple[str, ...]
    stems: tuple[str, ...]
    keys: tuple[str, ...]  # transliteration keys, then concept terms
    exact: tuple[str, ...]
    context: tuple[str, ...]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _splittable(token: str) -> bool:
    return len(token) >= (6 if _is_arabic(token) else 8) and not token.isdigit()


class WordCounts:
    """A vocabulary with the number of records that have each token or word (a rebuild
    counts them: analyze_documents). `word in vocabulary`: some record has it;
    `vocabulary.common(word)`: at least KNOWN_IN_RECORDS records have it. The backends'
    vocabularies answer the same two questions from the index."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def common(self, word: str) -> bool:
        return self.counts.get(word, 0) >= KNOWN_IN_RECORDS


def _common(vocabulary: Container[str], word: str) -> bool:
    common = getattr(vocabulary, "common", None)
    return common(word) if common is not None else word in vocabulary


class _Without:
    """A vocabulary without some words (the glued token itself, that only one record has)."""

    def __init__(self, vocabulary: Container[str], left_out: set[str]) -> None:
        self.vocabulary = vocabulary
        self.left_out = left_out

    def __contains__(self, word: object) -> bool:
        return word not in self.left_out and word in self.vocabulary


def split_rare(token: str, word: str, vocabulary: Container[str] | None) -> list[str] | None:
    """The parts of a token that may be glued words: a long token (6+ Arabic letters, 8+
    Latin) that fewer than KNOWN_IN_RECORDS records have, split into words that records have
    (arabic.split_glued). None when it is a common word or does not split."""
    if vocabulary is None or not _splittable(token):
        return None
    if _common(vocabulary, token) or _common(vocabulary, word):
        return None
    return arabic.split_glued(token, _Without(vocabulary, {token, word}))


def _context_of(text: str) -> tuple[str, ...]:
    analysis = arabic.analyze(text)
    return analysis.words + analysis.stems


# Short context (a city) repeats from record to record.
_context_terms = lru_cache(maxsize=1 << 14)(_context_of)


@lru_cache(maxsize=1 << 18)
def _token_concepts(token: str) -> tuple[str, ...]:
    return _indexed_concepts(arabic.stem(token), _is_arabic(token))


# One piece of a name (arabic.analyze_piece): tokens, words, stems, keys, the concept terms of
# its tokens, and whether it has a word of a glued pair (arabic.PAIR_WORDS).
_Piece = tuple[
    tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], bool
]


@lru_cache(maxsize=1 << 18)
def _piece(piece: str) -> _Piece:
    """Names are analyzed piece by piece (the words between spaces), each piece once: a
    rebuild analyzes a million names, which repeat their words (some 35,000 different ones in
    a million names) but rarely themselves."""
    analysis = arabic.analyze_piece(piece)
    concepts = tuple([concept for token in analysis.tokens for concept in _token_concepts(token)])
    return (*analysis, concepts, not arabic.PAIR_WORDS.isdisjoint(analysis.tokens))


def analyze_document(
    document: SearchDocument, vocabulary: Container[str] | None = None
) -> AnalyzedDocument:
    """The fields of one document. With a vocabulary (WordCounts, or the index's own), a
    long token that fewer than KNOWN_IN_RECORDS records have is also indexed split into words
    that records have, when it can be (مؤسسةالوفاء → مؤسسه, الوفا): split_rare. The token
    itself stays indexed too."""
    tokens: list[str] = []
    words: list[str] = []
    stems: list[str] = []
    keys: list[str] = []
    concepts: list[str] = []
    exact: list[str] = []
    for name in document.names:
        # arabic.analyze(name), a piece at a time; its glued-pair keys after the others.
        name_tokens: list[str] = []
        name_words: list[str] = []
        pairs = False
        for piece in name.split(" "):
            if piece:
                piece_tokens, piece_words, piece_stems, piece_keys, piece_concepts, pair = _piece(
                    piece
                )
                name_tokens += piece_tokens
                name_words += piece_words
                stems += piece_stems
                keys += piece_keys
                concepts += piece_concepts
                pairs = pairs or pair
        if not name_tokens:
            continue
        if pairs:
            keys += arabic.pair_keys(tuple(name_tokens))
        tokens += name_tokens
        words += name_words
        exact.append(" ".join(name_tokens))
        # Without its article the whole name still counts as the whole name.
        exact.append(" ".join(name_words))
    if vocabulary is not None:
        for token, word in zip(tokens[:], words[:], strict=True):
            parts = split_rare(token, word, vocabulary)
            if parts:
                glued = arabic.analyze(" ".join(parts))
                tokens.extend(glued.tokens)
                words.extend(glued.words)
                stems.extend(glued.stems)
                keys.extend(glued.keys)
                for part, stem in zip(glued.tokens, glued.stems, strict=True):
                    concepts.extend(_indexed_concepts(stem, _is_arabic(part)))
    context: list[str] = []
    for text in document.context:
        context.extend(_context_terms(text) if len(text) <= 60 else _context_of(text))
    # AnalyzedDocument(...) without its __init__, which sets the fields one at a time (a
    # rebuild makes a million).
    analyzed = object.__new__(AnalyzedDocument)
    analyzed.__dict__.update(
        document=document,
        tokens=tuple(dict.fromkeys(tokens)),
        words=tuple(dict.fromkeys(words)),
        stems=tuple(dict.fromkeys(stems)),
        keys=tuple(dict.fromkeys(keys + concepts)),
        exact=tuple(dict.fromkeys(exact)),
        context=tuple(dict.fromkeys(context)),
    )
    return analyzed


def analyze_documents(documents: Iterable[SearchDocument]) -> Iterator[AnalyzedDocument]:
    """Every document analyzed, for a rebuild, as the documents come (split_glued_after)."""
    return split_glued_after(analyze_document(document) for document in documents)


def split_glued_after(analyzed: Iterable[AnalyzedDocument]) -> Iterator[AnalyzedDocument]:
    """The documents' first analyses (analyze_document without a vocabulary) as they come,
    counting which records have each token and word; then the ones with a long token that no
    other record has, analyzed again, split against every record's words (split_rare). A
    document is yielded a second time only when that changes it: the second replaces the
    first. Only documents with a long token no record had before them are kept aside."""
    counts: Counter[str] = Counter()
    aside: list[AnalyzedDocument] = []
    for item in analyzed:
        counts.update({*item.tokens, *item.words})
        if any(counts[token] < KNOWN_IN_RECORDS and _splittable(token) for token in item.tokens):
            aside.append(item)
        yield item
    vocabulary = WordCounts(counts)
    for item in aside:
        again = analyze_document(item.document, vocabulary)
        if again != item:
            yield again


def tally(analyzed: Iterable[AnalyzedDocument]) -> tuple[Counter[str], dict[str, str]]:
    """What split_glued_after counts, for records analyzed in another process: how many of
    them have each token and word, and the key of the record that has a long token when
    only one of them has it. Merged over every batch (parallel.Rows), the records whose long
    token no other record has are exactly those that split_glued_after may analyze again."""
    counts: Counter[str] = Counter()
    for item in analyzed:
        counts.update({*item.tokens, *item.words})
    single = {
        token for token, count in counts.items() if count < KNOWN_IN_RECORDS and _splittable(token)
    }
    once: dict[str, str] = {}
    for item in analyzed:
        if not single.isdisjoint(item.tokens):
            for token in single.intersection(item.tokens):
                once[token] = item.document.key
    return counts, once


def split_glued_again(
    documents: Iterable[SearchDocument], counts: Counter[str]
) -> Iterator[AnalyzedDocument]:
    """The documents whose analysis changes once glued words are split against the words
    that `counts` holds (every record's): split_glued_after, for the records tally found."""
    vocabulary = WordCounts(counts)
    for document in documents:
        again = analyze_document(document, vocabulary)
        if again != analyze_document(document):
            yield again


@dataclass(frozen=True)
class QueryTerm:
    token: str
    word: str
    stem: str
    key: str
    concepts: tuple[str, ...] = ()  # concept terms of the other script
    optional: bool = False  # needed only when nothing else matches (al, of, …)
    # A glued token (ملتقىيافا) also matches a record that has every one of these parts.
    parts: tuple[QueryTerm, ...] = field(default=())
    known: bool = False  # KNOWN_IN_RECORDS records have the word: it is no typo

    @property
    def fuzzy(self) -> bool:
        """Match words one letter away too: for a long word the index does not know."""
        return len(self.word) >= FUZZY_MIN_LENGTH and not self.known

    def forms(self) -> tuple[str, ...]:
        return _unique((self.token, self.word, self.stem))


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[QueryTerm, ...]
    exact: tuple[str, ...]  # the whole query, normalized, with and without articles

    @property
    def empty(self) -> bool:
        return not self.terms

    def match_forms(self) -> set[str]:
        """Every form of every term, for highlighting."""
        forms: set[str] = set()
        for term in self.terms:
            for item in (term, *term.parts):
                forms.update(form for form in (item.token, item.word, item.stem) if form)
        return forms

    def match_keys(self) -> set[str]:
        return {item.key for term in self.terms for item in (term, *term.parts) if item.key}


MAX_QUERY_TERMS = 12


def _term(token: str, vocabulary: Container[str] | None) -> QueryTerm:
    word = arabic.strip_prefixes(token)
    stem = arabic.stem(token)
    if vocabulary is not None and _is_arabic(token) and word not in vocabulary:
        # Attached letters the rules leave on (بمدى, ولأيرلندا): read them off when what
        # remains is a word the index knows.
        known = arabic.strip_known(token, vocabulary)
        if known:
            word, stem = known, arabic.stem(known)
    return QueryTerm(
        token=token,
        word=word,
        stem=stem,
        key=arabic.translit_key(token),
        concepts=tuple(concept_terms(stem, arabic_script=_is_arabic(token), looking_for=True)),
        optional=token in OPTIONAL_WORDS,
        known=vocabulary is not None and (_common(vocabulary, word) or _common(vocabulary, token)),
    )


def parse_query(text: str, vocabulary: Container[str] | None = None) -> ParsedQuery:
    tokens = arabic.tokenize(text)[:MAX_QUERY_TERMS]
    terms: list[QueryTerm] = []
    expanded: list[str] = []
    for token in dict.fromkeys(tokens):
        term = _term(token, vocabulary)
        parts = split_rare(token, term.word, vocabulary)
        if parts:
            term = replace(term, parts=tuple(_term(part, vocabulary) for part in parts))
        terms.append(term)
        expanded.extend(parts or [token])
    if terms and all(term.optional for term in terms):
        terms = [replace(term, optional=False) for term in terms]
    exact = _unique(
        [" ".join(tokens), " ".join(arabic.strip_prefixes(t) for t in tokens), " ".join(expanded)]
    )
    return ParsedQuery(text=text, terms=tuple(terms), exact=exact)
