"""What a person sees, in a real Chromium (headless, through Playwright), in Arabic and English.

The site runs in a Django live server; every test starts from the named cast of
`tahaluf.test` (amal, badr, carim, dina), built through the real services.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tahaluf.organizations.models import Organization
from tahaluf.test import PASSWORD, Cast, make_cast

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def gettext_in(language: str, message: str) -> str:
    """The interface's own wording of `message` in `language` (whatever the catalogue says)."""
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.browser
class BrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"
    playwright: Playwright
    browser: Browser
    cast: Cast

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Exception:
            cls.playwright.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        self.cast = make_cast()
        self.contexts: list[BrowserContext] = []

    def tearDown(self) -> None:
        for context in self.contexts:
            context.close()

    # Helpers ------------------------------------------------------------------------------

    def new_page(self, **options: Any) -> Page:
        context = self.browser.new_context(**options)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def sign_in(self, page: Page, username: str) -> None:
        page.goto(self.url("/accounts/login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form.edit-form button[type=submit]")
        # Signed in: the header names the user and offers to sign out.
        assert page.inner_text(".site-nav .who").startswith(username), page.content()

    def html_attributes(self, page: Page) -> tuple[str | None, str | None]:
        html = page.locator("html")
        return html.get_attribute("dir"), html.get_attribute("lang")

    def nav_x(self, page: Page) -> tuple[float, float]:
        """Horizontal position of the brand link (first in the navigation) and of the
        People link (after it)."""
        brand = page.locator(".site-nav a.brand").bounding_box()
        people = page.locator('.site-nav a[href="/people/"]').bounding_box()
        assert brand is not None and people is not None
        return brand["x"], people["x"]

    def switch_language(self, page: Page) -> None:
        with page.expect_navigation():
            page.click("#language-switch")

    def card_titles(self, page: Page) -> list[str]:
        return [text.strip() for text in page.locator(".cards .card h2 a").all_inner_texts()]

    # Direction and language ---------------------------------------------------------------

    def test_it_shows_the_home_page_in_arabic_right_to_left(self) -> None:
        page = self.new_page()
        response = page.goto(self.url("/"))
        assert response is not None and response.status == 200
        self.assertEqual(self.html_attributes(page), ("rtl", "ar"))
        self.assertEqual(page.evaluate("getComputedStyle(document.body).direction"), "rtl")
        brand_x, people_x = self.nav_x(page)
        # The navigation starts on the right: the first link is to the right of the later ones.
        self.assertGreater(brand_x, people_x)
        # Two published organizations (the unpublished one is not counted for the public).
        self.assertEqual(page.locator(".stats li strong").first.inner_text().strip(), "2")

    def test_it_switches_to_english_left_to_right_keeps_the_choice_and_switches_back(self) -> None:
        page = self.new_page()
        page.goto(self.url("/"))
        self.assertEqual(page.inner_text("#language-switch").strip(), "English")
        self.switch_language(page)
        self.assertEqual(self.html_attributes(page), ("ltr", "en"))
        self.assertEqual(page.evaluate("getComputedStyle(document.body).direction"), "ltr")
        brand_x, people_x = self.nav_x(page)
        self.assertLess(brand_x, people_x)
        self.assertEqual(page.inner_text("#language-switch").strip(), "العربية")
        self.assertEqual(page.url, self.url("/"))

        # The choice sticks: on another page, after a reload, in a new tab.
        page.goto(self.url("/organizations/"))
        self.assertEqual(self.html_attributes(page), ("ltr", "en"))
        self.assertIn("General Union of Cultural Centers", self.card_titles(page))
        page.reload()
        self.assertEqual(self.html_attributes(page), ("ltr", "en"))
        other = page.context.new_page()
        other.goto(self.url(f"/organizations/{self.cast.maat.pk}/"))
        self.assertEqual(self.html_attributes(other), ("ltr", "en"))
        self.assertIn("Maat Foundation", other.inner_text("h1"))

        # And back to Arabic, staying on the same page.
        self.switch_language(page)
        self.assertEqual(self.html_attributes(page), ("rtl", "ar"))
        self.assertEqual(page.url, self.url("/organizations/"))
        self.assertIn("الاتحاد العام للمراكز الثقافية", self.card_titles(page))
        brand_x, people_x = self.nav_x(page)
        self.assertGreater(brand_x, people_x)
        page.reload()
        self.assertEqual(self.html_attributes(page), ("rtl", "ar"))

    # amal creates an organization ---------------------------------------------------------

    def test_it_lets_amal_sign_in_and_create_an_organization(self) -> None:
        page = self.new_page()
        self.sign_in(page, "amal")
        page.goto(self.url("/organizations/"))
        with page.expect_navigation():
            page.click('.actions a[href="/organizations/new/"]')
        self.assertEqual(page.url, self.url("/organizations/new/"))
        page.fill("#id_name_ar", "جمعية الشبان المسيحية")
        page.fill("#id_name_en", "Young Men's Christian Association")
        page.fill("#id_acronym", "YMCA")
        page.select_option("#id_kind", "ngo")
        page.select_option("#id_country", "PS")
        page.fill("#id_city", "أريحا")
        page.fill("#id_founded_year", "1949")
        with page.expect_navigation():
            page.click("form.edit-form button[type=submit]")

        match = re.fullmatch(re.escape(self.live_server_url) + r"/organizations/(\d+)/", page.url)
        assert match, page.url
        organization = Organization.objects.get(pk=int(match.group(1)))
        self.assertEqual(organization.name_en, "Young Men's Christian Association")
        self.assertEqual((organization.country, organization.founded_year), ("PS", 1949))
        self.assertEqual(organization.created_by, self.cast.amal)
        self.assertFalse(organization.is_published)
        # The profile shows what was typed, and that it is not published yet.
        self.assertIn("جمعية الشبان المسيحية", page.inner_text("h1"))
        facts = page.inner_text("dl.facts")
        for text in ("Young Men's Christian Association", "YMCA", "أريحا", "1949"):
            self.assertIn(text, facts)
        self.assertEqual(page.locator("header .badge").count(), 1)
        self.assertEqual(page.locator("ul.messages li").count(), 1)

    def test_it_shows_a_validation_error_beside_its_field_and_keeps_what_was_typed(self) -> None:
        page = self.new_page()
        self.sign_in(page, "amal")
        page.goto(self.url("/organizations/new/"))
        typed = {
            "#id_name_ar": "مركز المستقبل",
            "#id_name_en": "Future Centre",
            "#id_acronym": "FC",
            "#id_city": "رفح",
            "#id_member_count": "12",
            "#id_website": "https://future.example.org/",
            "#id_description_ar": "مركز ثقافي\nفي رفح",
            "#id_other_names": "مركز المستقبل الثقافي",
            "#id_new_focus_areas": "ثقافة | شباب",
        }
        for selector, value in typed.items():
            page.fill(selector, value)
        page.fill("#id_founded_year", "3000")
        page.select_option("#id_kind", "academic")
        page.select_option("#id_country", "PS")
        page.check("#id_member_count_at_least")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("form.edit-form button[type=submit]")
        self.assertEqual(answer.value.status, 400)
        page.wait_for_load_state()

        # The error is inside the founding year's own container, and nowhere else.
        error = page.locator("#field-founded_year .field-errors")
        self.assertTrue(error.is_visible())
        self.assertEqual(
            error.inner_text().strip(),
            gettext_in("ar", "The founding year cannot be in the future."),
        )
        self.assertEqual(page.locator(".field-errors").count(), 1)
        self.assertEqual(page.locator(".has-error").count(), 1)
        # Every value typed is still there, the wrong one too.
        for selector, value in typed.items():
            self.assertEqual(page.input_value(selector), value, selector)
        self.assertEqual(page.input_value("#id_founded_year"), "3000")
        self.assertEqual(page.input_value("#id_kind"), "academic")
        self.assertEqual(page.input_value("#id_country"), "PS")
        self.assertTrue(page.is_checked("#id_member_count_at_least"))
        self.assertFalse(Organization.objects.filter(name_en="Future Centre").exists())

        # Second mistake: no name at all. The error sits beside the Arabic name.
        page.fill("#id_founded_year", "2001")
        page.fill("#id_name_ar", "")
        page.fill("#id_name_en", "")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("form.edit-form button[type=submit]")
        self.assertEqual(answer.value.status, 400)
        page.wait_for_load_state()
        self.assertEqual(
            page.inner_text("#field-name_ar .field-errors").strip(),
            gettext_in("ar", "Give a name in Arabic or in English."),
        )
        self.assertEqual(page.locator(".field-errors").count(), 1)
        self.assertEqual(page.input_value("#id_founded_year"), "2001")
        self.assertEqual(page.input_value("#id_acronym"), "FC")
        self.assertEqual(page.input_value("#id_description_ar"), "مركز ثقافي\nفي رفح")
        self.assertTrue(page.is_checked("#id_member_count_at_least"))

        # Corrected, it saves.
        page.fill("#id_name_en", "Future Centre")
        with page.expect_navigation():
            page.click("form.edit-form button[type=submit]")
        self.assertRegex(page.url, r"/organizations/\d+/$")
        saved = Organization.objects.get(name_en="Future Centre")
        self.assertEqual(
            (saved.founded_year, saved.member_count, saved.kind), (2001, 12, "academic")
        )

    # badr and carim -----------------------------------------------------------------------

    def test_it_refuses_badr_the_edit_page_of_carims_organization(self) -> None:
        maat, gucc = self.cast.maat, self.cast.gucc
        page = self.new_page()
        self.sign_in(page, "badr")

        response = page.goto(self.url(f"/organizations/{maat.pk}/edit/"))
        assert response is not None
        self.assertEqual(response.status, 403)
        self.assertEqual(page.inner_text("h1").strip(), gettext_in("ar", "Not allowed"))
        self.assertEqual(page.locator("form.edit-form").count(), 0)
        self.assertEqual(page.locator("#id_name_ar").count(), 0)

        # Maat's profile: readable, with no way to edit it.
        page.goto(self.url(f"/organizations/{maat.pk}/"))
        self.assertIn("مؤسسة ماعت", page.inner_text("h1"))
        self.assertEqual(page.locator(f'a[href="/organizations/{maat.pk}/edit/"]').count(), 0)
        self.assertEqual(page.locator(".profile .actions a, .profile .actions button").count(), 0)

        # His own organization: the edit button is there and works.
        page.goto(self.url(f"/organizations/{gucc.pk}/"))
        edit = page.locator(f'a[href="/organizations/{gucc.pk}/edit/"]')
        self.assertEqual(edit.count(), 1)
        with page.expect_navigation():
            edit.click()
        self.assertEqual(page.input_value("#id_name_en"), "General Union of Cultural Centers")
        page.fill("#id_city", "خان يونس")
        with page.expect_navigation():
            page.click("form.edit-form button[type=submit]")
        self.assertEqual(page.url, self.url(f"/organizations/{gucc.pk}/"))
        self.assertIn("خان يونس", page.inner_text("dl.facts"))
        gucc.refresh_from_db()
        maat.refresh_from_db()
        self.assertEqual(gucc.city, "خان يونس")
        self.assertEqual(maat.city, "")

    # The public directory ------------------------------------------------------------------

    def test_it_filters_the_directory_by_kind_and_country(self) -> None:
        page = self.new_page()
        page.goto(self.url("/organizations/"))
        gucc_ar, maat_ar = self.cast.gucc.name_ar, self.cast.maat.name_ar
        self.assertEqual(sorted(self.card_titles(page)), sorted([gucc_ar, maat_ar]))

        page.select_option("form.filters select[name=kind]", "union")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        self.assertIn("kind=union", page.url)
        self.assertEqual(self.card_titles(page), [gucc_ar])
        # The chosen filter is still selected.
        self.assertEqual(page.input_value("form.filters select[name=kind]"), "union")

        page.select_option("form.filters select[name=kind]", "")
        page.select_option("form.filters select[name=country]", "EG")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        self.assertEqual(self.card_titles(page), [maat_ar])

        # Jordan holds only an unpublished organization: the public sees none.
        page.select_option("form.filters select[name=country]", "JO")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        self.assertEqual(self.card_titles(page), [])
        self.assertEqual(page.locator("p.empty").count(), 1)
        self.assertNotIn(self.cast.hidden.name_ar, page.content())

    # Without JavaScript ---------------------------------------------------------------------

    def test_it_reads_correctly_with_javascript_disabled(self) -> None:
        page = self.new_page(java_script_enabled=False)
        page.goto(self.url("/organizations/"))
        self.assertEqual(self.html_attributes(page), ("rtl", "ar"))
        self.assertEqual(
            sorted(self.card_titles(page)),
            sorted([self.cast.gucc.name_ar, self.cast.maat.name_ar]),
        )
        # Filtering is a plain GET form.
        page.select_option("form.filters select[name=kind]", "union")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        self.assertEqual(self.card_titles(page), [self.cast.gucc.name_ar])

        with page.expect_navigation():
            page.click(f'.cards a[href="/organizations/{self.cast.gucc.pk}/"]')
        self.assertIn("الاتحاد العام للمراكز الثقافية", page.inner_text("h1"))
        facts = page.inner_text("dl.facts")
        self.assertIn("1997", facts)
        self.assertIn("General Union of Cultural Centers", facts)
        self.assertIn("يسري درويش", page.inner_text("#people"))

        # The language switch is a plain form: it works with scripts off.
        self.switch_language(page)
        self.assertEqual(self.html_attributes(page), ("ltr", "en"))
        self.assertIn("General Union of Cultural Centers", page.inner_text("h1"))
        self.assertIn("Yousri Darwish", page.inner_text("#people"))
        brand_x, people_x = self.nav_x(page)
        self.assertLess(brand_x, people_x)

        # Signing in works too (a plain form POST).
        self.sign_in(page, "dina")
        self.assertEqual(self.html_attributes(page), ("ltr", "en"))
