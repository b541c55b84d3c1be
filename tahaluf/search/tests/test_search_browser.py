"""The search box as a person uses it, in a real Chromium, in Arabic and in English."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import Browser, Playwright, sync_playwright

from tahaluf.organizations import services as organizations
from tahaluf.test import Cast, make_cast

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
class SearchBoxBrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"
    playwright: Playwright
    browser: Browser
    cast: Cast

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        self.cast = make_cast()
        organizations.organization_create(
            actor=self.cast.amal,
            is_published=True,
            data={
                "name_ar": "مركز المسؤولية المجتمعية",
                "name_en": "Community Responsibility Centre",
                "kind": "ngo",
                "country": "JO",
            },
        )
        self.context = self.browser.new_context(locale="en-US")
        self.page = self.context.new_page()

    def tearDown(self) -> None:
        self.context.close()

    def search_from_header(self, text: str) -> None:
        self.page.fill("#header-q", text)
        self.page.press("#header-q", "Enter")
        self.page.wait_for_load_state()

    def test_it_searches_from_the_header_in_arabic_across_spellings(self) -> None:
        self.page.goto(self.live_server_url + "/")
        self.assertEqual(self.page.get_attribute("html", "dir"), "rtl")
        self.search_from_header("المسئولية")
        first = self.page.locator("ol.results li").first
        self.assertIn("مركز المسؤولية المجتمعية", first.inner_text())
        self.assertEqual(first.locator("mark").first.inner_text(), "المسؤولية")
        tab = self.page.locator('nav.tabs a[data-type="organization"]')
        self.assertIn("1", tab.inner_text())
        first.locator("a").click()
        self.page.wait_for_load_state()
        self.assertIn("/organizations/", self.page.url)

    def test_it_searches_in_english_and_finds_arabic_names_typed_in_latin(self) -> None:
        self.page.goto(self.live_server_url + "/")
        self.page.click("#language-switch")
        self.page.wait_for_load_state()
        self.assertEqual(self.page.get_attribute("html", "dir"), "ltr")
        self.search_from_header("Maat")
        results = self.page.locator("ol.results li")
        self.assertIn("Maat Foundation", results.first.inner_text())
        self.assertEqual(self.page.locator("#search-q").input_value(), "Maat")

    def test_it_says_so_when_nothing_is_found_and_hides_unpublished_records(self) -> None:
        self.page.goto(self.live_server_url + "/search/?q=" + "منظمة غير منشورة")
        self.assertEqual(self.page.locator("ol.results li").count(), 0)
        self.assertEqual(self.page.locator("p.empty").count(), 1)
