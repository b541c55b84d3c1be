"""The authorization matrix: every URL the resolver knows × method × person → the answer.

The list of URLs comes from Django's resolver (the pages and the ninja API under /api/v1/), so
a new URL with no entry in EXPECTED fails `test_it_has_an_entry_for_every_url`. Each entry
names the object it is tried on (the cast's records, or objects made below) and gives the
expected status for anonymous, dina (viewer), badr (editor of GUCC), carim (editor of Maat)
and amal (secretariat). `LOGIN` means a redirect to the sign-in page.

The rules (DESIGN.md, issue 2): the public sees only published records; someone who may not
see a record gets 404, exactly as for a record that does not exist; someone who may see it
but not change it gets 403; pages that need an account send anonymous visitors to sign in;
the API answers anonymous writes with 403 (no right to write), and an unknown bearer token
with 401.

Every request runs inside a savepoint that is rolled back afterwards, so each one meets the
same fresh objects: a successful delete does not change what the next request sees.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tahaluf.accounts.services import token_create
from tahaluf.organizations import services
from tahaluf.organizations.models import ImportJob, Position
from tahaluf.test import PASSWORD, BaseTestCase

USERS = ("anonymous", "dina", "badr", "carim", "amal")
LOGIN = "login"  # 302 to /accounts/login/?next=…
MISSING_PK = 987_654_321
API_PREFIX = "api/v1/"

Outcome = dict[str, int | str]


def by(
    anonymous: int | str, dina: int | str, badr: int | str, carim: int | str, amal: int | str
) -> Outcome:
    return dict(zip(USERS, (anonymous, dina, badr, carim, amal), strict=True))


def every(status: int | str) -> Outcome:
    return by(status, status, status, status, status)


# URL name → object the request is about ("" when none) → method → person → status.
EXPECTED: dict[str, dict[str, dict[str, Outcome]]] = {
    # Site -----------------------------------------------------------------------------------
    "home": {"": {"GET": every(200), "POST": every(405)}},
    "health": {"": {"GET": every(200), "POST": every(405)}},
    "set_language": {"": {"GET": every(302), "POST": every(302)}},
    "accounts:login": {"": {"GET": every(200), "POST": every(302)}},
    "accounts:logout": {"": {"GET": every(405), "POST": every(302)}},
    # Own account: everyone signed in has one; a token is revoked only by its owner, and
    # someone else's token is "not found".
    "accounts:account": {
        "": {"GET": by(LOGIN, 200, 200, 200, 200), "POST": by(LOGIN, 200, 200, 200, 200)}
    },
    "accounts:token_revoke": {
        "amal_token": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 404, 404, 404, 302)},
        "badr_token": {"POST": by(LOGIN, 404, 302, 404, 404)},
        "missing": {"POST": by(LOGIN, 404, 404, 404, 404)},
    },
    # Accounts of others: the secretariat's business.
    "accounts:user_list": {
        "": {"GET": by(LOGIN, 403, 403, 403, 200), "POST": by(LOGIN, 405, 405, 405, 405)}
    },
    "accounts:user_create": {
        "": {"GET": by(LOGIN, 403, 403, 403, 200), "POST": by(LOGIN, 403, 403, 403, 302)}
    },
    "accounts:user_set_active": {
        "dina_account": {
            "GET": by(LOGIN, 405, 405, 405, 405),
            "POST": by(LOGIN, 403, 403, 403, 302),
        },
        "missing": {"POST": by(LOGIN, 403, 403, 403, 404)},
    },
    # Organizations ---------------------------------------------------------------------------
    "organizations:list": {"": {"GET": every(200), "POST": every(405)}},
    # Search: open to all; what each person finds is tested in tahaluf/search/tests.
    "search:page": {"": {"GET": every(200), "POST": every(405)}},
    "organizations:create": {
        "": {
            "GET": by(LOGIN, 403, 403, 403, 200),
            "POST": by(LOGIN, 403, 403, 403, 302),
        }
    },
    "organizations:import": {
        "": {
            "GET": by(LOGIN, 403, 403, 403, 200),
            "POST": by(LOGIN, 403, 403, 403, 302),
        }
    },
    "organizations:import_confirm": {
        # "Import anyway" for a job waiting on likely duplicates: the secretariat's business.
        "job": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 404, 404, 404, 302)},
        "missing": {"POST": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:import_status": {
        # An import job is the secretariat's business: others are not told it exists.
        "job": {"GET": by(LOGIN, 404, 404, 404, 200), "POST": by(LOGIN, 405, 405, 405, 405)},
        "missing": {"GET": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:detail": {
        "maat": {"GET": every(200), "POST": every(405)},
        "hidden": {"GET": by(404, 404, 404, 404, 200), "POST": every(405)},
        "missing": {"GET": every(404)},
    },
    "organizations:edit": {
        "maat": {"GET": by(LOGIN, 403, 403, 200, 200), "POST": by(LOGIN, 403, 403, 302, 302)},
        "gucc": {"GET": by(LOGIN, 403, 200, 403, 200), "POST": by(LOGIN, 403, 302, 403, 302)},
        "hidden": {"GET": by(LOGIN, 404, 404, 404, 200), "POST": by(LOGIN, 404, 404, 404, 302)},
        "missing": {"GET": by(LOGIN, 404, 404, 404, 404), "POST": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:publish": {
        "maat": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 403, 403, 403, 302)},
        "hidden": {"POST": by(LOGIN, 404, 404, 404, 302)},
        "missing": {"POST": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:delete": {
        "maat": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 403, 403, 403, 302)},
        "gucc": {"POST": by(LOGIN, 403, 403, 403, 302)},
        "hidden": {"POST": by(LOGIN, 404, 404, 404, 302)},
    },
    "organizations:merge": {
        # Merging two records is the secretariat's (permissions.can_merge); someone who may
        # not see one of the two records is not told it exists.
        "maat_and_gucc": {
            "GET": by(LOGIN, 403, 403, 403, 200),
            "POST": by(LOGIN, 403, 403, 403, 302),
        },
        "maat_and_hidden": {
            "GET": by(LOGIN, 404, 404, 404, 200),
            "POST": by(LOGIN, 404, 404, 404, 302),
        },
        "maat_and_maat": {"GET": by(LOGIN, 404, 404, 404, 404)},  # a record with itself
        "missing": {"GET": by(LOGIN, 404, 404, 404, 404), "POST": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:add_member": {
        # Union memberships are recorded by the secretariat, even for the union's own editor.
        "gucc": {"GET": by(LOGIN, 403, 403, 403, 200), "POST": by(LOGIN, 403, 403, 403, 302)},
        "hidden": {"GET": by(LOGIN, 404, 404, 404, 200)},
    },
    "organizations:add_position": {
        "maat": {"GET": by(LOGIN, 403, 403, 200, 200), "POST": by(LOGIN, 403, 403, 302, 302)},
        "gucc": {"GET": by(LOGIN, 403, 200, 403, 200), "POST": by(LOGIN, 403, 302, 403, 302)},
        "hidden": {"GET": by(LOGIN, 404, 404, 404, 200), "POST": by(LOGIN, 404, 404, 404, 302)},
    },
    "organizations:add_source": {
        "maat": {"GET": by(LOGIN, 403, 403, 200, 200), "POST": by(LOGIN, 403, 403, 302, 302)},
        "hidden": {"GET": by(LOGIN, 404, 404, 404, 200), "POST": by(LOGIN, 404, 404, 404, 302)},
    },
    "organizations:union_membership_delete": {
        "maat_in_gucc": {
            "GET": by(LOGIN, 405, 405, 405, 405),
            "POST": by(LOGIN, 403, 403, 403, 302),
        },
        "hidden_in_gucc": {"POST": by(LOGIN, 404, 404, 404, 302)},
        "missing": {"POST": by(LOGIN, 404, 404, 404, 404)},
    },
    "organizations:position_delete": {
        "ayman_at_maat": {
            "GET": by(LOGIN, 405, 405, 405, 405),
            "POST": by(LOGIN, 403, 403, 302, 302),
        },
        "yousri_at_gucc": {"POST": by(LOGIN, 403, 302, 403, 302)},
        "secret_at_maat": {"POST": by(LOGIN, 404, 404, 302, 302)},
    },
    # People -----------------------------------------------------------------------------------
    "organizations:person_list": {"": {"GET": every(200), "POST": every(405)}},
    "organizations:person_create": {
        "": {
            "GET": by(LOGIN, 403, 200, 200, 200),
            "POST": by(LOGIN, 403, 302, 302, 302),
        }
    },
    "organizations:person_detail": {
        "ayman": {"GET": every(200), "POST": every(405)},
        "secret": {"GET": by(404, 404, 404, 200, 200)},
        "draft": {"GET": by(404, 404, 200, 404, 200)},
        "missing": {"GET": every(404)},
    },
    "organizations:person_edit": {
        "ayman": {"GET": by(LOGIN, 403, 403, 200, 200), "POST": by(LOGIN, 403, 403, 302, 302)},
        "yousri": {"GET": by(LOGIN, 403, 200, 403, 200), "POST": by(LOGIN, 403, 302, 403, 302)},
        "secret": {"GET": by(LOGIN, 404, 404, 200, 200), "POST": by(LOGIN, 404, 404, 302, 302)},
        "draft": {"GET": by(LOGIN, 404, 200, 404, 200), "POST": by(LOGIN, 404, 302, 404, 302)},
    },
    "organizations:person_publish": {
        "ayman": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 403, 403, 403, 302)},
        "secret": {"POST": by(LOGIN, 404, 404, 403, 302)},
    },
    "organizations:person_delete": {
        "ayman": {"GET": by(LOGIN, 405, 405, 405, 405), "POST": by(LOGIN, 403, 403, 403, 302)},
        "secret": {"POST": by(LOGIN, 404, 404, 403, 302)},
        "draft": {"POST": by(LOGIN, 404, 403, 404, 302)},
    },
    "organizations:person_add_source": {
        "ayman": {"GET": by(LOGIN, 403, 403, 200, 200), "POST": by(LOGIN, 403, 403, 302, 302)},
        "secret": {"GET": by(LOGIN, 404, 404, 200, 200)},
    },
    # API --------------------------------------------------------------------------------------
    "api-1:api-root": {"": {"GET": every(404), "POST": every(404)}},
    # The schema is public, and answers any method (it reads nothing but the code).
    "api-1:openapi-json": {"": {"GET": every(200), "POST": every(200)}},
    "api-1:organizations_list": {"": {"GET": every(200)}},
    "api-1:search": {"": {"GET": every(422)}},  # without ?q= the request is incomplete
    "api-1:organizations_create": {"": {"POST": by(403, 403, 403, 403, 201)}},
    "api-1:organizations_get": {
        "maat": {"GET": every(200)},
        "hidden": {"GET": by(404, 404, 404, 404, 200)},
        "missing": {"GET": every(404)},
    },
    "api-1:organizations_update": {
        "maat": {"PATCH": by(403, 403, 403, 200, 200)},
        "gucc": {"PATCH": by(403, 403, 200, 403, 200)},
        "hidden": {"PATCH": by(404, 404, 404, 404, 200)},
        "missing": {"PATCH": every(404)},
    },
    "api-1:organizations_delete": {
        "maat": {"DELETE": by(403, 403, 403, 403, 204)},
        "hidden": {"DELETE": by(404, 404, 404, 404, 204)},
        "missing": {"DELETE": every(404)},
    },
    "api-1:people_list": {"": {"GET": every(200)}},
    "api-1:people_create": {"": {"POST": by(403, 403, 201, 201, 201)}},
    "api-1:people_get": {
        "ayman": {"GET": every(200)},
        "secret": {"GET": by(404, 404, 404, 200, 200)},
        "draft": {"GET": by(404, 404, 200, 404, 200)},
        "missing": {"GET": every(404)},
    },
    "api-1:people_update": {
        "ayman": {"PATCH": by(403, 403, 403, 200, 200)},
        "yousri": {"PATCH": by(403, 403, 200, 403, 200)},
        "secret": {"PATCH": by(404, 404, 404, 200, 200)},
        "draft": {"PATCH": by(404, 404, 200, 404, 200)},
    },
    "api-1:people_delete": {
        "ayman": {"DELETE": by(403, 403, 403, 403, 204)},
        "secret": {"DELETE": by(404, 404, 404, 403, 204)},
        "draft": {"DELETE": by(404, 404, 403, 404, 204)},
    },
    "api-1:positions_list": {"": {"GET": every(200)}},
    "api-1:positions_create": {
        # The object named is the organization the new post is in.
        "maat": {"POST": by(403, 403, 403, 201, 201)},
        "gucc": {"POST": by(403, 403, 201, 403, 201)},
        "hidden": {"POST": by(404, 404, 404, 404, 201)},
    },
    "api-1:positions_get": {
        "ayman_at_maat": {"GET": every(200)},
        "secret_at_maat": {"GET": by(404, 404, 404, 200, 200)},
        "missing": {"GET": every(404)},
    },
    "api-1:positions_update": {
        "ayman_at_maat": {"PATCH": by(403, 403, 403, 200, 200)},
        "yousri_at_gucc": {"PATCH": by(403, 403, 200, 403, 200)},
        "secret_at_maat": {"PATCH": by(404, 404, 404, 200, 200)},
    },
    "api-1:positions_delete": {
        "ayman_at_maat": {"DELETE": by(403, 403, 403, 204, 204)},
        "yousri_at_gucc": {"DELETE": by(403, 403, 204, 403, 204)},
        "secret_at_maat": {"DELETE": by(404, 404, 404, 204, 204)},
    },
    "api-1:union_memberships_list": {"": {"GET": every(200)}},
    "api-1:union_memberships_create": {"": {"POST": by(403, 403, 403, 403, 201)}},
    "api-1:union_memberships_get": {
        "maat_in_gucc": {"GET": every(200)},
        "hidden_in_gucc": {"GET": by(404, 404, 404, 404, 200)},
        "missing": {"GET": every(404)},
    },
    "api-1:union_memberships_update": {
        "maat_in_gucc": {"PATCH": by(403, 403, 403, 403, 200)},
        "hidden_in_gucc": {"PATCH": by(404, 404, 404, 404, 200)},
    },
    "api-1:union_memberships_delete": {
        "maat_in_gucc": {"DELETE": by(403, 403, 403, 403, 204)},
        "hidden_in_gucc": {"DELETE": by(404, 404, 404, 404, 204)},
    },
}

IMPORT_CSV = (
    "external_id,name_ar,name_en,acronym,kind,country,city,founded_year,member_count,"
    "partner_count,website,focus_areas\n"
    "matrix-1,جمعية تجريبية,Trial Society,,ngo,PS,نابلس,2001,,,,\n"
).encode()

# What each write sends: URL name → function of (the test, the object) → form data or JSON.
Payload = Callable[["AuthorizationMatrixTests", Any], Any]
PAYLOADS: dict[str, Payload] = {
    "set_language": lambda t, o: {"language": "en", "next": "/"},
    "accounts:login": lambda t, o: {"username": "dina", "password": PASSWORD},
    "accounts:account": lambda t, o: {"token-name": "matrix"},
    "accounts:user_create": lambda t, o: {
        "username": "erin",
        "email": "",
        "role": "viewer",
        "organization": "",
        "password1": "quiet-otter-lantern-2024",
        "password2": "quiet-otter-lantern-2024",
    },
    "accounts:user_set_active": lambda t, o: {"active": "0"},
    "organizations:create": lambda t, o: {
        "name_ar": "منظمة جديدة",
        "name_en": "New Organization",
        "kind": "ngo",
        "country": "PS",
    },
    "organizations:import": lambda t, o: {
        "file": SimpleUploadedFile("organizations.csv", IMPORT_CSV, "text/csv"),
    },
    "organizations:edit": lambda t, o: {
        "name_ar": o.name_ar,
        "name_en": o.name_en,
        "acronym": o.acronym,
        "kind": o.kind,
        "country": o.country,
        "city": "Changed",
    },
    "organizations:publish": lambda t, o: {"published": "0" if o.is_published else "1"},
    "organizations:add_member": lambda t, o: {"member": t.objects["loose"].pk},
    "organizations:add_position": lambda t, o: {
        "person": t.cast.yousri.pk,
        "title_en": "Adviser",
    },
    "organizations:add_source": lambda t, o: {"title": "Annual report 2023"},
    "organizations:person_create": lambda t, o: {"name_ar": "شخص جديد", "name_en": "New Person"},
    "organizations:person_edit": lambda t, o: {
        "name_ar": o.name_ar,
        "name_en": f"{o.name_en} (edited)",
    },
    "organizations:person_publish": lambda t, o: {"published": "0" if o.is_published else "1"},
    "organizations:person_add_source": lambda t, o: {"title": "Interview"},
    "api-1:organizations_create": lambda t, o: {
        "name_ar": "منظمة جديدة",
        "name_en": "New Organization",
        "kind": "ngo",
        "country": "PS",
    },
    "api-1:organizations_update": lambda t, o: {"city": "Changed"},
    "api-1:people_create": lambda t, o: {"name_en": "New Person"},
    "api-1:people_update": lambda t, o: {"name_en": "Renamed"},
    "api-1:positions_create": lambda t, o: {
        "person_id": t.cast.yousri.pk,
        "organization_id": o.pk,
        "title_en": "Adviser",
    },
    "api-1:positions_update": lambda t, o: {"title_en": "Chair"},
    "api-1:union_memberships_create": lambda t, o: {
        "union_id": t.cast.gucc.pk,
        "member_id": t.objects["loose"].pk,
    },
    "api-1:union_memberships_update": lambda t, o: {"start_date": "2020-01-01"},
}


# The resolver ------------------------------------------------------------------------------


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else prefix + str(pattern.pattern)
            yield name, prefix + str(pattern.pattern), pattern.callback


def url_patterns() -> dict[str, tuple[str, Any]]:
    """Every URL pattern of the site: its name (with namespace) → (route, view)."""
    found: dict[str, tuple[str, Any]] = {}
    for name, route, callback in _walk(get_resolver().url_patterns):
        assert name not in found, f"two URL patterns are named {name}"
        found[name] = (route, callback)
    return found


def is_api(route: str) -> bool:
    return route.startswith(API_PREFIX)


PARAMETER = re.compile(r"<(?:\w+:)?\w+>")


def fill(route: str, pk: int | tuple[int, ...] | None) -> str:
    """The route with its parameters filled in: each with `pk`, or in turn with the keys of
    a tuple (a URL about two records: /organizations/1/merge/2/)."""
    if PARAMETER.search(route):
        assert pk is not None, route
        keys = iter(pk if isinstance(pk, tuple) else ())
        return "/" + PARAMETER.sub(
            lambda _match: str(next(keys) if isinstance(pk, tuple) else pk), route
        )
    return "/" + route


class _Pair:
    """Two records a URL is about; `pk` is the pair of their keys."""

    def __init__(self, first: Any, second: Any) -> None:
        self.pk = (first.pk, second.pk)


class _Missing:
    """Stands for a record that does not exist."""

    pk = MISSING_PK
    is_published = False
    name_ar = name_en = "لا أحد"
    acronym = country = ""
    kind = "ngo"


class AuthorizationMatrixTests(BaseTestCase):
    keys: dict[str, str]
    objects: dict[str, Any]
    media: str
    _media_override: override_settings

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="tahaluf-matrix-")
        cls._media_override = override_settings(MEDIA_ROOT=cls.media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cast = cls.cast
        amal = cast.amal
        # A person only the secretariat and Maat's editor may see: unpublished, post at Maat.
        secret = services.person_create(
            actor=amal, data={"name_ar": "شخص غير منشور", "name_en": "Unpublished Person"}
        )
        secret_at_maat = services.position_create(
            actor=amal, person=secret, organization=cast.maat, data={"title_en": "Treasurer"}
        )
        # A person badr added and has not given a post yet: his and the secretariat's only.
        draft = services.person_create(actor=cast.badr, data={"name_en": "Badr's New Person"})
        maat_in_gucc = services.union_membership_create(
            actor=amal, union=cast.gucc, member=cast.maat, data={}
        )
        hidden_in_gucc = services.union_membership_create(
            actor=amal, union=cast.gucc, member=cast.hidden, data={}
        )
        # A published organization that belongs to no union yet.
        loose = services.organization_create(
            actor=amal,
            data={"name_en": "Loose Association", "kind": "ngo", "country": "MA"},
            is_published=True,
        )
        job = ImportJob.objects.create(
            original_name="cast.csv",
            file="imports/cast.csv",
            created_by=amal,
            status=ImportJob.Status.DONE,
        )
        cls.objects = {
            "maat": cast.maat,
            "gucc": cast.gucc,
            "hidden": cast.hidden,
            "ayman": cast.ayman,
            "yousri": cast.yousri,
            "secret": secret,
            "draft": draft,
            "ayman_at_maat": Position.objects.get(person=cast.ayman, organization=cast.maat),
            "yousri_at_gucc": Position.objects.get(person=cast.yousri, organization=cast.gucc),
            "secret_at_maat": secret_at_maat,
            "maat_in_gucc": maat_in_gucc,
            "hidden_in_gucc": hidden_in_gucc,
            "loose": loose,
            "job": job,
            "maat_and_gucc": _Pair(cast.maat, cast.gucc),
            "maat_and_hidden": _Pair(cast.maat, cast.hidden),
            "maat_and_maat": _Pair(cast.maat, cast.maat),
            "missing": _Missing(),
        }
        tokens = {
            name: token_create(actor=None, user=getattr(cast, name))
            for name in USERS
            if name != "anonymous"
        }
        cls.keys = {name: key for name, (_token, key) in tokens.items()}
        cls.objects.update(
            {
                "amal_token": tokens["amal"][0],
                "badr_token": tokens["badr"][0],
                "dina_account": cast.dina,
            }
        )

    # Running one entry ----------------------------------------------------------------------

    def setUp(self) -> None:
        # One client per person and kind (a new Client loads the whole middleware stack,
        # static files finder included, which is slow); cookies are put back after each
        # request, so a sign-in or sign-out in one entry does not carry into the next.
        self.page_clients = {user: self.client_for(user) for user in USERS}
        self.api_clients = {
            user: Client(
                headers={}
                if user == "anonymous"
                else {"Authorization": f"Bearer {self.keys[user]}"}
            )
            for user in USERS
        }

    def request(self, name: str, target: str, method: str, user: str) -> Any:
        route, _view = url_patterns()[name]
        obj = self.objects[target] if target else None
        url = fill(route, getattr(obj, "pk", None))
        if method == "GET" and name == "set_language":
            url += "?next=/"
        payload = PAYLOADS.get(name, lambda t, o: {})(self, obj)
        client = self.api_clients[user] if is_api(route) else self.page_clients[user]
        cookies = copy.deepcopy(client.cookies)
        try:
            with transaction.atomic():
                if is_api(route) and method not in ("GET", "DELETE"):
                    response = client.generic(
                        method, url, json.dumps(payload), content_type="application/json"
                    )
                elif method == "POST":
                    response = client.post(url, payload)
                else:
                    response = client.generic(method, url)
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return response

    def outcome(self, response: Any) -> int | str:
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location.startswith("/accounts/login/?next="):
            return LOGIN
        return response.status_code

    def entries(self) -> Iterator[tuple[str, str, str, str, int | str]]:
        for name, targets in EXPECTED.items():
            for target, methods in targets.items():
                for method, outcomes in methods.items():
                    for user, expected in outcomes.items():
                        yield name, target, method, user, expected

    # The tests -------------------------------------------------------------------------------

    def test_it_has_an_entry_for_every_url(self) -> None:
        patterns = url_patterns()
        self.assertTrue(any(is_api(route) for route, _view in patterns.values()))
        self.assertEqual(
            sorted(set(patterns) - set(EXPECTED)), [], "URL patterns with no entry in EXPECTED"
        )
        self.assertEqual(
            sorted(set(EXPECTED) - set(patterns)),
            [],
            "entries in EXPECTED for URLs that no longer exist",
        )
        for name, targets in EXPECTED.items():
            route, _view = patterns[name]
            methods_seen: set[str] = set()
            for target, methods in targets.items():
                # An object is named exactly when the URL takes one (API creates name the
                # object their payload points at).
                if PARAMETER.search(route):
                    self.assertIn(target, self.objects, name)
                elif target:
                    self.assertTrue(is_api(route) and name in PAYLOADS, name)
                for outcomes in methods.values():
                    self.assertEqual(tuple(outcomes), USERS, name)
                methods_seen |= set(methods)
            if not is_api(route):
                self.assertEqual(methods_seen, {"GET", "POST"}, name)

    def test_it_answers_every_entry_as_expected(self) -> None:
        failures = []
        count = 0
        for name, target, method, user, expected in self.entries():
            count += 1
            response = self.request(name, target, method, user)
            actual = self.outcome(response)
            if actual != expected:
                failures.append(
                    f"{method} {name} [{target or '-'}] as {user}: "
                    f"expected {expected}, got {actual}"
                )
        self.assertGreater(count, 500)
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_it_answers_405_to_api_methods_that_have_no_entry(self) -> None:
        """So that the table covers every method an API URL accepts."""
        listed: dict[str, set[str]] = {}
        for name, (route, view) in url_patterns().items():
            if is_api(route) and "PathView" in getattr(view, "__qualname__", ""):
                for outcomes in EXPECTED[name].values():
                    listed.setdefault(route, set()).update(outcomes)
        self.assertGreater(len(listed), 5)
        client = Client(headers={"Authorization": f"Bearer {self.keys['amal']}"})
        for route, methods in listed.items():
            url = fill(route, self.cast.maat.pk)
            for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
                response = client.generic(method, url)
                self.assertEqual(response.status_code, 405, f"{method} {url}")

    def test_it_answers_401_to_an_unknown_bearer_token_on_every_api_operation(self) -> None:
        client = Client(headers={"Authorization": "Bearer tahaluf_not-a-real-token"})
        checked = 0
        for name, (route, view) in url_patterns().items():
            if not (is_api(route) and "PathView" in getattr(view, "__qualname__", "")):
                continue
            for target, methods in EXPECTED[name].items():
                obj = self.objects.get(target) if target else None
                for method in methods:
                    with transaction.atomic():
                        response = client.generic(
                            method,
                            fill(route, getattr(obj, "pk", None)),
                            "{}",
                            content_type="application/json",
                        )
                        transaction.set_rollback(True)
                    self.assertEqual(response.status_code, 401, f"{method} {name} [{target}]")
                    checked += 1
        self.assertGreater(checked, 20)

    def test_it_refuses_a_signed_in_browser_api_write_without_its_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.cast.carim)
        url = f"/api/v1/organizations/{self.cast.maat.pk}"
        response = client.patch(
            url, json.dumps({"city": "Alexandria"}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
        self.cast.maat.refresh_from_db()
        self.assertEqual(self.cast.maat.city, "")
        client.get("/")  # the page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = client.patch(
            url,
            json.dumps({"city": "Alexandria"}),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.cast.maat.refresh_from_db()
        self.assertEqual(self.cast.maat.city, "Alexandria")
