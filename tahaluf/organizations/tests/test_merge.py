"""Merging two records of one organization (tahaluf/organizations/merging.py): nothing lost,
nothing left pointing at the deleted record, names kept as other spellings, history moved and
the merge explained; only the secretariat merges."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tahaluf.accounts.models import Role, User
from tahaluf.accounts.services import user_create
from tahaluf.audit.models import Action, Change
from tahaluf.organizations import services
from tahaluf.organizations.merging import organization_merge
from tahaluf.organizations.models import (
    Citation,
    MergeRecord,
    Organization,
    Position,
    Source,
    UnionMembership,
)
from tahaluf.search import services as search_services
from tahaluf.search.duplicates import Reason
from tahaluf.search.models import DuplicateKey, PendingChange
from tahaluf.test import PASSWORD, BaseTestCase


class MergeSetup(BaseTestCase):
    """The cast's GUCC (the survivor) and a second record of it, with everything linked."""

    def setUp(self) -> None:
        cast = self.cast
        amal = cast.amal
        self.survivor = cast.gucc
        self.duplicate = services.organization_create(
            actor=amal,
            data={
                "name_ar": "الاتحاد العام للمراكز للثقافية",
                "name_en": "GUCC of Gaza",
                "other_names": ["اتحاد المراكز الثقافية"],
                "acronym": "GUCC",
                "kind": "union",
                "country": "PS",
                "city": "غزة",
                "website": "https://gucc.example.org",
                "description_en": "Cultural centres.",
                "external_id": "scraped-17",
            },
            focus_areas=services.focus_areas_resolve(["culture", "youth"]),
        )
        dup = self.duplicate
        services.organization_update(actor=amal, organization=dup, data={"founded_year": 1998})
        # A post, a union it belongs to, a member organization, a source.
        self.person = services.person_create(
            actor=amal, data={"name_en": "Salma Haddad"}, is_published=True
        )
        services.position_create(
            actor=amal, person=self.person, organization=dup, data={"title_en": "Treasurer"}
        )
        self.network = services.organization_create(
            actor=amal,
            data={"name_en": "Arab Network of Cultural Unions", "kind": "union"},
            is_published=True,
        )
        services.union_membership_create(actor=amal, union=self.network, member=dup, data={})
        self.member = services.organization_create(
            actor=amal, data={"name_en": "Rafah Cultural Centre", "kind": "ngo"}
        )
        services.union_membership_create(actor=amal, union=dup, member=self.member, data={})
        # Maat is already a member of both: the duplicate's copy goes, the survivor's stays.
        services.union_membership_create(actor=amal, union=dup, member=cast.maat, data={})
        services.union_membership_create(actor=amal, union=self.survivor, member=cast.maat, data={})
        self.source = Source.objects.create(title="Al-Ayyam, 2019")
        services.source_attach(actor=amal, record=dup, source=self.source, field="website")
        services.source_attach(actor=amal, record=dup, source_data={"title": "Annual report"})
        # An editor speaks for the duplicate.
        self.editor = user_create(
            actor=amal, username="hana", password=PASSWORD, role=Role.EDITOR, organization=dup
        )
        search_services.apply_pending()

    def counts(self) -> dict[str, int]:
        return {
            "positions": Position.objects.count(),
            "citations": Citation.objects.count(),
            "changes": Change.objects.count(),
            "editors": User.objects.filter(organization__isnull=False).count(),
        }

    def merge(self, actor: Any = "amal", **options: Any) -> MergeRecord:
        with translation.override("en"):  # notes of what could not move are in English
            return self._merge(actor, **options)

    def _merge(self, actor: Any, **options: Any) -> MergeRecord:
        return organization_merge(
            actor=getattr(self.cast, actor) if isinstance(actor, str) else actor,
            survivor=self.survivor,
            duplicate=self.duplicate,
            **options,
        )


class MergeTests(MergeSetup):
    def test_it_loses_nothing(self) -> None:
        before = self.counts()
        duplicate_history = Change.objects.filter(
            content_type=ContentType.objects.get_for_model(Organization),
            object_id=self.duplicate.pk,
        ).count()
        self.merge()
        after = self.counts()
        self.assertEqual(after["positions"], before["positions"])
        self.assertEqual(after["citations"], before["citations"])
        self.assertEqual(after["editors"], before["editors"])
        # Every entry stays (moved), one is added: the merge itself (and no entry is lost to
        # the union membership Maat had twice: that one is listed in the merge).
        self.assertEqual(after["changes"], before["changes"] + 1)
        survivor = Organization.objects.get(pk=self.survivor.pk)
        self.assertIn(self.person, [position.person for position in survivor.positions.all()])
        self.assertEqual(
            sorted(survivor.focus_areas.values_list("key", flat=True)), ["culture", "youth"]
        )
        self.assertTrue(
            UnionMembership.objects.filter(union=self.network, member=survivor).exists()
        )
        self.assertTrue(UnionMembership.objects.filter(union=survivor, member=self.member).exists())
        self.assertEqual(
            UnionMembership.objects.filter(union=survivor, member=self.cast.maat).count(), 1
        )
        self.assertEqual(
            Change.objects.filter(
                content_type=ContentType.objects.get_for_model(Organization),
                object_id=survivor.pk,
                note__startswith="⇐",
            ).count(),
            duplicate_history,
        )
        self.editor.refresh_from_db()
        self.assertEqual(self.editor.organization, survivor)

    def test_it_leaves_nothing_pointing_at_the_deleted_record(self) -> None:
        gone = self.duplicate.pk
        content_type = ContentType.objects.get_for_model(Organization)
        self.merge()
        search_services.apply_pending()
        self.assertFalse(Organization.objects.filter(pk=gone).exists())
        self.assertFalse(Position.objects.filter(organization_id=gone).exists())
        self.assertFalse(UnionMembership.objects.filter(union_id=gone).exists())
        self.assertFalse(UnionMembership.objects.filter(member_id=gone).exists())
        self.assertFalse(
            Citation.objects.filter(content_type=content_type, object_id=gone).exists()
        )
        self.assertFalse(Change.objects.filter(content_type=content_type, object_id=gone).exists())
        self.assertFalse(User.objects.filter(organization_id=gone).exists())
        self.assertFalse(
            Organization.focus_areas.through.objects.filter(organization_id=gone).exists()
        )
        self.assertFalse(DuplicateKey.objects.filter(organization_id=gone).exists())
        self.assertFalse(PendingChange.objects.exists())
        results = search_services.search(user=self.cast.amal, text="الاتحاد العام للمراكز")
        ids = {hit.object_id for hit in results.hits if hit.type == "organization"}
        self.assertIn(self.survivor.pk, ids)
        self.assertNotIn(gone, ids)

    def test_it_keeps_the_names_as_other_spellings_and_fills_empty_facts(self) -> None:
        self.merge()
        survivor = Organization.objects.get(pk=self.survivor.pk)
        for name in ("الاتحاد العام للمراكز للثقافية", "GUCC of Gaza", "اتحاد المراكز الثقافية"):
            self.assertIn(name, survivor.other_names)
        self.assertEqual(survivor.acronym, "GUCC")  # the survivor had none
        self.assertEqual(survivor.website, "https://gucc.example.org")
        self.assertEqual(survivor.description_en, "Cultural centres.")
        self.assertEqual(survivor.founded_year, 1997)  # the survivor's own facts stay
        search_services.apply_pending()
        results = search_services.search(user=None, text="GUCC of Gaza")
        self.assertEqual(results.hits[0].object_id, survivor.pk)

    def test_it_explains_the_merge_in_the_history(self) -> None:
        reasons = [Reason("same_name")]
        record = self.merge(score=0.97, reasons=reasons)
        self.assertEqual(
            (record.merged_pk, record.merged_external_id), (self.duplicate.pk, "scraped-17")
        )
        self.assertEqual(record.snapshot["fields"]["name_ar"], "الاتحاد العام للمراكز للثقافية")
        self.assertEqual(record.snapshot["fields"]["website"], "https://gucc.example.org")
        self.assertEqual(record.snapshot["counts"]["positions"], 1)
        self.assertEqual(record.snapshot["focus_areas"], ["culture", "youth"])
        self.assertEqual(record.score, 0.97)
        self.assertEqual(record.reasons, [{"code": "same_name", "params": {}}])
        self.assertTrue(
            any("already recorded" in item for item in record.snapshot["dropped_links"])
        )
        entry = Change.objects.filter(action=Action.MERGE).get()
        self.assertEqual(entry.object_id, self.survivor.pk)
        self.assertEqual(entry.changes["duplicate_score"], [None, 0.97])
        self.assertIn("external_id", entry.changes["merged_snapshot"][0])
        self.assertEqual(entry.changes["website"], ["", "https://gucc.example.org"])
        with translation.override("en"):
            labels = [label for label, _before, _after in entry.labelled_changes()]
        self.assertIn("merged record", labels)
        # The survivor's page shows the merge, and its history the moved entries.
        response = self.client_for("amal").get(
            reverse("organizations:detail", args=[self.survivor.pk])
        )
        html = response.content.decode()
        self.assertIn('id="merges"', html)
        self.assertIn("scraped-17", html)
        self.assertIn(f"#{self.duplicate.pk}", html)

    def test_it_works_out_the_score_and_reasons_when_not_given(self) -> None:
        record = self.merge()
        assert record.score is not None
        self.assertGreaterEqual(record.score, 0.6)
        self.assertTrue(record.reason_texts())

    def test_it_refuses_a_union_membership_that_would_go_round_in_a_circle(self) -> None:
        amal = self.cast.amal
        # The survivor belongs to the member organization, which belongs to the duplicate:
        # once they are one, the survivor would be a member of itself through it.
        services.union_membership_create(
            actor=amal, union=self.member, member=self.survivor, data={}
        )
        record = self.merge()
        self.assertFalse(
            UnionMembership.objects.filter(union=self.survivor, member=self.member).exists()
        )
        self.assertTrue(any("circle" in item for item in record.snapshot["dropped_links"]))
        # No cycle anywhere.
        from tahaluf.organizations.services import members_below

        for organization in Organization.objects.all():
            self.assertNotIn(organization.pk, members_below(organization.pk))

    def test_it_drops_the_membership_of_a_record_in_itself(self) -> None:
        services.union_membership_create(
            actor=self.cast.amal, union=self.survivor, member=self.duplicate, data={}
        )
        record = self.merge()
        self.assertFalse(
            UnionMembership.objects.filter(union=self.survivor, member=self.survivor).exists()
        )
        self.assertTrue(record.snapshot["dropped_links"])

    def test_it_keeps_a_source_cited_on_both_once(self) -> None:
        services.source_attach(
            actor=self.cast.amal, record=self.survivor, source=self.source, field="website"
        )
        before = Citation.objects.count()
        self.merge()
        self.assertEqual(Citation.objects.count(), before - 1)
        self.assertEqual(
            Citation.objects.filter(
                source=self.source, field="website", object_id=self.survivor.pk
            ).count(),
            1,
        )

    def test_it_carries_earlier_merges_along(self) -> None:
        earlier = services.organization_create(
            actor=self.cast.amal, data={"name_ar": "اتحاد المراكز الثقافيه", "kind": "union"}
        )
        organization_merge(actor=self.cast.amal, survivor=self.duplicate, duplicate=earlier)
        self.merge()
        self.assertEqual(MergeRecord.objects.filter(survivor=self.survivor).count(), 2)

    def test_it_refuses_a_record_merged_into_itself(self) -> None:
        with self.assertRaises(ValidationError):
            organization_merge(
                actor=self.cast.amal,
                survivor=self.survivor,
                duplicate=Organization.objects.get(pk=self.survivor.pk),
            )

    def test_only_the_secretariat_merges(self) -> None:
        for name in ("badr", "carim", "dina"):
            with self.subTest(user=name), self.assertRaises(PermissionDenied):
                self.merge(actor=name)
        with self.assertRaises(PermissionDenied):
            self.merge(actor=None)
        self.assertTrue(Organization.objects.filter(pk=self.duplicate.pk).exists())


class MergePageTests(MergeSetup):
    def url(
        self, survivor: Organization | None = None, duplicate: Organization | None = None
    ) -> str:
        return reverse(
            "organizations:merge",
            args=[(survivor or self.survivor).pk, (duplicate or self.duplicate).pk],
        )

    def test_it_shows_both_records_and_what_will_move(self) -> None:
        response = self.client_for("amal").get(self.url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("الاتحاد العام للمراكز الثقافية", html)
        self.assertIn("الاتحاد العام للمراكز للثقافية", html)
        self.assertIn("https://gucc.example.org", html)  # a fact the survivor would take
        self.assertIn(
            reverse("organizations:merge", args=[self.duplicate.pk, self.survivor.pk]), html
        )
        self.assertFalse(MergeRecord.objects.exists())

    def test_it_merges_on_post(self) -> None:
        response = self.client_for("amal").post(self.url())
        self.assertRedirects(response, reverse("organizations:detail", args=[self.survivor.pk]))
        self.assertFalse(Organization.objects.filter(pk=self.duplicate.pk).exists())
        self.assertEqual(MergeRecord.objects.get().survivor, self.survivor)

    def test_it_answers_others_with_403_or_404(self) -> None:
        # badr speaks for the survivor, carim for Maat; the duplicate is unpublished, so
        # only the secretariat and its own editor know it exists.
        expected = {"badr": 404, "carim": 404, "dina": 404}
        for name, status in expected.items():
            for method in ("get", "post"):
                with self.subTest(user=name, method=method):
                    response = getattr(self.client_for(name), method)(self.url())
                    self.assertEqual(response.status_code, status)
        published = self.cast.maat
        for name in ("badr", "carim", "dina"):
            with self.subTest(user=name, records="both published"):
                response = self.client_for(name).post(self.url(duplicate=published))
                self.assertEqual(response.status_code, 403)
        hana = self.client_for("amal")
        hana.force_login(self.editor)  # the duplicate's own editor may see it, not merge it
        self.assertEqual(hana.post(self.url()).status_code, 403)
        self.assertTrue(Organization.objects.filter(pk=self.duplicate.pk).exists())
        self.assertTrue(Organization.objects.filter(pk=published.pk).exists())
