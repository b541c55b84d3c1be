from __future__ import annotations

from django.test import override_settings

from tahaluf.organizations import services
from tahaluf.organizations.models import Organization, UnionMembership
from tahaluf.test import BaseTestCase


class DirectoryTests(BaseTestCase):
    def test_it_lists_only_published_organizations_to_the_public(self) -> None:
        response = self.client_for("anonymous").get("/organizations/")
        self.assertContains(response, "الاتحاد العام للمراكز الثقافية")
        self.assertNotContains(response, "منظمة غير منشورة")
        self.assertContains(self.client_for("amal").get("/organizations/"), "منظمة غير منشورة")

    def test_it_filters_by_kind_country_city_focus_and_name(self) -> None:
        services.organization_update(
            actor=self.cast.amal,
            organization=self.cast.gucc,
            data={},
            focus_areas=services.focus_areas_resolve(["culture"]),
        )
        client = self.client_for("anonymous")
        cases = {
            "kind=union": True,
            "kind=ngo": False,
            "country=PS": True,
            "country=EG": False,
            "city=غزة": True,
            "city=القاهرة": False,
            "focus=culture": True,
            "q=للمراكز": True,
            "q=general+union": True,
            "q=ماعت": False,
        }
        for query, expected in cases.items():
            response = client.get(f"/organizations/?{query}")
            found = "الاتحاد العام للمراكز الثقافية" in response.content.decode()
            self.assertEqual(found, expected, query)

    @override_settings(TAHALUF_PAGE_SIZE=2)
    def test_it_pages_through_the_directory_keeping_the_filters(self) -> None:
        for number in range(3):
            services.organization_create(
                actor=self.cast.amal,
                is_published=True,
                data={"name_en": f"Zeta {number}", "name_ar": f"ي {number}", "kind": "fund"},
            )
        client = self.client_for("anonymous")
        first = client.get("/organizations/?kind=fund")
        self.assertContains(first, "kind=fund&amp;page=2")
        second = client.get("/organizations/?kind=fund&page=2")
        self.assertContains(second, "ي 2")
        self.assertNotContains(second, "ي 0")
        self.assertEqual(client.get("/organizations/?page=999").status_code, 200)

    def test_it_refuses_nonsense_filters_without_failing(self) -> None:
        response = self.client_for("anonymous").get(
            "/organizations/?kind=zzz&country=QQ&focus=nope"
        )
        self.assertEqual(response.status_code, 200)


class ProfileTests(BaseTestCase):
    def test_it_shows_the_facts_people_unions_members_and_sources(self) -> None:
        services.union_membership_create(
            actor=self.cast.amal, union=self.cast.gucc, member=self.cast.maat, data={}
        )
        services.source_attach(
            actor=self.cast.amal,
            record=self.cast.gucc,
            source_data={"title": "مؤسسة ماعت توقع بروتوكول تعاون"},
            field="member_count",
            quote="بلغت 55 مؤسسة",
        )
        services.organization_update(
            actor=self.cast.amal,
            organization=self.cast.gucc,
            data={"other_names": ["الاتحاد العام للمراكز للثقافية"]},
        )
        response = self.client_for("anonymous").get(f"/organizations/{self.cast.gucc.pk}/")
        for text in (
            "General Union of Cultural Centers",
            "1997",
            "55",
            "120",
            "يسري درويش",
            "مؤسسة ماعت للسلام",
            "الاتحاد العام للمراكز للثقافية",
            "بلغت 55 مؤسسة",
            'href="#source-1"',
        ):
            self.assertContains(response, text)
        maat = self.client_for("anonymous").get(f"/organizations/{self.cast.maat.pk}/")
        self.assertContains(maat, "الاتحاد العام للمراكز الثقافية")  # the union it belongs to

    def test_it_shows_the_history_to_amal_and_not_to_the_public(self) -> None:
        services.organization_update(
            actor=self.cast.amal, organization=self.cast.gucc, data={"city": "خان يونس"}
        )
        history = self.client_for("amal").get(f"/organizations/{self.cast.gucc.pk}/")
        self.assertContains(history, 'id="history"')
        self.assertContains(history, "خان يونس")
        with self.settings(LANGUAGE_CODE="en"):
            english = self.client_for("amal")
            english.cookies["tahaluf_language"] = "en"
            self.assertContains(
                english.get(f"/organizations/{self.cast.gucc.pk}/"),
                "<td>city or governorate</td>",
                html=False,
            )
        public = self.client_for("anonymous").get(f"/organizations/{self.cast.gucc.pk}/")
        self.assertNotContains(public, 'id="history"')

    def test_it_answers_not_found_for_what_one_may_not_see(self) -> None:
        hidden = f"/organizations/{self.cast.hidden.pk}/"
        for who in ("anonymous", "dina", "badr", "carim"):
            self.assertEqual(self.client_for(who).get(hidden).status_code, 404, who)
        missing = self.client_for("badr").get("/organizations/999999/")

        def main_part(response) -> str:  # type: ignore[no-untyped-def]
            page = response.content.decode()
            return page[page.index("<main") : page.index("</main>")]

        self.assertEqual(main_part(self.client_for("badr").get(hidden)), main_part(missing))
        self.assertEqual(self.client_for("amal").get(hidden).status_code, 200)


class EditingTests(BaseTestCase):
    form = {
        "name_ar": "شبكة المنظمات الأهلية",
        "name_en": "PNGO Network",
        "acronym": "PNGO",
        "other_names": "شبكة المنظمات الاهلية\nPalestinian NGOs Network",
        "kind": "union",
        "country": "PS",
        "city": "رام الله",
        "founded_year": "1993",
        "member_count": "",
        "partner_count": "",
        "website": "",
        "description_ar": "",
        "description_en": "",
        "new_focus_areas": "civil society | advocacy",
    }

    def test_it_lets_amal_create_an_organization_through_the_form(self) -> None:
        response = self.client_for("amal").post("/organizations/new/", self.form, follow=True)
        organization = Organization.objects.get(name_en="PNGO Network")
        self.assertRedirects(response, f"/organizations/{organization.pk}/")
        self.assertEqual(
            organization.other_names, ["شبكة المنظمات الاهلية", "Palestinian NGOs Network"]
        )
        self.assertEqual(
            sorted(organization.focus_areas.values_list("key", flat=True)),
            ["advocacy", "civil society"],
        )
        self.assertFalse(organization.is_published)

    def test_it_shows_errors_beside_the_field_and_keeps_what_was_typed(self) -> None:
        data = dict(self.form, founded_year="3000", country="")
        response = self.client_for("amal").post("/organizations/new/", data)
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        field = page[page.index('id="field-founded_year"') :]
        field = field[: field.index('id="field-', 10)]
        self.assertIn('class="error"', field)
        self.assertIn('value="شبكة المنظمات الأهلية"', page)
        self.assertIn("Palestinian NGOs Network", page)
        self.assertFalse(Organization.objects.filter(name_en="PNGO Network").exists())

    def test_it_lets_badr_edit_his_organization_but_not_carims(self) -> None:
        badr = self.client_for("badr")
        self.assertEqual(badr.get(f"/organizations/{self.cast.gucc.pk}/edit/").status_code, 200)
        self.assertEqual(badr.get(f"/organizations/{self.cast.maat.pk}/edit/").status_code, 403)
        data = dict(self.form, name_ar="ماعت المعدلة")
        self.assertEqual(
            badr.post(f"/organizations/{self.cast.maat.pk}/edit/", data).status_code, 403
        )
        self.cast.maat.refresh_from_db()
        self.assertNotEqual(self.cast.maat.name_ar, "ماعت المعدلة")

    def test_it_publishes_and_unpublishes(self) -> None:
        amal = self.client_for("amal")
        amal.post(f"/organizations/{self.cast.hidden.pk}/publish/", {"published": "1"})
        self.cast.hidden.refresh_from_db()
        self.assertTrue(self.cast.hidden.is_published)
        self.assertEqual(
            self.client_for("badr")
            .post(f"/organizations/{self.cast.gucc.pk}/publish/", {"published": "0"})
            .status_code,
            403,
        )

    def test_it_refuses_a_membership_cycle_in_the_form_with_a_clear_message(self) -> None:
        amal = self.client_for("amal")
        amal.post(f"/organizations/{self.cast.gucc.pk}/members/new/", {"member": self.cast.maat.pk})
        response = amal.post(
            f"/organizations/{self.cast.maat.pk}/members/new/", {"member": self.cast.gucc.pk}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "حلقة مغلقة", status_code=400)  # Arabic by default
        self.assertEqual(UnionMembership.objects.count(), 1)

    def test_it_lets_amal_record_a_post_and_attach_a_source(self) -> None:
        amal = self.client_for("amal")
        amal.post(
            f"/organizations/{self.cast.maat.pk}/positions/new/",
            {"person": self.cast.yousri.pk, "title_en": "Adviser"},
        )
        self.assertTrue(self.cast.maat.positions.filter(title_en="Adviser").exists())
        amal.post(
            f"/organizations/{self.cast.maat.pk}/sources/new/",
            {
                "title": "Seed 000",
                "url": "https://example.org",
                "field": "name_ar",
                "quote": "مؤسسة ماعت",
            },
        )
        self.assertContains(amal.get(f"/organizations/{self.cast.maat.pk}/"), "Seed 000")


class PeoplePageTests(BaseTestCase):
    def test_it_lists_people_with_their_posts(self) -> None:
        response = self.client_for("anonymous").get("/people/?q=يسري")
        self.assertContains(response, "يسري درويش")
        self.assertNotContains(response, "أيمن عقيل")

    def test_it_lets_badr_edit_his_people_only(self) -> None:
        badr = self.client_for("badr")
        self.assertEqual(badr.get(f"/people/{self.cast.yousri.pk}/edit/").status_code, 200)
        self.assertEqual(badr.get(f"/people/{self.cast.ayman.pk}/edit/").status_code, 403)
        badr.post(
            f"/people/{self.cast.yousri.pk}/edit/",
            {"name_ar": "يسري درويش", "name_en": "Yousri Darwish", "honorific_ar": "أ."},
        )
        self.cast.yousri.refresh_from_db()
        self.assertEqual(self.cast.yousri.honorific_ar, "أ.")


class SourceChoiceTests(BaseTestCase):
    def test_it_offers_badr_only_sources_cited_on_records_he_may_see(self) -> None:
        services.source_attach(
            actor=self.cast.amal, record=self.cast.hidden, source_data={"title": "مصدر سري"}
        )
        services.source_attach(
            actor=self.cast.amal, record=self.cast.maat, source_data={"title": "مصدر علني"}
        )
        page = self.client_for("badr").get(f"/organizations/{self.cast.gucc.pk}/sources/new/")
        self.assertContains(page, "مصدر علني")
        self.assertNotContains(page, "مصدر سري")
        self.assertContains(
            self.client_for("amal").get(f"/organizations/{self.cast.gucc.pk}/sources/new/"),
            "مصدر سري",
        )
