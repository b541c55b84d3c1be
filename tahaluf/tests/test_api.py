"""The JSON API under /api/v1/: what a program sees, with the named cast of tahaluf/test.py.

amal (secretariat) may do everything; badr edits GUCC and its people, nothing else; carim edits
Maat; dina only reads; anonymous reads what is published. `hidden` is an unpublished
organization: to anyone who may not see it, it does not exist (404, never 403).
"""

from __future__ import annotations

import datetime
import io
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from tahaluf import cli
from tahaluf.accounts.models import ApiToken
from tahaluf.accounts.services import token_create, token_revoke, user_deactivate
from tahaluf.audit.models import Action, Change
from tahaluf.audit.services import history_for
from tahaluf.organizations import services
from tahaluf.organizations.models import (
    FocusArea,
    Organization,
    Person,
    Position,
    UnionMembership,
)
from tahaluf.test import BaseTestCase

API = "/api/v1"
WRITE_MODELS = (Organization, Person, Position, UnionMembership, FocusArea, Change)


def rows() -> dict[str, int]:
    """How many rows each table the API writes to holds: compared before and after a refused
    request, to show that nothing was written."""
    return {model.__name__: model.objects.count() for model in WRITE_MODELS}


def last_change(model: type[models.Model], pk: int) -> Change:
    """The latest history entry of a record, even after the record itself is deleted."""
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=pk
    ).order_by("-at", "-pk")[0]


class ApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clients: dict[str, Client] = {}

    def client_as(self, who: str) -> Client:
        """A client with a bearer token of one of the cast (anonymous: none), made once: making
        a token is itself recorded in the user's history."""
        if who not in self.clients:
            self.clients[who] = self.api(who)
        return self.clients[who]

    def call(self, who: str, method: str, path: str, data: Any = None) -> Any:
        client = self.client_as(who)
        kwargs: dict[str, Any] = {"HTTP_ACCEPT_ENCODING": "identity"}
        if method in {"post", "patch"}:
            kwargs["content_type"] = "application/json"
        if data is not None:
            kwargs["data"] = data
        response = getattr(client, method)(API + path, **kwargs)
        self.assertLess(response.status_code, 500, response.content)
        return response

    def assertInvalid(self, response: Any, field: str) -> None:  # noqa: N802
        """A 422 whose `detail` names `field` in the `loc` of one of its errors, with a message."""
        self.assertEqual(response.status_code, 422, response.content)
        detail = response.json()["detail"]
        self.assertIsInstance(detail, list)
        located = [error for error in detail if field in error["loc"]]
        self.assertTrue(located, f"no error for {field!r} in {detail}")
        for error in located:
            self.assertEqual(error["loc"][0], "body")
            self.assertTrue(error["msg"])

    def assertRefusedWithoutWriting(  # noqa: N802
        self, who: str, method: str, path: str, data: Any, status: int, field: str = ""
    ) -> Any:
        self.client_as(who)
        before = rows()
        response = self.call(who, method, path, data)
        if field:
            self.assertInvalid(response, field)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(rows(), before, f"{method} {path} {data} wrote something")
        return response


# Organizations ---------------------------------------------------------------------------


class OrganizationReadTests(ApiTestCase):
    def test_it_lists_what_each_caller_may_see(self) -> None:
        expected = {
            "anonymous": {"cast-gucc", "cast-maat"},
            "dina": {"cast-gucc", "cast-maat"},
            "badr": {"cast-gucc", "cast-maat"},
            "amal": {"cast-gucc", "cast-maat", "cast-hidden"},
        }
        for who, external_ids in expected.items():
            with self.subTest(who=who):
                body = self.call(who, "get", "/organizations").json()
                self.assertEqual({item["external_id"] for item in body["items"]}, external_ids)
                self.assertEqual(body["count"], len(external_ids))
                self.assertEqual((body["limit"], body["offset"]), (25, 0))

    def test_it_shows_an_organization_with_every_field(self) -> None:
        gucc = self.call("anonymous", "get", f"/organizations/{self.cast.gucc.pk}").json()
        self.assertEqual(gucc["name_ar"], "الاتحاد العام للمراكز الثقافية")
        self.assertEqual(gucc["name_en"], "General Union of Cultural Centers")
        self.assertEqual(gucc["kind"], "union")
        self.assertEqual((gucc["country"], gucc["city"]), ("PS", "غزة"))
        self.assertEqual(gucc["founded_year"], 1997)
        self.assertEqual((gucc["member_count"], gucc["member_count_at_least"]), (55, False))
        self.assertEqual((gucc["partner_count"], gucc["partner_count_at_least"]), (120, True))
        self.assertEqual(gucc["focus_areas"], [])
        self.assertTrue(gucc["is_published"])
        self.assertEqual(
            set(gucc),
            {
                "id",
                "external_id",
                "name_ar",
                "name_en",
                "acronym",
                "other_names",
                "kind",
                "country",
                "city",
                "founded_year",
                "member_count",
                "member_count_at_least",
                "partner_count",
                "partner_count_at_least",
                "website",
                "description_ar",
                "description_en",
                "focus_areas",
                "is_published",
                "created_at",
                "updated_at",
            },
        )

    def test_it_answers_not_found_for_what_the_caller_may_not_see(self) -> None:
        hidden = f"/organizations/{self.cast.hidden.pk}"
        for who in ("anonymous", "dina", "badr", "carim"):
            with self.subTest(who=who):
                response = self.call(who, "get", hidden)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "Not found."})
        self.assertEqual(self.call("amal", "get", hidden).status_code, 200)
        self.assertEqual(
            self.call("amal", "get", "/organizations/999999").json(), {"detail": "Not found."}
        )

    def test_it_refuses_identifiers_that_are_not_positive_integers(self) -> None:
        for bad in ("0", "-1", "abc", "1.5", str(2**63), "١"):
            with self.subTest(bad=bad):
                response = self.call("amal", "get", f"/organizations/{bad}")
                self.assertIn(response.status_code, {404, 422})

    def test_it_filters_organizations(self) -> None:
        services.organization_create(
            actor=self.cast.amal,
            data={
                "name_ar": "مركز الميزان",
                "name_en": "Al Mezan Center",
                "kind": "ngo",
                "country": "PS",
                "city": "Gaza",
                "external_id": "mezan",
            },
            focus_areas=services.focus_areas_resolve(["human-rights"]),
            is_published=True,
        )
        cases = {
            "q=maat": {"cast-maat"},  # acronym, case-insensitive
            "q=GENERAL%20union": {"cast-gucc"},  # English name, case-insensitive
            "q=ماعت": {"cast-maat"},  # Arabic name
            "q=nothing-like-this": set(),
            "kind=union": {"cast-gucc"},
            "kind=ngo": {"cast-maat", "mezan"},
            "country=eg": {"cast-maat"},
            "country=PS": {"cast-gucc", "mezan"},
            "city=غزة": {"cast-gucc"},
            "city=gaza": {"mezan"},
            "focus_area=human-rights": {"mezan"},
            "external_id=cast-maat": {"cast-maat"},
            "country=PS&kind=ngo": {"mezan"},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                body = self.call("anonymous", "get", f"/organizations?{query}").json()
                self.assertEqual({item["external_id"] for item in body["items"]}, expected)
                self.assertEqual(body["count"], len(expected))

    def test_it_does_not_reveal_unpublished_organizations_through_filters(self) -> None:
        body = self.call("badr", "get", "/organizations?external_id=cast-hidden").json()
        self.assertEqual((body["count"], body["items"]), (0, []))
        body = self.call("amal", "get", "/organizations?external_id=cast-hidden").json()
        self.assertEqual(body["count"], 1)

    def test_it_refuses_bad_filters(self) -> None:
        for query, field in {
            "kind=banana": "kind",
            "limit=0": "limit",
            "limit=201": "limit",
            "offset=-1": "offset",
            "limit=abc": "limit",
            "country=EGY": "country",
            "q=a%00b": "q",
            "unknown=1": "unknown",
        }.items():
            with self.subTest(query=query):
                response = self.call("anonymous", "get", f"/organizations?{query}")
                self.assertEqual(response.status_code, 422, response.content)
                locations = [error["loc"] for error in response.json()["detail"]]
                self.assertIn(["query", field], locations)

    def test_it_pages_with_limit_and_offset(self) -> None:
        for number in range(7):
            services.organization_create(
                actor=self.cast.amal, data={"name_en": f"Page test {number}"}, is_published=True
            )
        total = 9
        seen: list[int] = []
        for offset in range(0, 12, 4):
            body = self.call("anonymous", "get", f"/organizations?limit=4&offset={offset}").json()
            self.assertEqual((body["count"], body["limit"], body["offset"]), (total, 4, offset))
            self.assertEqual(len(body["items"]), min(4, max(total - offset, 0)))
            seen += [item["id"] for item in body["items"]]
        self.assertEqual(len(seen), total)
        self.assertEqual(len(set(seen)), total, "pages overlap")
        body = self.call("anonymous", "get", "/organizations?offset=1000").json()
        self.assertEqual((body["count"], body["items"]), (total, []))


class OrganizationWriteTests(ApiTestCase):
    def test_it_lets_amal_create_an_organization(self) -> None:
        response = self.call(
            "amal",
            "post",
            "/organizations",
            {
                "name_ar": "شبكة المنظمات الأهلية الفلسطينية",
                "name_en": "Palestinian NGOs Network",
                "acronym": "PNGO",
                "other_names": ["PNGO Network"],
                "kind": "union",
                "country": "ps",
                "city": "رام الله",
                "founded_year": 1993,
                "member_count": 135,
                "member_count_at_least": True,
                "website": "https://www.pngo.net",
                "focus_areas": ["civil society", "human-rights"],
                "is_published": True,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        organization = Organization.objects.get(pk=body["id"])
        self.assertEqual(organization.acronym, "PNGO")
        self.assertEqual(body["country"], "PS")
        self.assertEqual(body["focus_areas"], ["civil society", "human-rights"])
        self.assertTrue(body["external_id"])
        self.assertTrue(organization.is_published)
        entry = history_for(organization).get()
        self.assertEqual((entry.action, entry.actor), (Action.CREATE, self.cast.amal))
        self.assertEqual(entry.changes["acronym"], [None, "PNGO"])
        self.assertEqual(entry.changes["is_published"], [None, True])
        self.assertEqual(
            self.call("anonymous", "get", f"/organizations/{organization.pk}").status_code, 200
        )

    def test_it_refuses_writes_from_those_who_may_not_write(self) -> None:
        for who in ("anonymous", "dina", "badr", "carim"):
            with self.subTest(who=who):
                self.assertRefusedWithoutWriting(
                    who, "post", "/organizations", {"name_en": "Not allowed"}, 403
                )
        for who in ("anonymous", "dina", "carim"):
            with self.subTest(who=who):
                self.assertRefusedWithoutWriting(
                    who, "patch", f"/organizations/{self.cast.gucc.pk}", {"city": "Rafah"}, 403
                )
        for who in ("anonymous", "dina", "badr", "carim"):
            with self.subTest(who=who):
                self.assertRefusedWithoutWriting(
                    who, "delete", f"/organizations/{self.cast.gucc.pk}", None, 403
                )
                self.assertRefusedWithoutWriting(
                    who, "delete", f"/organizations/{self.cast.hidden.pk}", None, 404
                )

    def test_it_rejects_unknown_fields_by_name(self) -> None:
        response = self.assertRefusedWithoutWriting(
            "amal", "post", "/organizations", {"name_en": "X", "colour": "red"}, 422, "colour"
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "colour"])
        self.assertRefusedWithoutWriting(
            "amal", "patch", f"/organizations/{self.cast.gucc.pk}", {"sort_ar": "a"}, 422, "sort_ar"
        )
        self.assertRefusedWithoutWriting(
            "amal", "patch", f"/organizations/{self.cast.gucc.pk}", {"id": 5}, 422, "id"
        )

    def test_it_rejects_bad_values_field_by_field_and_writes_nothing(self) -> None:
        next_year = timezone.now().year + 1
        cases: list[tuple[dict[str, Any], str]] = [
            ({"name_en": "X", "country": "XX"}, "country"),
            ({"name_en": "X", "country": "EGY"}, "country"),
            ({"name_en": "X", "founded_year": next_year}, "founded_year"),
            ({"name_en": "X", "founded_year": 1700}, "founded_year"),
            ({"name_en": "X", "founded_year": "nineteen"}, "founded_year"),
            ({"name_en": "X", "founded_year": 10**30}, "founded_year"),
            ({"name_ar": "", "name_en": ""}, "name_ar"),
            ({"name_ar": "   ", "name_en": " "}, "name_ar"),
            ({}, "name_ar"),
            ({"name_en": "X", "kind": "banana"}, "kind"),
            ({"name_en": "X", "member_count": -1}, "member_count"),
            ({"name_en": "X", "partner_count": 10**12}, "partner_count"),
            ({"name_en": "X", "website": "not a web address"}, "website"),
            ({"name_en": "X", "website": "javascript:alert(1)"}, "website"),
            ({"name_en": "a\x00b"}, "name_en"),
            ({"name_en": "X" * 301}, "name_en"),
            ({"name_en": "X", "other_names": "not a list"}, "other_names"),
            ({"name_en": "X", "focus_areas": ["x" * 101]}, "focus_areas"),
            ({"name_en": "X", "external_id": "cast-maat"}, "external_id"),
            ({"name_en": "X", "is_published": "perhaps"}, "is_published"),
        ]
        for data, field in cases:
            with self.subTest(data=data):
                self.assertRefusedWithoutWriting("amal", "post", "/organizations", data, 422, field)
        gucc = f"/organizations/{self.cast.gucc.pk}"
        patches: list[tuple[dict[str, Any], str]] = [
            ({"country": "XX"}, "country"),
            ({"founded_year": next_year}, "founded_year"),
            ({"name_ar": "", "name_en": ""}, "name_ar"),
            ({"external_id": "cast-maat"}, "external_id"),
        ]
        for data, field in patches:
            with self.subTest(patch=data):
                self.assertRefusedWithoutWriting("amal", "patch", gucc, data, 422, field)
        self.cast.gucc.refresh_from_db()
        self.assertEqual((self.cast.gucc.country, self.cast.gucc.founded_year), ("PS", 1997))

    def test_it_rejects_a_body_that_is_not_a_json_object(self) -> None:
        client = self.api("amal")
        before = rows()
        for body in ("{", "[1, 2]", "null", '"text"', ""):
            with self.subTest(body=body):
                response = client.post(
                    f"{API}/organizations", data=body, content_type="application/json"
                )
                self.assertIn(response.status_code, {400, 422}, response.content)
                self.assertIn("detail", response.json())
        self.assertEqual(rows(), before)

    def test_it_answers_a_body_too_large_with_413_in_json(self) -> None:
        client = self.api("amal")
        before = rows()
        response = client.post(
            f"{API}/organizations",
            data={"name_en": "X", "description_en": "y" * 3_000_000},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json(), {"detail": "The request body is too large."})
        self.assertEqual(rows(), before)

    def test_it_lets_badr_edit_his_own_organization_only(self) -> None:
        response = self.call(
            "badr",
            "patch",
            f"/organizations/{self.cast.gucc.pk}",
            {"city": "خان يونس", "member_count": 56, "focus_areas": ["culture"]},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["city"], "خان يونس")
        self.assertEqual(response.json()["focus_areas"], ["culture"])
        entry = history_for(self.cast.gucc)[0]
        self.assertEqual((entry.action, entry.actor), (Action.UPDATE, self.cast.badr))
        self.assertEqual(entry.changes["city"], ["غزة", "خان يونس"])
        self.assertEqual(entry.changes["member_count"], [55, 56])
        self.assertEqual(entry.changes["focus_areas"], [[], ["culture"]])

        self.assertRefusedWithoutWriting(
            "badr", "patch", f"/organizations/{self.cast.maat.pk}", {"city": "Cairo"}, 403
        )
        self.assertRefusedWithoutWriting(
            "badr", "patch", f"/organizations/{self.cast.hidden.pk}", {"city": "Amman"}, 404
        )
        self.assertRefusedWithoutWriting(
            "carim", "patch", f"/organizations/{self.cast.gucc.pk}", {"city": "Cairo"}, 403
        )

    def test_it_does_not_let_badr_publish_or_set_identifiers(self) -> None:
        gucc = f"/organizations/{self.cast.gucc.pk}"
        self.assertRefusedWithoutWriting("badr", "patch", gucc, {"is_published": False}, 403)
        self.assertRefusedWithoutWriting(
            "badr", "patch", gucc, {"is_published": False, "city": "Rafah"}, 403
        )
        self.assertRefusedWithoutWriting("badr", "patch", gucc, {"external_id": "mine"}, 403)
        self.cast.gucc.refresh_from_db()
        self.assertTrue(self.cast.gucc.is_published)
        self.assertEqual(self.cast.gucc.city, "غزة")
        # Sending the value it already has is not publishing, alone or with other fields.
        self.assertEqual(self.call("badr", "patch", gucc, {"is_published": True}).status_code, 200)
        response = self.call("badr", "patch", gucc, {"is_published": True, "city": "رفح"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["city"], "رفح")
        self.assertEqual(
            self.call(
                "badr",
                "patch",
                f"/people/{self.cast.yousri.pk}",
                {"is_published": True, "honorific_en": "Mr"},
            ).status_code,
            200,
        )

    def test_it_lets_amal_publish_and_unpublish_with_history(self) -> None:
        hidden = f"/organizations/{self.cast.hidden.pk}"
        response = self.call("amal", "patch", hidden, {"is_published": True})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["is_published"])
        entry = history_for(self.cast.hidden)[0]
        self.assertEqual((entry.action, entry.actor), (Action.PUBLISH, self.cast.amal))
        self.assertEqual(self.call("anonymous", "get", hidden).status_code, 200)
        self.call("amal", "patch", hidden, {"is_published": False})
        self.assertEqual(history_for(self.cast.hidden)[0].action, Action.UNPUBLISH)
        self.assertEqual(self.call("anonymous", "get", hidden).status_code, 404)

    def test_it_treats_null_as_leave_alone_except_for_counts_and_year(self) -> None:
        gucc = f"/organizations/{self.cast.gucc.pk}"
        body = self.call("amal", "patch", gucc, {"name_en": None, "founded_year": None}).json()
        self.assertEqual(body["name_en"], "General Union of Cultural Centers")
        self.assertIsNone(body["founded_year"])
        entry = history_for(self.cast.gucc)[0]
        self.assertEqual(entry.changes, {"founded_year": [1997, None]})

    def test_it_records_nothing_for_a_patch_that_changes_nothing(self) -> None:
        before = history_for(self.cast.gucc).count()
        response = self.call(
            "amal", "patch", f"/organizations/{self.cast.gucc.pk}", {"city": "غزة"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(history_for(self.cast.gucc).count(), before)

    def test_it_lets_amal_delete_and_keeps_the_history(self) -> None:
        pk = self.cast.maat.pk
        response = self.call("amal", "delete", f"/organizations/{pk}")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.content, b"")
        self.assertFalse(Organization.objects.filter(pk=pk).exists())
        entry = last_change(Organization, pk)
        self.assertEqual((entry.action, entry.actor), (Action.DELETE, self.cast.amal))
        self.assertEqual(self.call("amal", "get", f"/organizations/{pk}").status_code, 404)
        self.assertEqual(self.call("amal", "delete", f"/organizations/{pk}").status_code, 404)


# People ----------------------------------------------------------------------------------


class PeopleTests(ApiTestCase):
    def test_it_lists_and_filters_people(self) -> None:
        body = self.call("anonymous", "get", "/people").json()
        self.assertEqual(
            {item["name_en"] for item in body["items"]}, {"Yousri Darwish", "Ayman Okeil"}
        )
        self.assertEqual(body["count"], 2)
        for query, expected in {
            "q=yousri": {"Yousri Darwish"},
            "q=عقيل": {"Ayman Okeil"},
            f"organization={self.cast.gucc.pk}": {"Yousri Darwish"},
            f"organization={self.cast.maat.pk}&q=yousri": set(),
            "limit=1&offset=1": {"Ayman Okeil", "Yousri Darwish"},
        }.items():
            with self.subTest(query=query):
                body = self.call("anonymous", "get", f"/people?{query}").json()
                names = {item["name_en"] for item in body["items"]}
                if query.startswith("limit"):
                    self.assertEqual((body["count"], len(names)), (2, 1))
                    self.assertLessEqual(names, expected)
                else:
                    self.assertEqual(names, expected)
                    self.assertEqual(body["count"], len(expected))
        response = self.call("anonymous", "get", "/people?organization=0")
        self.assertEqual(response.status_code, 422)

    def test_it_lets_amal_create_edit_and_delete_a_person(self) -> None:
        response = self.call(
            "amal",
            "post",
            "/people",
            {
                "name_ar": "أمينة بوعياش",
                "name_en": "Amina Bouayach",
                "honorific_en": "Ms",
                "other_names": ["Amina Bouayache"],
                "is_published": True,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(last_change(Person, pk).action, Action.CREATE)
        response = self.call("amal", "patch", f"/people/{pk}", {"honorific_ar": "السيدة"})
        self.assertEqual(response.json()["honorific_ar"], "السيدة")
        entry = last_change(Person, pk)
        self.assertEqual(
            (entry.action, entry.changes), (Action.UPDATE, {"honorific_ar": ["", "السيدة"]})
        )
        self.assertEqual(self.call("amal", "delete", f"/people/{pk}").status_code, 204)
        self.assertFalse(Person.objects.filter(pk=pk).exists())
        self.assertEqual(last_change(Person, pk).action, Action.DELETE)

    def test_it_lets_badr_edit_the_people_of_his_organization_only(self) -> None:
        yousri, ayman = f"/people/{self.cast.yousri.pk}", f"/people/{self.cast.ayman.pk}"
        response = self.call("badr", "patch", yousri, {"honorific_en": "Mr"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(last_change(Person, self.cast.yousri.pk).actor, self.cast.badr)
        self.assertRefusedWithoutWriting("badr", "patch", ayman, {"honorific_en": "Mr"}, 403)
        self.assertRefusedWithoutWriting("carim", "patch", yousri, {"honorific_en": "Mr"}, 403)
        self.assertRefusedWithoutWriting("dina", "patch", yousri, {"honorific_en": "Mr"}, 403)
        self.assertRefusedWithoutWriting("badr", "patch", yousri, {"is_published": False}, 403)
        self.assertRefusedWithoutWriting("badr", "delete", yousri, None, 403)

    def test_it_lets_badr_add_a_person_but_not_publish_one(self) -> None:
        response = self.call("badr", "post", "/people", {"name_en": "New Staff Member"})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertFalse(body["is_published"])
        self.assertEqual(last_change(Person, body["id"]).actor, self.cast.badr)
        # badr sees the person he made; others do not until it is published.
        self.assertEqual(self.call("badr", "get", f"/people/{body['id']}").status_code, 200)
        self.assertEqual(self.call("carim", "get", f"/people/{body['id']}").status_code, 404)
        self.assertRefusedWithoutWriting(
            "badr", "post", "/people", {"name_en": "X", "is_published": True}, 403
        )
        self.assertRefusedWithoutWriting(
            "badr", "post", "/people", {"name_en": "X", "external_id": "x-1"}, 403
        )
        for who in ("anonymous", "dina"):
            with self.subTest(who=who):
                self.assertRefusedWithoutWriting(who, "post", "/people", {"name_en": "X"}, 403)

    def test_it_rejects_bad_people_field_by_field(self) -> None:
        for data, field in [
            ({"name_ar": "", "name_en": ""}, "name_ar"),
            ({"name_en": "X", "nickname": "x"}, "nickname"),
            ({"name_en": "X", "honorific_en": "x" * 51}, "honorific_en"),
            ({"name_en": "a\x00"}, "name_en"),
            ({"name_en": "X", "external_id": "x" * 101}, "external_id"),
        ]:
            with self.subTest(data=data):
                self.assertRefusedWithoutWriting("amal", "post", "/people", data, 422, field)
        self.assertRefusedWithoutWriting(
            "amal",
            "patch",
            f"/people/{self.cast.yousri.pk}",
            {"name_ar": " ", "name_en": ""},
            422,
            "name_ar",
        )


# Positions -------------------------------------------------------------------------------


class PositionTests(ApiTestCase):
    def test_it_lists_and_filters_positions(self) -> None:
        body = self.call("anonymous", "get", "/positions").json()
        self.assertEqual(body["count"], 2)
        body = self.call("anonymous", "get", f"/positions?person={self.cast.yousri.pk}").json()
        self.assertEqual([item["organization_id"] for item in body["items"]], [self.cast.gucc.pk])
        body = self.call("anonymous", "get", f"/positions?organization={self.cast.maat.pk}").json()
        self.assertEqual([item["person_id"] for item in body["items"]], [self.cast.ayman.pk])
        body = self.call("anonymous", "get", "/positions?limit=1&offset=1").json()
        self.assertEqual((body["count"], len(body["items"])), (2, 1))

    def test_it_hides_positions_in_unpublished_organizations(self) -> None:
        position = services.position_create(
            actor=self.cast.amal,
            person=self.cast.ayman,
            organization=self.cast.hidden,
            data={"title_en": "Adviser"},
        )
        self.assertEqual(self.call("anonymous", "get", "/positions").json()["count"], 2)
        self.assertEqual(self.call("amal", "get", "/positions").json()["count"], 3)
        self.assertEqual(self.call("badr", "get", f"/positions/{position.pk}").status_code, 404)
        self.assertEqual(self.call("amal", "get", f"/positions/{position.pk}").status_code, 200)

    def test_it_lets_badr_record_posts_in_his_organization(self) -> None:
        response = self.call(
            "badr",
            "post",
            "/positions",
            {
                "person_id": self.cast.yousri.pk,
                "organization_id": self.cast.gucc.pk,
                "title_en": "Founder",
                "start_date": "1997-01-01",
                "end_date": "2001-12-31",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["start_date"], body["end_date"]), ("1997-01-01", "2001-12-31"))
        for model, pk in ((Person, self.cast.yousri.pk), (Organization, self.cast.gucc.pk)):
            entry = last_change(model, pk)
            self.assertEqual((entry.action, entry.actor), (Action.LINK, self.cast.badr))

        path = f"/positions/{body['id']}"
        response = self.call("badr", "patch", path, {"title_ar": "مؤسس", "end_date": None})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIsNone(response.json()["end_date"])
        self.assertEqual(last_change(Person, self.cast.yousri.pk).action, Action.UPDATE)
        self.assertEqual(self.call("badr", "delete", path).status_code, 204)
        self.assertEqual(last_change(Organization, self.cast.gucc.pk).action, Action.UNLINK)

    def test_it_refuses_posts_outside_badrs_organization(self) -> None:
        maat_post = Position.objects.get(organization=self.cast.maat)
        self.assertRefusedWithoutWriting(
            "badr",
            "post",
            "/positions",
            {
                "person_id": self.cast.yousri.pk,
                "organization_id": self.cast.maat.pk,
                "title_en": "Member",
            },
            403,
        )
        self.assertRefusedWithoutWriting(
            "badr",
            "post",
            "/positions",
            {
                "person_id": self.cast.yousri.pk,
                "organization_id": self.cast.hidden.pk,
                "title_en": "Member",
            },
            404,
        )
        self.assertRefusedWithoutWriting(
            "badr", "patch", f"/positions/{maat_post.pk}", {"title_en": "Ex-president"}, 403
        )
        self.assertRefusedWithoutWriting("badr", "delete", f"/positions/{maat_post.pk}", None, 403)
        self.assertRefusedWithoutWriting("dina", "delete", f"/positions/{maat_post.pk}", None, 403)

    def test_it_rejects_bad_positions_field_by_field(self) -> None:
        base = {
            "person_id": self.cast.yousri.pk,
            "organization_id": self.cast.gucc.pk,
            "title_en": "Treasurer",
        }
        for data, field in [
            ({**base, "start_date": "2020-05-01", "end_date": "2020-04-30"}, "end_date"),
            ({**base, "title_en": ""}, "title_ar"),
            ({**base, "start_date": "2020-02-30"}, "start_date"),
            ({**base, "start_date": "yesterday"}, "start_date"),
            ({**base, "salary": 10}, "salary"),
            ({key: value for key, value in base.items() if key != "person_id"}, "person_id"),
            ({**base, "person_id": 0}, "person_id"),
            ({**base, "person_id": 2**70}, "person_id"),
        ]:
            with self.subTest(data=data):
                self.assertRefusedWithoutWriting("amal", "post", "/positions", data, 422, field)
        self.assertRefusedWithoutWriting(
            "amal", "post", "/positions", {**base, "person_id": 999999}, 404
        )
        post = Position.objects.get(organization=self.cast.gucc)
        self.assertRefusedWithoutWriting(
            "amal",
            "patch",
            f"/positions/{post.pk}",
            {"start_date": "2020-05-01", "end_date": "2019-01-01"},
            422,
            "end_date",
        )
        self.assertRefusedWithoutWriting(
            "amal",
            "patch",
            f"/positions/{post.pk}",
            {"person_id": self.cast.ayman.pk},
            422,
            "person_id",
        )


# Union memberships -----------------------------------------------------------------------


class UnionMembershipTests(ApiTestCase):
    def join(self, who: str, union: Organization, member: Organization, **dates: str) -> Any:
        return self.call(
            who,
            "post",
            "/union-memberships",
            {"union_id": union.pk, "member_id": member.pk, **dates},
        )

    def test_it_lets_amal_record_and_change_a_membership(self) -> None:
        response = self.join("amal", self.cast.gucc, self.cast.maat, start_date="2010-03-01")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["union_id"], body["member_id"]), (self.cast.gucc.pk, self.cast.maat.pk)
        )
        for organization in (self.cast.gucc, self.cast.maat):
            entry = history_for(organization)[0]
            self.assertEqual((entry.action, entry.actor), (Action.LINK, self.cast.amal))

        path = f"/union-memberships/{body['id']}"
        response = self.call("amal", "patch", path, {"end_date": "2020-12-31"})
        self.assertEqual(response.json()["end_date"], "2020-12-31")
        self.assertEqual(history_for(self.cast.maat)[0].changes["end_date"], [None, "2020-12-31"])
        self.assertEqual(self.call("amal", "delete", path).status_code, 204)
        self.assertEqual(history_for(self.cast.gucc)[0].action, Action.UNLINK)

    def test_it_lists_and_filters_memberships(self) -> None:
        self.join("amal", self.cast.gucc, self.cast.maat)
        self.join("amal", self.cast.gucc, self.cast.hidden)
        self.assertEqual(self.call("amal", "get", "/union-memberships").json()["count"], 2)
        # A membership of an unpublished organization is as unpublished as the organization.
        self.assertEqual(self.call("anonymous", "get", "/union-memberships").json()["count"], 1)
        body = self.call("amal", "get", f"/union-memberships?member={self.cast.maat.pk}").json()
        self.assertEqual([item["union_id"] for item in body["items"]], [self.cast.gucc.pk])
        body = self.call("amal", "get", f"/union-memberships?union={self.cast.maat.pk}").json()
        self.assertEqual(body["count"], 0)
        body = self.call(
            "amal", "get", f"/union-memberships?union={self.cast.gucc.pk}&limit=1"
        ).json()
        self.assertEqual((body["count"], len(body["items"])), (2, 1))

    def test_it_refuses_a_cycle_and_self_membership(self) -> None:
        self.assertEqual(self.join("amal", self.cast.gucc, self.cast.maat).status_code, 201)
        self.assertEqual(self.join("amal", self.cast.maat, self.cast.hidden).status_code, 201)
        before = rows()
        for union, member in [
            (self.cast.maat, self.cast.gucc),  # gucc ∋ maat ∋ gucc
            (self.cast.hidden, self.cast.gucc),  # gucc ∋ maat ∋ hidden ∋ gucc
            (self.cast.gucc, self.cast.gucc),  # itself
            (self.cast.gucc, self.cast.maat),  # already recorded
        ]:
            with self.subTest(union=union.name_en, member=member.name_en):
                self.assertInvalid(self.join("amal", union, member), "member")
        self.assertEqual(rows(), before)

    def test_it_rejects_reversed_dates_and_unknown_fields(self) -> None:
        self.client_as("amal")
        before = rows()
        self.assertInvalid(
            self.join(
                "amal",
                self.cast.gucc,
                self.cast.maat,
                start_date="2020-01-01",
                end_date="2019-01-01",
            ),
            "end_date",
        )
        self.assertInvalid(self.join("amal", self.cast.gucc, self.cast.maat, role="x"), "role")
        self.assertEqual(rows(), before)
        membership = self.join(
            "amal", self.cast.gucc, self.cast.maat, start_date="2020-01-01"
        ).json()
        self.assertRefusedWithoutWriting(
            "amal",
            "patch",
            f"/union-memberships/{membership['id']}",
            {"end_date": "2019-12-31"},
            422,
            "end_date",
        )
        self.assertRefusedWithoutWriting(
            "amal",
            "patch",
            f"/union-memberships/{membership['id']}",
            {"member_id": self.cast.hidden.pk},
            422,
            "member_id",
        )

    def test_it_leaves_memberships_to_the_secretariat(self) -> None:
        membership = self.join("amal", self.cast.gucc, self.cast.maat).json()
        path = f"/union-memberships/{membership['id']}"
        for who in ("badr", "carim", "dina", "anonymous"):
            with self.subTest(who=who):
                self.assertRefusedWithoutWriting(
                    who,
                    "post",
                    "/union-memberships",
                    {"union_id": self.cast.maat.pk, "member_id": self.cast.gucc.pk},
                    403,
                )
                self.assertRefusedWithoutWriting(
                    who, "patch", path, {"end_date": "2030-01-01"}, 403
                )
                self.assertRefusedWithoutWriting(who, "delete", path, None, 403)
        self.assertRefusedWithoutWriting(
            "amal",
            "post",
            "/union-memberships",
            {"union_id": self.cast.gucc.pk, "member_id": 999999},
            404,
        )


# Authentication --------------------------------------------------------------------------


class TokenTests(ApiTestCase):
    def bearer(self, key: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {key}"})

    def test_it_accepts_a_token_made_with_the_command_line(self) -> None:
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            self.assertEqual(cli.main(["token", "create", "amal", "--name", "tests"]), 0)
        key = out.getvalue().strip()
        response = self.bearer(key).get(f"{API}/organizations/{self.cast.hidden.pk}")
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(ApiToken.objects.get(name="tests").last_used_at)

    def test_it_refuses_a_wrong_token_with_401(self) -> None:
        key = self.token_for("amal")
        for header in (
            "Bearer thl_wrong",
            f"Bearer {key}x",
            f"Bearer {key[:-1]}",
            "Bearer ",
            "Bearer " + "x" * 5000,
            f"Token {key}",
            f"Basic {key}",
        ):
            with self.subTest(header=header[:40]):
                client = Client(headers={"Authorization": header})
                for method, path in (("get", "/organizations"), ("post", "/organizations")):
                    response = getattr(client, method)(
                        f"{API}{path}", data={"name_en": "X"}, content_type="application/json"
                    )
                    self.assertEqual(response.status_code, 401, response.content)
                    self.assertIn("detail", response.json())
        self.assertFalse(Organization.objects.filter(name_en="X").exists())

    def test_it_refuses_a_revoked_token(self) -> None:
        token, key = token_create(actor=None, user=self.cast.amal)
        self.assertEqual(self.bearer(key).get(f"{API}/organizations").status_code, 200)
        token_revoke(actor=None, token=token)
        self.assertEqual(self.bearer(key).get(f"{API}/organizations").status_code, 401)

    def test_it_refuses_the_token_of_a_deactivated_user(self) -> None:
        key = self.token_for("badr")
        user_deactivate(actor=self.cast.amal, user=self.cast.badr)
        response = self.bearer(key).patch(
            f"{API}/organizations/{self.cast.gucc.pk}",
            data={"city": "Rafah"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 401)

    def test_it_refuses_a_live_token_whose_user_is_inactive(self) -> None:
        key = self.token_for("amal")
        type(self.cast.amal).objects.filter(pk=self.cast.amal.pk).update(is_active=False)
        self.assertEqual(self.bearer(key).get(f"{API}/organizations").status_code, 401)


class SessionTests(ApiTestCase):
    def session(self, who: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(getattr(self.cast, who))
        return client

    def test_it_lets_the_browser_read_with_its_session(self) -> None:
        response = self.session("amal").get(f"{API}/organizations/{self.cast.hidden.pk}")
        self.assertEqual(response.status_code, 200)
        response = self.session("badr").get(f"{API}/organizations/{self.cast.hidden.pk}")
        self.assertEqual(response.status_code, 404)

    def test_it_refuses_session_writes_without_the_csrf_token(self) -> None:
        client = self.session("amal")
        before = rows()
        for method, path, data in (
            ("post", "/organizations", {"name_en": "Forged"}),
            ("patch", f"/organizations/{self.cast.gucc.pk}", {"city": "Forged"}),
            ("delete", f"/organizations/{self.cast.gucc.pk}", None),
            (
                "post",
                "/union-memberships",
                {"union_id": self.cast.gucc.pk, "member_id": self.cast.maat.pk},
            ),
        ):
            with self.subTest(method=method, path=path):
                response = getattr(client, method)(
                    f"{API}{path}", data=data, content_type="application/json"
                )
                self.assertEqual(response.status_code, 403, response.content)
        self.assertEqual(rows(), before)

    def test_it_accepts_session_writes_with_the_csrf_token(self) -> None:
        client = self.session("amal")
        secret = get_random_string(32)
        client.cookies["csrftoken"] = secret
        response = client.post(
            f"{API}/organizations",
            data={"name_en": "With CSRF"},
            content_type="application/json",
            headers={"X-CSRFToken": secret},
        )
        self.assertEqual(response.status_code, 201, response.content)
        organization = Organization.objects.get(name_en="With CSRF")
        self.assertEqual(history_for(organization).get().actor, self.cast.amal)

    def test_it_applies_the_same_permissions_to_sessions(self) -> None:
        client = self.session("badr")
        secret = get_random_string(32)
        client.cookies["csrftoken"] = secret
        headers = {"X-CSRFToken": secret}
        for path, status in (
            (f"/organizations/{self.cast.gucc.pk}", 200),
            (f"/organizations/{self.cast.maat.pk}", 403),
            (f"/organizations/{self.cast.hidden.pk}", 404),
        ):
            with self.subTest(path=path):
                response = client.patch(
                    f"{API}{path}",
                    data={"acronym": "X"},
                    content_type="application/json",
                    headers=headers,
                )
                self.assertEqual(response.status_code, status, response.content)


class ScaleTests(ApiTestCase):
    def test_it_caps_the_page_size(self) -> None:
        with self.settings(TAHALUF_API_MAX_LIMIT=1):
            body = self.call("anonymous", "get", "/organizations?limit=50").json()
        self.assertEqual((body["limit"], len(body["items"]), body["count"]), (1, 1, 2))

    def test_it_keeps_dates_and_years_in_range(self) -> None:
        for data, field in [
            ({"name_en": "X", "founded_year": 9999}, "founded_year"),
            ({"name_en": "X", "founded_year": -5}, "founded_year"),
        ]:
            with self.subTest(data=data):
                self.assertRefusedWithoutWriting("amal", "post", "/organizations", data, 422, field)
        base = {
            "person_id": self.cast.yousri.pk,
            "organization_id": self.cast.gucc.pk,
            "title_en": "Treasurer",
        }
        response = self.call(
            "amal",
            "post",
            "/positions",
            {**base, "start_date": "0001-01-01", "end_date": "9999-12-31"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["end_date"], datetime.date.max.isoformat())
