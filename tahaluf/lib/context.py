from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    language = translation.get_language() or "ar"
    return {
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "other_language": "en" if language == "ar" else "ar",
    }
