"""Marking the words of a result that the query matched, whatever their spelling."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tahaluf.search import arabic
from tahaluf.search.documents import ParsedQuery

_WORD = re.compile(r"[\w\u0600-\u06FF\u0640\u064B-\u065F\u0670']+", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def _word_forms(word: str) -> tuple[tuple[frozenset[str], str], ...]:
    """For each token of a word of a title: its forms, and its transliteration key. Titles
    share most of their words (جمعية, Society), so this is cached."""
    return tuple(
        (
            frozenset((token, arabic.strip_prefixes(token), arabic.stem(token))),
            arabic.translit_key(token),
        )
        for token in arabic.tokenize(word)
    )


def highlight(text: str, query: ParsedQuery) -> SafeString:
    forms = query.match_forms()
    keys = query.match_keys()
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        out.append(escape(text[last : match.start()]))
        word = match.group(0)
        hit = False
        for token_forms, key in _word_forms(word):
            if not token_forms.isdisjoint(forms):
                hit = True
            elif keys and key in keys:
                hit = True
        out.append(f"<mark>{escape(word)}</mark>" if hit else escape(word))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
