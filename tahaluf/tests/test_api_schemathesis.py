"""schemathesis, in-process (WSGI) against the live OpenAPI schema at /api/v1/openapi.json.

Each operation is called with generated valid and invalid input, with a bearer token of amal
(secretariat: every write goes through) and of badr (member editor: the permission branches).
The checks: never a 5xx, every status is documented, every documented body matches its schema.

Generated identifiers are mostly random and would only meet 404, so before each call most of
them are replaced by the identifier of a record that exists (the cast of tahaluf/test.py plus two
union memberships); that is how PATCH and DELETE reach real records, and how POST /positions and
/union-memberships reach duplicates, cycles and self-membership.

Deterministic (derandomized Hypothesis) and bounded: a few hundred calls per operation at most,
most of them from schemathesis' coverage phase; about 25 s of CPU for the whole file. Each test
starts from an empty database (transactional), because a write that commits must stay visible
to the next request exactly as in production, and PostgreSQL must not see an aborted outer
transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.db import models
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tahaluf.accounts.services import token_create
from tahaluf.organizations import services
from tahaluf.organizations.models import Organization, Person, Position, UnionMembership
from tahaluf.test import make_cast
from tahaluf.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

MODEL_BY_PATH = {
    "organizations": Organization,
    "people": Person,
    "positions": Position,
    "union-memberships": UnionMembership,
}
MODEL_BY_BODY_FIELD = {
    "organization_id": Organization,
    "person_id": Person,
    "union_id": Organization,
    "member_id": Organization,
}


def _existing(model: type[models.Model], value: Any) -> Any:
    """Seven generated identifiers in eight become the id of a record that exists (in order:
    1 is the first record); multiples of 8 stay as they are and mostly meet 404."""
    as_text = isinstance(value, str)
    if as_text and value.isascii() and value.isdigit():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return value
    if number < 1 or number % 8 == 0:
        return value
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return value
    found = ids[(number - 1) % len(ids)]
    return str(found) if as_text else found


def point_at_existing_records(case: schemathesis.Case) -> None:
    """Replace (never mutate: explicit examples are shared between runs) the identifiers."""
    resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    if case.path_parameters:
        case.path_parameters = {
            name: _existing(MODEL_BY_PATH[resource], value)
            for name, value in case.path_parameters.items()
        }
    if isinstance(case.body, dict):
        case.body = {
            name: _existing(MODEL_BY_BODY_FIELD[name], value)
            if name in MODEL_BY_BODY_FIELD
            else value
            for name, value in case.body.items()
        }


@pytest.fixture
def headers_for(transactional_db: None) -> Any:
    """The cast, plus two union memberships, in a database that each test starts empty."""
    cast = make_cast()
    for member in (cast.maat, cast.hidden):
        services.union_membership_create(actor=cast.amal, union=cast.gucc, member=member, data={})
    tokens: dict[str, str] = {}

    def headers(name: str) -> dict[str, str]:
        if name not in tokens:
            user = cast.user(name)
            assert user is not None, "an anonymous caller has no token"
            _token, tokens[name] = token_create(actor=None, user=user)
        # The WSGI client does not decompress; GZipMiddleware would otherwise answer gzip.
        return {"Authorization": f"Bearer {tokens[name]}", "Accept-Encoding": "identity"}

    return headers


@pytest.mark.parametrize("who", ["amal", "badr"])
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_it_answers_every_generated_request_as_documented(
    case: schemathesis.Case, who: str, headers_for: Any
) -> None:
    headers = headers_for(who)
    generated = case.path_parameters, case.body
    point_at_existing_records(case)
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    finally:
        case.path_parameters, case.body = generated


def test_it_would_report_a_server_error(headers_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness bites: a view that crashes makes the checks above fail."""

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a deliberate crash")

    monkeypatch.setattr("tahaluf.accounts.permissions.visible_organizations", crash)
    case = schema["/api/v1/organizations"]["GET"].Case(query={})
    with pytest.raises(FailureGroup) as failures:
        case.call_and_validate(headers=headers_for("amal"), checks=CHECKS)
    assert ServerError in [type(failure) for failure in failures.value.exceptions]
