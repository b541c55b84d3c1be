from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from django.utils.html import escape

from tahaluf.accounts.models import Role, User
from tahaluf.audit.models import Change
from tahaluf.demo import data
from tahaluf.demo.loader import DEFAULT_PASSWORD, PASSWORD_ENV, load_demo
from tahaluf.organizations import services
from tahaluf.organizations.models import (
    Citation,
    Organization,
    Person,
    Position,
    Source,
    UnionMembership,
)


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def citations_of(record: Any) -> Any:
    return Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("source")


class DemoTests(TestCase):
    lines: list[str]

    @classmethod
    def setUpTestData(cls) -> None:
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop(PASSWORD_ENV, None)
            cls.lines = load_demo()

    def organization(self, external_id: str) -> Organization:
        return Organization.objects.get(external_id=external_id)

    def person(self, external_id: str) -> Person:
        return Person.objects.get(external_id=external_id)

    def assertHolds(self, person: Person, organization: Organization, title_en: str) -> None:
        self.assertTrue(
            Position.objects.filter(
                person=person, organization=organization, title_en=title_en
            ).exists(),
            f"{person} is not {title_en} of {organization}",
        )

    # Loading twice -----------------------------------------------------------------------

    def test_it_duplicates_and_changes_nothing_when_loaded_twice(self) -> None:
        counts = model_counts()
        last_change = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
        stamps = sorted(Organization.objects.values_list("pk", "updated_at"))
        people_stamps = sorted(Person.objects.values_list("pk", "updated_at"))
        lines = load_demo()
        self.assertEqual(model_counts(), counts)
        self.assertFalse(Change.objects.filter(pk__gt=last_change).exists())
        self.assertEqual(sorted(Organization.objects.values_list("pk", "updated_at")), stamps)
        self.assertEqual(sorted(Person.objects.values_list("pk", "updated_at")), people_stamps)
        self.assertIn("Nothing new: the demo data was already loaded.", lines)
        self.assertIn("  organizations: 0 created, 34 already present", lines)

    def test_it_says_what_it_created_the_first_time(self) -> None:
        self.assertIn(
            f"  organizations: {len(data.ORGANIZATIONS)} created, 0 already present", self.lines
        )
        self.assertIn(f"  people: {len(data.PEOPLE)} created, 0 already present", self.lines)
        self.assertIn("  sources: 5 created, 0 already present", self.lines)
        self.assertNotIn("Nothing new: the demo data was already loaded.", self.lines)

    def test_it_keeps_edits_made_in_the_demo_and_fills_in_only_blank_facts(self) -> None:
        gucc = self.organization("seed-000-gucc")
        badr = User.objects.get(username="badr")
        services.organization_update(
            actor=badr, organization=gucc, data={"city": "خان يونس", "founded_year": None}
        )
        lines = load_demo()
        gucc.refresh_from_db()
        self.assertEqual(gucc.city, "خان يونس")  # badr's edit stays
        self.assertEqual(gucc.founded_year, 1997)  # the blanked fact comes back from the seed
        self.assertIn("  organizations: 0 created, 1 filled in, 33 already present", lines)

    def test_it_writes_nothing_when_a_record_is_refused_halfway(self) -> None:
        Organization.objects.filter(external_id__startswith="seed-").delete()
        Person.objects.filter(external_id__startswith="seed-").delete()
        counts = model_counts()
        broken = [
            *data.PEOPLE,
            {"external_id": "seed-9-broken", "name_ar": "", "name_en": "", "citations": []},
        ]
        with mock.patch.object(data, "PEOPLE", broken), self.assertRaises(ValidationError):
            load_demo()
        self.assertEqual(model_counts(), counts)

    def test_it_records_union_memberships_once(self) -> None:
        # No seed names one: this hypothetical entry only exercises the loader's path.
        entry = {
            "union": "seed-003-coordinating-council-for-palestinian-ngo-work",
            "member": "seed-003-palestinian-ngos-network",
            "start_date": "2024-06-06",
            "citations": [],
        }
        with mock.patch.object(data, "UNION_MEMBERSHIPS", [entry]):
            load_demo()
            load_demo()
        self.assertEqual(UnionMembership.objects.count(), 1)

    # The facts of each seed --------------------------------------------------------------

    def test_it_loads_the_general_union_of_cultural_centers(self) -> None:
        gucc = self.organization("seed-000-gucc")
        self.assertEqual(
            (gucc.name_ar, gucc.name_en),
            ("الاتحاد العام للمراكز الثقافية", "General Union of Cultural Centers"),
        )
        self.assertEqual((gucc.kind, gucc.country, gucc.founded_year), ("union", "PS", 1997))
        self.assertEqual((gucc.member_count, gucc.member_count_at_least), (55, False))
        self.assertEqual((gucc.partner_count, gucc.partner_count_at_least), (120, True))
        self.assertIn("الاتحاد العام للمراكز للثقافية", gucc.other_names)
        self.assertIn("culture", gucc.focus_areas.values_list("key", flat=True))
        self.assertHolds(self.person("seed-000-yousri-darwish"), gucc, "President")

    def test_it_loads_maat_with_ayman_okeil_as_president(self) -> None:
        maat = self.organization("seed-000-maat")
        self.assertEqual(maat.name_en, "Maat Foundation for Peace, Development and Human Rights")
        self.assertEqual((maat.kind, maat.country), ("ngo", "EG"))
        self.assertIn("ماعت", maat.other_names)
        self.assertIn("Ma'at", maat.other_names)
        self.assertHolds(self.person("seed-000-ayman-okeil"), maat, "President")

    def test_it_loads_cndh_with_amina_bouayach(self) -> None:
        cndh = self.organization("seed-001-cndh")
        self.assertEqual(
            (cndh.name_en, cndh.acronym, cndh.kind, cndh.country),
            ("National Council for Human Rights", "CNDH", "nhri", "MA"),
        )
        self.assertHolds(self.person("seed-001-amina-bouayach"), cndh, "President")

    def test_it_loads_the_plo_department_with_ahmed_saeed_al_tamimi(self) -> None:
        department = self.organization("seed-001-plo-human-rights-department")
        self.assertEqual(
            department.name_en,
            "Department of Human Rights and Civil Society, Palestine Liberation Organization",
        )
        self.assertEqual(department.country, "PS")
        ahmed = self.person("seed-001-ahmed-saeed-al-tamimi")
        self.assertEqual(ahmed.name_ar, "أحمد سعيد التميمي")
        self.assertHolds(ahmed, department, "Head of the Department")
        self.assertEqual(self.organization("seed-001-plo").acronym, "PLO")

    def test_it_loads_allmep_as_a_coalition_of_more_than_90(self) -> None:
        allmep = self.organization("seed-002-allmep")
        self.assertEqual(
            (allmep.name_en, allmep.acronym), ("Alliance for Middle East Peace", "ALLMEP")
        )
        self.assertEqual((allmep.member_count, allmep.member_count_at_least), (90, True))
        self.assertEqual(allmep.founded_year, 2006)
        for external_id in (
            "seed-002-usaid",
            "seed-002-us-state-department",
            "seed-002-international-fund-for-ireland",
            "seed-002-just-vision",
            "seed-002-washington-institute",
        ):
            self.assertTrue(Organization.objects.filter(external_id=external_id).exists())

    def test_it_loads_the_fourteen_unions_of_the_ramallah_workshop(self) -> None:
        unions = Organization.objects.filter(external_id__in=data.RAMALLAH_WORKSHOP_PARTICIPANTS)
        self.assertEqual(unions.count(), 14)
        self.assertEqual(set(unions.values_list("kind", "country")), {("union", "PS")})
        self.assertTrue(unions.filter(name_ar="الاتحاد الفلسطيني للصم").exists())
        council = self.organization("seed-003-coordinating-council-for-palestinian-ngo-work")
        self.assertEqual(council.name_en, "Coordinating Council for Palestinian NGO Work")

    def test_it_makes_dr_bassem_al_tamimi_president_of_the_general_union_of_ngos(self) -> None:
        bassem = self.person("seed-003-bassem-al-tamimi")
        self.assertEqual((bassem.honorific_ar, bassem.honorific_en), ("د.", "Dr."))
        union = self.organization("seed-003-general-union-of-palestinian-ngos")
        self.assertEqual(union.name_en, "General Union of Palestinian NGOs")
        self.assertHolds(bassem, union, "President")

    def test_it_loads_the_ministry_of_local_government(self) -> None:
        ministry = self.organization("seed-004-ministry-of-local-government")
        self.assertEqual(
            (ministry.name_en, ministry.kind, ministry.country),
            ("Palestinian Ministry of Local Government", "government", "PS"),
        )

    def test_it_leaves_out_the_news_ticker_of_seed_004(self) -> None:
        for name in ("ترامب", "نتنياهو", "غوتيريش", "جاسبر"):
            self.assertFalse(Person.objects.filter(name_ar__contains=name).exists())

    # Sources and citations ---------------------------------------------------------------

    def test_it_makes_one_source_per_seed(self) -> None:
        sources = Source.objects.filter(external_id__startswith="seed-")
        self.assertEqual(sources.count(), 5)
        workshop = sources.get(external_id="seed-003")
        self.assertEqual(
            workshop.title, "ورشة حول المبادئ العامة للشراكة بين القطاع الحكومي والمجتمع المدني"
        )
        self.assertEqual((workshop.publisher, str(workshop.published_on)), ("معا", "2024-06-06"))
        self.assertEqual(sources.get(external_id="seed-004").publisher, "وكالة الحرية الاخبارية")

    def test_it_cites_a_seed_source_for_every_organization_person_and_position(self) -> None:
        seeds = set(
            Source.objects.filter(external_id__startswith="seed-").values_list("pk", flat=True)
        )
        records = [*Organization.objects.all(), *Person.objects.all(), *Position.objects.all()]
        self.assertEqual(
            len(records), len(data.ORGANIZATIONS) + len(data.PEOPLE) + len(data.POSITIONS)
        )
        for record in records:
            with self.subTest(record=str(record)):
                self.assertTrue(citations_of(record).filter(source_id__in=seeds).exists())

    def test_it_cites_facts_field_by_field_with_quotes(self) -> None:
        gucc = self.organization("seed-000-gucc")
        quotes = {citation.field: citation.quote for citation in citations_of(gucc)}
        self.assertIn("1997", quotes["founded_year"])
        self.assertIn("55", quotes["member_count"])
        self.assertIn("120", quotes["partner_count"])
        self.assertIn("الاتحاد العام للمراكز للثقافية", quotes["other_names"])

    def test_it_keeps_the_declared_figures_with_their_sources(self) -> None:
        figures = {figure["key"]: figure for figure in data.DECLARED_FIGURES}
        allmep = [
            figures[f"seed-002-allmep-members-{year}"]["value"] for year in (2004, 2005, 2007, 2016)
        ]
        self.assertEqual(allmep, [14, 27, 44, 97])
        municipalities = figures["seed-004-conference-municipalities"]
        self.assertEqual((municipalities["value"], municipalities["at_least"]), (150, True))
        self.assertEqual(figures["seed-004-conference-palestinian-local-authorities"]["value"], 300)
        self.assertEqual(len(figures["seed-000-maat-protocol-countries"]["countries"]), 16)
        self.assertEqual(len(figures["seed-003-ramallah-workshop-unions"]["records"]), 14)
        sources = {source["external_id"] for source in data.SOURCES}
        for figure in figures.values():
            self.assertIn(figure["source"], sources)
            self.assertTrue(figure["quote"])

    def test_it_quotes_the_seeds_word_for_word(self) -> None:
        # The seed texts live outside the repository, in ../shared/seeds beside the checkout
        # (as in CI), or wherever TAHALUF_SEEDS_DIR points.
        beside = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
        folder = os.environ.get("TAHALUF_SEEDS_DIR") or (str(beside) if beside.is_dir() else "")
        if not folder:
            self.skipTest("the seed texts are not beside the checkout; set TAHALUF_SEEDS_DIR")
        texts = {
            source["external_id"]: (Path(folder) / source["file"]).read_text("utf-8")
            for source in data.SOURCES
        }
        quoted = [*data.DECLARED_FIGURES] + [
            citation
            for group in (data.ORGANIZATIONS, data.PEOPLE, data.POSITIONS)
            for record in group
            for citation in record["citations"]
        ]
        for item in quoted:
            with self.subTest(quote=item["quote"]):
                self.assertIn(item["quote"], texts[item["source"]])

    # Publishing, users and pages ---------------------------------------------------------

    def test_it_publishes_everything(self) -> None:
        self.assertFalse(Organization.objects.filter(is_published=False).exists())
        self.assertFalse(Person.objects.filter(is_published=False).exists())

    def test_it_gives_the_demo_users_their_roles_and_organizations(self) -> None:
        users = {user.username: user for user in User.objects.all()}
        self.assertEqual(set(users), {"amal", "badr", "carim", "dina"})
        self.assertEqual((users["amal"].role, users["amal"].organization), (Role.SECRETARIAT, None))
        self.assertEqual(
            (users["badr"].role, users["badr"].organization),
            (Role.EDITOR, self.organization("seed-000-gucc")),
        )
        self.assertEqual(
            (users["carim"].role, users["carim"].organization),
            (Role.EDITOR, self.organization("seed-000-maat")),
        )
        self.assertEqual((users["dina"].role, users["dina"].organization), (Role.VIEWER, None))
        self.assertEqual(
            Organization.objects.get(external_id="seed-000-maat").created_by, users["amal"]
        )

    def test_it_lets_the_demo_users_sign_in_with_the_printed_password(self) -> None:
        line = self.lines[-1]
        self.assertTrue(
            line.startswith(
                "Demo users: amal (secretariat), badr (editor: "
                "General Union of Cultural Centers), carim (editor: "
            )
        )
        password = line.rsplit("password: ", 1)[1]
        self.assertEqual(password, DEFAULT_PASSWORD)
        for username in ("amal", "badr", "carim", "dina"):
            with self.subTest(username=username):
                client = Client()
                response = client.post(
                    reverse("accounts:login"), {"username": username, "password": password}
                )
                self.assertEqual(response.status_code, 302)
                self.assertEqual(
                    int(client.session["_auth_user_id"]), User.objects.get(username=username).pk
                )

    def test_it_lists_the_demo_organizations_in_the_public_directory(self) -> None:
        client = Client()
        url = reverse("organizations:list")
        pages = math.ceil(Organization.objects.count() / settings.TAHALUF_PAGE_SIZE)
        html = "".join(
            client.get(url, {"page": page}).content.decode() for page in range(1, pages + 1)
        )
        for spec in data.ORGANIZATIONS:
            with self.subTest(organization=spec["name_en"]):
                self.assertIn(escape(spec["name_ar"]), html)


class DemoPasswordTests(TestCase):
    def test_it_takes_the_password_from_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {PASSWORD_ENV: "another-demo-secret"}):
            lines = load_demo()
        self.assertTrue(lines[-1].endswith("— password: another-demo-secret"))
        self.assertTrue(User.objects.get(username="badr").check_password("another-demo-secret"))

    def test_it_says_so_when_a_demo_user_already_has_another_password(self) -> None:
        load_demo(password="first-demo-password")
        lines = load_demo(password="second-demo-password")
        self.assertIn("dina already exists with another password: kept.", lines)
        self.assertTrue(
            lines[-1].endswith("password: second-demo-password (except where kept above)")
        )
        self.assertTrue(User.objects.get(username="dina").check_password("first-demo-password"))
