from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tahaluf.audit.models import Change
from tahaluf.audit.services import history_for
from tahaluf.organizations import services
from tahaluf.organizations.models import Citation, Organization, Position, UnionMembership
from tahaluf.test import BaseTestCase


class OrganizationServiceTests(BaseTestCase):
    def test_it_records_each_changed_field_from_what_to_what(self) -> None:
        services.organization_update(
            actor=self.cast.amal,
            organization=self.cast.gucc,
            data={"city": "خان يونس", "member_count": 56},
        )
        change = history_for(self.cast.gucc)[0]
        assert change is not None
        self.assertEqual(change.actor, self.cast.amal)
        self.assertEqual(change.action, "update")
        self.assertEqual(change.changes, {"city": ["غزة", "خان يونس"], "member_count": [55, 56]})

    def test_it_records_nothing_when_nothing_changed(self) -> None:
        before = Change.objects.count()
        services.organization_update(
            actor=self.cast.amal, organization=self.cast.gucc, data={"city": "غزة"}
        )
        self.assertEqual(Change.objects.count(), before)

    def test_it_refuses_a_badly_formed_organization_and_writes_nothing(self) -> None:
        before = (Organization.objects.count(), Change.objects.count())
        with self.assertRaises(ValidationError) as raised:
            services.organization_create(
                actor=self.cast.amal, data={"name_ar": "", "name_en": "", "country": "XX"}
            )
        self.assertIn("name_ar", raised.exception.message_dict)
        self.assertIn("country", raised.exception.message_dict)
        self.assertEqual((Organization.objects.count(), Change.objects.count()), before)

    def test_it_gives_every_new_organization_an_external_id(self) -> None:
        organization = services.organization_create(
            actor=self.cast.amal, data={"name_en": "New Network", "kind": "ngo"}
        )
        self.assertRegex(organization.external_id or "", r"^tahaluf-")

    def test_it_lets_badr_edit_his_organization_but_not_carims(self) -> None:
        services.organization_update(
            actor=self.cast.badr, organization=self.cast.gucc, data={"acronym": "GUCC"}
        )
        self.cast.gucc.refresh_from_db()
        self.assertEqual(self.cast.gucc.acronym, "GUCC")
        with self.assertRaises(PermissionDenied):
            services.organization_update(
                actor=self.cast.badr, organization=self.cast.maat, data={"acronym": "X"}
            )
        self.cast.maat.refresh_from_db()
        self.assertEqual(self.cast.maat.acronym, "Maat")

    def test_it_lets_only_the_secretariat_publish(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.record_set_published(
                actor=self.cast.badr, record=self.cast.gucc, published=False
            )
        services.record_set_published(actor=self.cast.amal, record=self.cast.hidden, published=True)
        self.cast.hidden.refresh_from_db()
        self.assertTrue(self.cast.hidden.is_published)
        self.assertEqual(history_for(self.cast.hidden)[0].action, "publish")

    def test_it_keeps_the_history_of_a_deleted_organization(self) -> None:
        pk = self.cast.hidden.pk
        services.record_delete(actor=self.cast.amal, record=self.cast.hidden)
        self.assertFalse(Organization.objects.filter(pk=pk).exists())
        entries = Change.objects.filter(object_id=pk, content_type__model="organization")
        self.assertEqual(entries[0].action, "delete")
        self.assertGreaterEqual(entries.count(), 2)


class UnionMembershipServiceTests(BaseTestCase):
    def test_it_refuses_a_membership_cycle_with_a_clear_message(self) -> None:
        services.union_membership_create(
            actor=self.cast.amal, union=self.cast.gucc, member=self.cast.maat, data={}
        )
        with self.assertRaises(ValidationError) as raised, translation.override("en"):
            services.union_membership_create(
                actor=self.cast.amal, union=self.cast.maat, member=self.cast.gucc, data={}
            )
        message = " ".join(raised.exception.message_dict["member"])
        self.assertIn("circle", message)
        self.assertEqual(UnionMembership.objects.count(), 1)

    def test_it_refuses_a_longer_cycle(self) -> None:
        services.union_membership_create(
            actor=self.cast.amal, union=self.cast.gucc, member=self.cast.maat, data={}
        )
        services.union_membership_create(
            actor=self.cast.amal, union=self.cast.maat, member=self.cast.hidden, data={}
        )
        with self.assertRaises(ValidationError):
            services.union_membership_create(
                actor=self.cast.amal, union=self.cast.hidden, member=self.cast.gucc, data={}
            )

    def test_it_refuses_self_membership_and_reversed_dates(self) -> None:
        with self.assertRaises(ValidationError):
            services.union_membership_create(
                actor=self.cast.amal, union=self.cast.gucc, member=self.cast.gucc, data={}
            )
        import datetime

        with self.assertRaises(ValidationError) as raised:
            services.union_membership_create(
                actor=self.cast.amal,
                union=self.cast.gucc,
                member=self.cast.maat,
                data={
                    "start_date": datetime.date(2020, 1, 1),
                    "end_date": datetime.date(2019, 1, 1),
                },
            )
        self.assertIn("end_date", raised.exception.message_dict)
        self.assertFalse(UnionMembership.objects.exists())

    def test_it_lets_only_the_secretariat_record_memberships(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.union_membership_create(
                actor=self.cast.badr, union=self.cast.gucc, member=self.cast.maat, data={}
            )

    def test_it_writes_the_membership_into_both_histories(self) -> None:
        services.union_membership_create(
            actor=self.cast.amal, union=self.cast.gucc, member=self.cast.maat, data={}
        )
        self.assertEqual(history_for(self.cast.gucc)[0].action, "link")
        self.assertEqual(history_for(self.cast.maat)[0].action, "link")


class PeopleAndPositionServiceTests(BaseTestCase):
    def test_it_lets_an_editor_edit_people_of_his_organization_only(self) -> None:
        services.person_update(
            actor=self.cast.badr, person=self.cast.yousri, data={"honorific_ar": "أ."}
        )
        with self.assertRaises(PermissionDenied):
            services.person_update(
                actor=self.cast.badr, person=self.cast.ayman, data={"honorific_ar": "أ."}
            )

    def test_it_lets_an_editor_give_a_new_person_a_post_in_his_organization(self) -> None:
        person = services.person_create(actor=self.cast.badr, data={"name_ar": "سامي"})
        position = services.position_create(
            actor=self.cast.badr,
            person=person,
            organization=self.cast.gucc,
            data={"title_en": "Treasurer"},
        )
        self.assertEqual(position.organization, self.cast.gucc)
        with self.assertRaises(PermissionDenied):
            services.position_create(
                actor=self.cast.badr,
                person=person,
                organization=self.cast.maat,
                data={"title_en": "Member"},
            )

    def test_it_refuses_an_editor_publishing_a_person(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.person_create(
                actor=self.cast.badr, data={"name_ar": "سامي"}, is_published=True
            )

    def test_it_requires_a_post_title(self) -> None:
        with self.assertRaises(ValidationError):
            services.position_create(
                actor=self.cast.amal, person=self.cast.ayman, organization=self.cast.gucc, data={}
            )
        self.assertEqual(Position.objects.filter(organization=self.cast.gucc).count(), 1)


class SourceServiceTests(BaseTestCase):
    def test_it_attaches_a_source_to_one_fact_with_a_quote(self) -> None:
        citation = services.source_attach(
            actor=self.cast.amal,
            record=self.cast.gucc,
            source_data={"title": "بروتوكول تعاون", "url": "https://example.org/a"},
            field="member_count",
            quote="بلغت 55 مؤسسة ومركز ثقافي",
        )
        self.assertEqual(citation.field, "member_count")
        self.assertEqual(list(services.citations_for(self.cast.gucc)), [citation])
        self.assertEqual(history_for(self.cast.gucc)[0].changes["source"][1], "بروتوكول تعاون")

    def test_it_refuses_an_unknown_fact_and_a_source_without_title(self) -> None:
        with self.assertRaises(ValidationError):
            services.source_attach(
                actor=self.cast.amal,
                record=self.cast.gucc,
                source_data={"title": "x"},
                field="password",
            )
        with self.assertRaises(ValidationError):
            services.source_attach(
                actor=self.cast.amal, record=self.cast.gucc, source_data={"title": ""}
            )
        self.assertFalse(Citation.objects.exists())

    def test_it_refuses_carim_attaching_to_badrs_organization(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.source_attach(
                actor=self.cast.carim, record=self.cast.gucc, source_data={"title": "x"}
            )
