"""Shared pieces for API schemas: strings that the databases can store, bounded sizes,
and the rule that unknown fields are rejected."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("The text is not valid Unicode.") from None
    return value


# Storable text of at most N characters. Spelt out one alias per size, because a type checker
# reads only literal `Annotated[...]` aliases, never a call such as `Text(200)`.
Text2: TypeAlias = Annotated[str, StringConstraints(max_length=2), AfterValidator(_storable)]
Text50: TypeAlias = Annotated[str, StringConstraints(max_length=50), AfterValidator(_storable)]
Text100: TypeAlias = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)]
Text150: TypeAlias = Annotated[str, StringConstraints(max_length=150), AfterValidator(_storable)]
Text200: TypeAlias = Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable)]
Text300: TypeAlias = Annotated[str, StringConstraints(max_length=300), AfterValidator(_storable)]
Text500: TypeAlias = Annotated[str, StringConstraints(max_length=500), AfterValidator(_storable)]
Text10000: TypeAlias = Annotated[
    str, StringConstraints(max_length=10_000), AfterValidator(_storable)
]


def Text(max_length: int) -> type[str]:  # noqa: N802 - reads as a type in schemas
    """The same, for any size; mypy rejects a call in an annotation, so prefer the aliases."""
    return Annotated[  # type: ignore[return-value]
        str, StringConstraints(max_length=max_length), AfterValidator(_storable)
    ]


PositiveId = Annotated[int, Field(ge=1, le=2**53)]

# An ISO 3166-1 alpha-2 code; "ps" is read as "PS", as the CSV import does. (Whether the code
# exists is the model's rule, answered with a field-level 422.)
Country = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, max_length=2),
    AfterValidator(_storable),
]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


def refuse_unknown_parameters(request: HttpRequest, filters: type[Schema]) -> None:
    """A misspelt filter (`?contry=EG`) is an error, not a silent "everything"."""
    unknown = sorted(set(request.GET) - set(filters.model_fields))
    if unknown:
        raise SchemaValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ["query", name],
                    "msg": "Extra inputs are not permitted",
                }
                for name in unknown
            ]
        )
