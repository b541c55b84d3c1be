"""Public pages are light and self-contained (DESIGN.md: users on slow or metered connections,
no CDN or outside service), and the stylesheet serves both directions.

- Each public page, in Arabic and in English, weighs at most 100 KB gzip-compressed together
  with everything it loads (stylesheets, scripts, images, fonts, and what the CSS loads).
- Nothing is loaded from another host; the only addresses to other hosts in a page are
  content links (an organization's own website, a source's address).
- The CSS uses logical properties only (margin-inline-start, never margin-left).
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.http import StreamingHttpResponse
from django.test import Client

from tahaluf.organizations import services
from tahaluf.test import BaseTestCase

BUDGET_BYTES = 100 * 1024
HOST = "testserver"
SITE = f"http://{HOST}/"

# Tags and attributes whose URL the browser loads by itself when it shows the page.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("image", "href"),
    ("use", "href"),
}
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "mask-icon",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "data",
    "poster",
    "formaction",
    "cite",
    "background",
    "content",
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loaded: list[str] = []
        self.addresses: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in URL_ATTRIBUTES and value:
                self.addresses.append((tag, name, value))
        if tag == "link" and values.get("href"):
            if LOADING_RELS & set(values.get("rel", "").lower().split()):
                self.loaded.append(values["href"])
        for loaded_tag, attribute in LOADED:
            if tag == loaded_tag and values.get(attribute):
                value = values[attribute]
                if attribute == "srcset":
                    self.loaded += [part.split()[0] for part in value.split(",") if part.strip()]
                else:
                    self.loaded.append(value)
        if values.get("style"):
            self.inline_css.append(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_css.append(data)


def css_urls(text: str) -> list[str]:
    found = []
    for match in CSS_URL.finditer(text):
        url = (match.group(2) or match.group(4) or "").strip()
        if url and not url.startswith(("data:", "#")):
            found.append(url)
    return found


def is_same_host(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "mailto", "tel"):
        return True
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    return not parts.netloc or parts.netloc == HOST


def gzipped_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6))


# Physical-direction CSS -------------------------------------------------------------------

PHYSICAL = [
    re.compile(
        r"(?<![\w-])(margin|padding|border|scroll-margin|scroll-padding)-(left|right)"
        r"(-[\w-]+)?\s*:",
        re.I,
    ),
    re.compile(r"(?<![\w-])border-(top|bottom)-(left|right)-radius\s*:", re.I),
    re.compile(r"(?<![\w-])(left|right)\s*:", re.I),
    re.compile(r"(?<![\w-])(float|clear)\s*:\s*(left|right)\b", re.I),
    re.compile(r"(?<![\w-])text-align\s*:\s*(left|right)\b", re.I),
]
# margin/padding/inset with four values: the second is right and the fourth left.
FOUR_VALUES = re.compile(
    r"(?<![\w-])(margin|padding|inset|scroll-margin|scroll-padding)\s*:\s*([^;{}!]+)", re.I
)


def physical_properties(css: str) -> list[str]:
    """Every use of a physical (left/right) property or value in `css`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    problems = []
    for pattern in PHYSICAL:
        problems += [match.group(0).strip() for match in pattern.finditer(css)]
    for match in FOUR_VALUES.finditer(css):
        values = match.group(2).split()
        if len(values) == 4 and values[1] != values[3]:
            problems.append(match.group(0).strip())
    return problems


class PageWeightTests(BaseTestCase):
    website: str
    source_url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cast = cls.cast
        amal = cast.amal
        cls.website = "https://www.gucc-gaza.example.ps/"
        cls.source_url = "https://www.wafa.example.ps/news/2019/union"
        services.organization_update(
            actor=amal,
            organization=cast.gucc,
            data={
                "website": cls.website,
                "acronym": "GUCC",
                "other_names": ["اتحاد المراكز الثقافية", "General Union of Cultural Centres"],
                "description_ar": "يضم الاتحاد خمسة وخمسين مركزا ثقافيا في محافظات قطاع غزة.",
                "description_en": "The union brings together 55 cultural centres in Gaza.",
            },
            focus_areas=services.focus_areas_resolve(["ثقافة", "youth", "documentation"]),
        )
        services.source_attach(
            actor=amal,
            record=cast.gucc,
            source=None,
            source_data={
                "title": "الاتحاد العام للمراكز الثقافية",
                "url": cls.source_url,
                "published_on": None,
                "publisher": "وفا",
            },
            field="member_count",
            quote="55 مركزا ثقافيا",
        )
        # Full pages: more organizations and people than fit on one page of the directory,
        # the members of the union all listed on its profile.
        for number in range(1, settings.TAHALUF_PAGE_SIZE + 6):
            member = services.organization_create(
                actor=amal,
                data={
                    "name_ar": f"مركز الثقافة والفنون الشعبية رقم {number} في محافظة خان يونس",
                    "name_en": f"Centre for Culture and Popular Arts No. {number}, Khan Younis",
                    "kind": "ngo",
                    "country": "PS",
                    "city": "خان يونس",
                },
                is_published=True,
            )
            services.union_membership_create(actor=amal, union=cast.gucc, member=member, data={})
            person = services.person_create(
                actor=amal,
                data={
                    "name_ar": f"عضو مجلس الإدارة رقم {number}",
                    "name_en": f"Board member number {number}",
                },
                is_published=True,
            )
            services.position_create(
                actor=amal,
                person=person,
                organization=member,
                data={"title_ar": "رئيس مجلس الإدارة", "title_en": "Chair"},
            )

    def public_pages(self) -> list[str]:
        return [
            "/",
            "/organizations/",
            "/organizations/?kind=union&country=PS",
            f"/organizations/{self.cast.gucc.pk}/",
            f"/organizations/{self.cast.maat.pk}/",
            "/people/",
            f"/people/{self.cast.yousri.pk}/",
            "/accounts/login/",
        ]

    def client_in(self, language: str) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    def get_ok(self, client: Client, url: str) -> bytes:
        response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        # (The test client closes the response itself, once the content is read.)
        if isinstance(response, StreamingHttpResponse):
            return b"".join(response)  # its streaming_content, as the client wrapped it
        return response.content

    def weigh(self, client: Client, page: str) -> tuple[int, dict[str, int], PageParser]:
        """The page's compressed weight with everything it loads, and what it loads."""
        html = self.get_ok(client, page)
        parser = PageParser()
        parser.feed(html.decode())
        sizes = {page: gzipped_size(html)}
        queue = [urljoin(SITE + page.lstrip("/"), url) for url in parser.loaded]
        for css in parser.inline_css:
            queue += [urljoin(SITE + page.lstrip("/"), url) for url in css_urls(css)]
        while queue:
            url = queue.pop()
            self.assertTrue(is_same_host(url), f"{page} loads {url} from another host")
            path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
            if path in sizes:
                continue
            content = self.get_ok(client, path)
            sizes[path] = gzipped_size(content)
            if path.split("?")[0].endswith(".css"):
                queue += [urljoin(url, found) for found in css_urls(content.decode())]
        return sum(sizes.values()), sizes, parser

    def test_it_keeps_every_public_page_under_100_kb_with_what_it_loads(self) -> None:
        for language in ("ar", "en"):
            client = self.client_in(language)
            for page in self.public_pages():
                total, sizes, parser = self.weigh(client, page)
                self.assertLessEqual(total, BUDGET_BYTES, f"{page} in {language}: {sizes}")
                # The stylesheet is part of the sum: the weighing did follow what was loaded.
                self.assertIn(
                    f"{settings.STATIC_URL}css/tahaluf.css",
                    {path.split("?")[0] for path in sizes},
                    page,
                )

    def test_it_counts_what_a_page_loads_in_its_weight(self) -> None:
        client = self.client_in("ar")
        total, sizes, _parser = self.weigh(client, "/")
        css = self.get_ok(client, f"{settings.STATIC_URL}css/tahaluf.css")
        self.assertEqual(set(sizes), {"/", f"{settings.STATIC_URL}css/tahaluf.css"})
        self.assertEqual(total, sizes["/"] + gzipped_size(css))
        self.assertGreater(sizes["/"], 500)

    def test_it_loads_nothing_from_another_host_and_links_out_only_in_content(self) -> None:
        allowed = {self.website, self.source_url}
        seen_content_links = set()
        for language in ("ar", "en"):
            client = self.client_in(language)
            for page in self.public_pages():
                _total, sizes, parser = self.weigh(client, page)
                for url in parser.loaded:
                    self.assertTrue(is_same_host(url), f"{page} loads {url}")
                for tag, attribute, value in parser.addresses:
                    if attribute == "content" and "://" not in value:
                        continue  # <meta content="width=device-width, …">
                    if is_same_host(urljoin(SITE + page.lstrip("/"), value)):
                        continue
                    self.assertEqual(tag, "a", f"{page}: <{tag} {attribute}={value}>")
                    self.assertIn(value, allowed, f"{page} links to another host")
                    seen_content_links.add(value)
        # The profile does show its content links (so the check above saw real outside links).
        self.assertEqual(seen_content_links, allowed)

    def test_it_spots_another_host(self) -> None:
        self.assertTrue(is_same_host("/static/css/tahaluf.css"))
        self.assertTrue(is_same_host("http://testserver/static/x.css"))
        self.assertFalse(is_same_host("https://cdn.example.net/npm/htmx.org"))
        self.assertFalse(is_same_host("//fonts.googleapis.com/css"))
        parser = PageParser()
        parser.feed(
            '<link rel="stylesheet" href="https://cdn.example/x.css">'
            '<script src="/static/a.js"></script><img srcset="/a.png 1x, /b.png 2x">'
            "<div style=\"background: url('https://img.example/bg.png')\"></div>"
        )
        self.assertEqual(
            parser.loaded, ["https://cdn.example/x.css", "/static/a.js", "/a.png", "/b.png"]
        )
        self.assertEqual(css_urls(" ".join(parser.inline_css)), ["https://img.example/bg.png"])

    # Logical properties only ----------------------------------------------------------------

    def stylesheets(self) -> list[Path]:
        files = sorted(
            path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*.css")
        )
        self.assertIn(Path(settings.BASE_DIR) / "static" / "css" / "tahaluf.css", files)
        return files

    def test_it_uses_logical_properties_only_in_the_css(self) -> None:
        for path in self.stylesheets():
            self.assertEqual(physical_properties(path.read_text()), [], path)

    def test_it_uses_logical_properties_only_in_style_attributes_of_templates(self) -> None:
        folders = [
            Path(settings.BASE_DIR) / "templates",
            *(Path(settings.BASE_DIR) / "tahaluf").glob("*/templates"),
        ]
        checked = 0
        for folder in folders:
            for path in folder.rglob("*.html"):
                parser = PageParser()
                parser.feed(path.read_text())
                for css in parser.inline_css:
                    self.assertEqual(physical_properties(css), [], path)
                checked += 1
        self.assertGreater(checked, 10)

    def test_it_spots_physical_properties(self) -> None:
        css = """/* margin-left: in a comment is fine */
        .a { margin-left: 1rem; padding-right: 2px; border-left: 1px solid; }
        .b { float: right; text-align: left; left: 0; border-top-right-radius: 3px; }
        .c { margin: 0 1rem 0 2rem; clear: left; }
        .ok { margin-inline-start: 1rem; padding: .5rem 1rem; margin: 1px 2px 3px 2px;
              inset-inline-start: 0; text-align: start; float: inline-start; }"""
        self.assertEqual(
            physical_properties(css),
            [
                "margin-left:",
                "padding-right:",
                "border-left:",
                "border-top-right-radius:",
                "left:",
                "float: right",
                "clear: left",
                "text-align: left",
                "margin: 0 1rem 0 2rem",
            ],
        )
