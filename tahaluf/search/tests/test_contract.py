"""One contract, two backends: the embedded tantivy index always, PostgreSQL when the tests
run on PostgreSQL. Every test here runs against each."""

from __future__ import annotations

import unittest
from typing import TYPE_CHECKING

from django.db import connection
from django.test import override_settings

from tahaluf.organizations import services as organizations
from tahaluf.search import services
from tahaluf.search.models import PendingChange
from tahaluf.test import BaseTestCase

# The contract is a mixin, not a test case of its own (it would run with no backend); the
# type checker reads it as the BaseTestCase it is mixed into.
if TYPE_CHECKING:
    _Mixin = BaseTestCase
else:
    _Mixin = object


class ContractTests(_Mixin):
    backend_name = ""

    def setUp(self) -> None:
        super().setUp()
        self.override = override_settings(TAHALUF_SEARCH_BACKEND=self.backend_name)
        self.override.enable()
        services.reset_backend()
        cast = self.cast
        amal = cast.amal
        make = organizations.organization_create
        self.hebron = make(
            actor=amal,
            is_published=True,
            data={
                "name_ar": "بلدية الخليل",
                "name_en": "Hebron Municipality",
                "kind": "local_authority",
                "country": "PS",
                "city": "الخليل",
            },
        )
        self.nablus = make(
            actor=amal,
            is_published=True,
            data={
                "name_ar": "بلدية نابلس",
                "name_en": "Nablus Municipality",
                "kind": "local_authority",
                "country": "PS",
                "city": "نابلس",
            },
        )
        self.responsibility = make(
            actor=amal,
            is_published=True,
            data={
                "name_ar": "مركز المسؤولية المجتمعية",
                "kind": "ngo",
                "country": "JO",
                "city": "الأردن",
            },
        )
        self.un = make(
            actor=amal,
            is_published=True,
            data={
                "name_ar": "الأمم المتحدة",
                "name_en": "United Nations",
                "acronym": "UN",
                "kind": "international",
            },
        )
        self.protocol = make(
            actor=amal,
            is_published=True,
            data={"name_ar": "شبكة البروتوكول الثقافي", "kind": "ngo", "country": "PS"},
        )
        self.quran = make(
            actor=amal,
            is_published=True,
            data={"name_ar": "جمعية القرآن الكريم", "kind": "ngo", "country": "PS"},
        )
        self.qr = make(
            actor=amal,
            is_published=True,
            data={"name_ar": "جمعية قر للتنمية", "kind": "ngo", "country": "PS"},
        )

    def tearDown(self) -> None:  # type: ignore[misc]
        self.override.disable()
        services.reset_backend()
        super().tearDown()  # type: ignore[misc]

    def keys(self, text: str, user: object = None, **options: object) -> list[str]:
        results = services.search(user=user, text=text, **options)  # type: ignore[arg-type]
        return [hit.key for hit in results.hits]

    def first(self, text: str, user: object = None) -> str:
        found = self.keys(text, user)
        return found[0] if found else ""

    def key(self, record: object) -> str:
        kind = "person" if record.__class__.__name__ == "Person" else "organization"
        return f"{kind}:{record.pk}"  # type: ignore[attr-defined]

    # Spelling -----------------------------------------------------------------------------

    def test_it_finds_a_name_whatever_the_hamza(self) -> None:
        for query in ("المسئولية", "المسؤولية", "المسولية"):
            self.assertEqual(self.first(query), self.key(self.responsibility), query)

    def test_it_finds_through_diacritics_tatweel_and_taa_marbuta(self) -> None:
        for query in ("بَلَدِيَّةُ الخَلِيلِ", "بلـــدية الخليل", "بلديه الخليل"):
            self.assertEqual(self.first(query), self.key(self.hebron), query)

    def test_it_finds_through_attached_prefixes(self) -> None:
        self.assertEqual(self.first("وللأمم المتحدة"), self.key(self.un))
        self.assertEqual(self.first("والبروتوكول"), self.key(self.protocol))

    def test_it_splits_glued_words(self) -> None:
        self.assertEqual(self.first("الأممالمتحدة"), self.key(self.un))

    def test_it_forgives_one_dropped_letter(self) -> None:
        self.assertEqual(self.first("البروتكول"), self.key(self.protocol))

    def test_it_finds_across_scripts(self) -> None:
        cast = self.cast
        self.assertEqual(self.first("Maat"), self.key(cast.maat))
        self.assertIn(self.key(cast.ayman), self.keys("Okeil"))
        self.assertIn(self.key(self.un), self.keys("UN"))

    def test_it_ranks_the_whole_name_first(self) -> None:
        cast = self.cast
        self.assertEqual(self.first("الاتحاد العام للمراكز الثقافية"), self.key(cast.gucc))
        self.assertEqual(self.first("Hebron Municipality"), self.key(self.hebron))

    def test_it_does_not_merge_unrelated_words(self) -> None:
        self.assertEqual(self.first("بلدية الخليل"), self.key(self.hebron))
        self.assertEqual(self.first("بلدية نابلس"), self.key(self.nablus))
        self.assertNotIn(self.key(self.qr), self.keys("القرآن"))
        self.assertEqual(self.first("القرآن"), self.key(self.quran))

    # Results ------------------------------------------------------------------------------

    def test_it_counts_per_type_and_filters_by_type(self) -> None:
        results = services.search(user=None, text="درويش الاتحاد")
        self.assertEqual(results.counts.get("person"), 1)
        self.assertGreaterEqual(results.counts.get("organization", 0), 1)
        only_people = services.search(user=None, text="درويش الاتحاد", types=["person"])
        self.assertEqual({hit.type for hit in only_people.hits}, {"person"})
        # Counted for one type at a time, the counts are the same.
        for text in ("درويش الاتحاد", "الاتحاد", "درويش", "Maat"):
            counts = services.search(user=None, text=text).counts
            for name in ("organization", "person"):
                alone = services.search(user=None, text=text, types=[name]).counts
                self.assertEqual(alone.get(name), counts.get(name), (text, name))

    def test_it_highlights_the_matched_words(self) -> None:
        hit = services.search(user=None, text="الخليل").hits[0]
        self.assertIn("<mark>الخليل</mark>", hit.highlight)

    # Permissions --------------------------------------------------------------------------

    def test_it_finds_nothing_one_may_not_see(self) -> None:
        cast = self.cast
        hidden = self.key(cast.hidden)
        for user in (None, cast.dina, cast.badr, cast.carim):
            self.assertNotIn(hidden, self.keys("منظمة غير منشورة", user))
        self.assertIn(hidden, self.keys("منظمة غير منشورة", cast.amal))

    def test_it_lets_an_editor_find_his_own_unpublished_organization(self) -> None:
        cast = self.cast
        organizations.record_set_published(actor=cast.amal, record=cast.gucc, published=False)
        self.assertIn(self.key(cast.gucc), self.keys("الاتحاد العام للمراكز", cast.badr))
        self.assertNotIn(self.key(cast.gucc), self.keys("الاتحاد العام للمراكز", cast.carim))
        self.assertNotIn(self.key(cast.gucc), self.keys("الاتحاد العام للمراكز"))

    # Following changes --------------------------------------------------------------------

    def test_it_follows_create_edit_unpublish_and_delete_at_once(self) -> None:
        cast = self.cast
        made = organizations.organization_create(
            actor=cast.amal,
            is_published=True,
            data={"name_ar": "جمعية الزيتون الخضراء", "kind": "ngo"},
        )
        self.assertEqual(self.first("الزيتون"), self.key(made))
        organizations.organization_update(
            actor=cast.amal, organization=made, data={"name_ar": "جمعية النخيل الخضراء"}
        )
        self.assertEqual(self.keys("الزيتون"), [])
        self.assertEqual(self.first("النخيل"), self.key(made))
        organizations.record_set_published(actor=cast.amal, record=made, published=False)
        self.assertEqual(self.keys("النخيل"), [])
        self.assertEqual(self.first("النخيل", cast.amal), self.key(made))
        organizations.record_delete(actor=cast.amal, record=made)
        self.assertEqual(self.keys("النخيل", cast.amal), [])

    def test_it_applies_changes_left_pending_by_a_crash(self) -> None:
        from tahaluf.organizations.models import Organization

        # A crash after the commit and before the index update leaves the change pending.
        Organization.objects.filter(pk=self.nablus.pk).update(name_ar="بلدية جنين")
        PendingChange.objects.create(type="organization", object_id=self.nablus.pk)
        self.assertEqual(self.first("جنين"), self.key(self.nablus))
        self.assertFalse(PendingChange.objects.exists())

    def test_it_checks_and_rebuilds_the_index(self) -> None:
        services.apply_pending()
        self.assertTrue(services.check().ok)
        services.backend().apply([], [self.key(self.hebron)])  # the index loses a record
        report = services.check()
        self.assertEqual(report.missing, [self.key(self.hebron)])
        self.assertGreater(services.rebuild(), 10)
        self.assertTrue(services.check().ok)
        self.assertEqual(self.first("الخليل"), self.key(self.hebron))


class EmbeddedBackendTests(ContractTests, BaseTestCase):
    backend_name = "embedded"


@unittest.skipUnless(connection.vendor == "postgresql", "the PostgreSQL test run covers it")
class PostgresBackendTests(ContractTests, BaseTestCase):
    backend_name = "postgres"
