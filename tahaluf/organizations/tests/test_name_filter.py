"""The directory's name contains-filter (name_filter.py): the trigram table and the cap make
it fast, and must never change what it finds."""

from __future__ import annotations

from unittest import mock, skipUnless

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tahaluf.accounts import permissions
from tahaluf.organizations import name_filter, services
from tahaluf.organizations.models import Organization
from tahaluf.search import services as search_services
from tahaluf.test import BaseTestCase, make_cast

NAMES = [
    ("جمعية الشباب الفلسطينية للتنمية - غزة", "Palestinian Youth Association – Gaza", "PYA"),
    ("مركز شؤون المرأة", "Women's Affairs Center", "WAC"),
    ("بلدية نابلس", "Nablus Municipality", ""),
    ("مؤسسة التراث الشعبي", "Popular Heritage Foundation", "PHF"),
    ("اتحاد الشباب العربي", "", ""),
    ("", 'The "100%" Club_of Peace', "C100"),
    ("جمعية آل عقيل الخيرية", "Okeil Charity", "OKC"),
]
NEEDLES = [
    "الشباب",
    "شباب",
    "youth",
    "YOUTH",
    "نابلس",
    "heritage",
    "pya",
    "wa",
    "ة",
    '"100%"',
    "club_of",
    "100%",
    "zzzz",
    "للتنمية - غزة",
    "women's",
    " ",
    "ال",
]


def public() -> QuerySet[Organization]:
    return permissions.visible_organizations(AnonymousUser(), Organization.objects.all())


def plain(queryset: QuerySet[Organization], text: str) -> list[int]:
    """What the filter is: LIKE on the three names, over every row."""
    needle = text.strip().casefold()
    return sorted(
        queryset.filter(name_filter.contains_condition(needle)).values_list("pk", flat=True)
    )


def filtered(queryset: QuerySet[Organization], text: str) -> list[int]:
    return sorted(name_filter.filter_names(queryset, text).values_list("pk", flat=True))


def used_trigrams(captured: CaptureQueriesContext) -> bool:
    return any(" MATCH " in query["sql"] for query in captured.captured_queries)


class NameFilterTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        for number, (name_ar, name_en, acronym) in enumerate(NAMES):
            services.organization_create(
                actor=self.cast.amal,
                data={
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "acronym": acronym,
                    "kind": "ngo",
                    "external_id": f"nf-{number}",
                },
                is_published=number != 3,  # the heritage foundation stays unpublished
            )
        search_services.apply_pending()  # as before any search, or by the worker

    def test_it_finds_exactly_what_like_finds_on_every_path(self) -> None:
        everyone = Organization.objects.all()
        for exact_from in (0, 2, name_filter.EXACT_FROM_TRIGRAMS):
            with mock.patch.object(name_filter, "EXACT_FROM_TRIGRAMS", exact_from):
                for needle in NEEDLES:
                    for queryset in (public(), everyone):
                        self.assertEqual(
                            filtered(queryset, needle),
                            plain(queryset, needle),
                            f"{needle!r}, candidates from {exact_from}",
                        )

    @skipUnless(connection.vendor == "sqlite", "the trigram table is SQLite's")
    def test_it_uses_the_trigram_table_only_when_it_is_up_to_date(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            self.assertTrue(filtered(public(), "نابلس"))
        self.assertTrue(used_trigrams(captured))
        # A change not yet applied to the table: the filter scans, and finds the new name.
        services.organization_create(
            actor=self.cast.amal,
            data={"name_ar": "بلدية نابلس الجديدة", "kind": "local_authority"},
            is_published=True,
        )
        with CaptureQueriesContext(connection) as captured:
            found = filtered(public(), "نابلس الجديدة")
        self.assertEqual(len(found), 1)
        self.assertFalse(used_trigrams(captured))
        search_services.apply_pending()
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(filtered(public(), "نابلس الجديدة"), found)
        self.assertTrue(used_trigrams(captured))

    @skipUnless(connection.vendor == "sqlite", "the trigram table is SQLite's")
    def test_a_rebuilt_search_index_sets_the_table_aside_until_the_worker_rebuilds_it(self) -> None:
        name_filter.TRIGRAM_FOLLOWER.rebuilt()  # the worker's task runs at once in tests
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(filtered(public(), "youth"), plain(public(), "youth"))
        self.assertTrue(used_trigrams(captured))
        name_filter.mark_incomplete()
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(filtered(public(), "youth"), plain(public(), "youth"))
        self.assertFalse(used_trigrams(captured))
        self.assertEqual(name_filter.rebuild(), Organization.objects.count())
        with CaptureQueriesContext(connection) as captured:
            filtered(public(), "youth")
        self.assertTrue(used_trigrams(captured))

    def test_deleted_and_renamed_organizations_leave_the_table(self) -> None:
        nablus = Organization.objects.get(external_id="nf-2")
        services.organization_update(
            actor=self.cast.amal, organization=nablus, data={"name_ar": "بلدية جنين", "name_en": ""}
        )
        search_services.apply_pending()
        self.assertEqual(filtered(public(), "نابلس"), [])
        self.assertEqual(filtered(public(), "جنين"), [nablus.pk])

    def test_the_directory_says_when_there_are_more_than_it_lists(self) -> None:
        with mock.patch.object(name_filter, "MATCH_CAP", 2):
            response = self.client.get("/organizations/", {"q": "ال"})
            page = response.content.decode()
            self.assertIn("أكثر من 2 منظمة", page, "the capped count")
            self.assertEqual(len(response.context["page"].object_list), 2)
            response = self.client.get("/organizations/", {"q": "نابلس"})
            page = response.content.decode()
            self.assertNotIn("أكثر من", page, "a count under the cap")
            self.assertIn("بلدية نابلس", page, "the one match")

    def test_the_public_never_finds_an_unpublished_name(self) -> None:
        page = self.client.get("/organizations/", {"q": "heritage"}).content.decode()
        self.assertNotIn("Heritage", page, "an unpublished name, anonymously")
        self.client.force_login(self.cast.amal)
        page = self.client.get("/organizations/", {"q": "heritage"}).content.decode()
        self.assertIn("Heritage", page, "an unpublished name, for the secretariat")


class NameFilterPropertyTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cast = make_cast()
        for number, (name_ar, name_en, acronym) in enumerate(NAMES):
            services.organization_create(
                actor=cast.amal,
                data={
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "acronym": acronym,
                    "kind": "ngo",
                    "external_id": f"np-{number}",
                },
                is_published=True,
            )
        search_services.apply_pending()

    @settings(max_examples=150, deadline=None)
    @given(
        st.one_of(
            st.text(alphabet="الشبابنلسyouthYOUTH%_\"' -", min_size=1, max_size=8),
            st.sampled_from([name for row in NAMES for name in row if name]).flatmap(
                lambda name: st.integers(0, len(name)).flatmap(
                    lambda start: st.just(name[start : start + 6])
                )
            ),
        )
    )
    def test_any_text_finds_what_like_finds(self, text: str) -> None:
        if not text.strip():
            return
        self.assertEqual(filtered(public(), text), plain(public(), text))
