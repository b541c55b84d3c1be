"""The Arabic interface is complete: every string is in the Arabic catalogue and translated,
the catalogue compiles with its placeholders intact, and pages rendered in Arabic show Arabic.

The first test runs `makemessages` on a copy of the source tree, so that a string added to the
code but not yet to locale/ar/LC_MESSAGES/django.po fails it, and the working tree is left
untouched. To fix a failure: run the `makemessages` command printed in the failure, translate
what it lists in locale/ar/LC_MESSAGES/django.po, and run `make messages` to compile it.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tahaluf.organizations import services
from tahaluf.test import BaseTestCase

ROOT = Path(settings.BASE_DIR)
PO_PATH = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = [
    "manage.py",
    "makemessages",
    "-l",
    "ar",
    "--no-location",
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=bench",
]
# What `makemessages` reads: the Python package, the project templates, and the catalogue it
# merges new strings into.
SOURCE_TREE = ("tahaluf", "templates", "locale", "manage.py")
ARABIC_NPLURALS = 6
# In Arabic plural forms 0, 1 and 2 (zero, one, two) the word itself may say the number
# ("منظمة واحدة", "منظمتان"), so these forms may leave the count placeholder out.
FORMS_THAT_MAY_OMIT_THE_NUMBER = {0, 1, 2}

PLACEHOLDER = re.compile(
    r"%%"  # a literal percent sign, not a placeholder
    r"|%\((?P<name>\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%[#0\- +]*\d*(?:\.\d+)?(?P<positional>[diouxXeEfFgGcrsa])"
)
BRACE_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<name>[^{}]*)\}")


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is not installed; `make system-deps` installs it."
    return path


def _entries(po: polib.POFile) -> Iterator[polib.POEntry]:
    return (entry for entry in po if not entry.obsolete and entry.msgid)


def _nplurals(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 0


def _describe(entry: polib.POEntry) -> str:
    text = entry.msgid if not entry.msgid_plural else f"{entry.msgid} | {entry.msgid_plural}"
    return repr(text)


def placeholders(text: str, flags: list[str]) -> list[str]:
    """The placeholders of one message, as a sorted list (positional ones keep their order
    and count, since they are filled in order)."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        if match.group("name"):
            found.append(f"%({match.group('name')})")
        elif match.group("positional"):
            found.append(f"%{match.group('positional')}")
    if "python-brace-format" in flags:
        found += [
            f"{{{m.group('name')}}}"
            for m in BRACE_PLACEHOLDER.finditer(text)
            if m.group("name") is not None
        ]
    named = sorted({item for item in found if item.startswith(("%(", "{"))})
    positional = [item for item in found if not item.startswith(("%(", "{"))]
    return named + positional


def untranslated(po: polib.POFile) -> list[str]:
    """Every entry that would show English (or nothing) in the Arabic interface."""
    nplurals = _nplurals(po)
    problems = []
    for entry in _entries(po):
        if "fuzzy" in entry.flags:
            problems.append(
                f"fuzzy (check the translation, then remove the flag): {_describe(entry)}"
            )
        elif entry.msgid_plural:
            forms = entry.msgstr_plural
            empty = [index for index in range(nplurals) if not forms.get(index, "").strip()]
            if empty or len(forms) != nplurals:
                problems.append(
                    f"plural forms {empty or sorted(forms)} empty or missing "
                    f"(Arabic needs all {nplurals}): {_describe(entry)}"
                )
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {_describe(entry)}")
    return problems


def placeholder_mismatches(po: polib.POFile) -> list[str]:
    problems = []
    for entry in _entries(po):
        if "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural, entry.flags)
            allowed = set(expected) | set(placeholders(entry.msgid, entry.flags))
            for index, text in sorted(entry.msgstr_plural.items()):
                if not text:
                    continue
                got = placeholders(text, entry.flags)
                extra = set(got) - allowed
                missing = set(expected) - set(got)
                if index in FORMS_THAT_MAY_OMIT_THE_NUMBER and len(missing) == 1:
                    missing = set()
                if extra or missing:
                    problems.append(
                        f"msgstr[{index}] of {_describe(entry)}: has {sorted(got)}, "
                        f"expected {sorted(expected)}"
                    )
        elif entry.msgstr:
            expected = placeholders(entry.msgid, entry.flags)
            got = placeholders(entry.msgstr, entry.flags)
            if expected != got:
                problems.append(f"{_describe(entry)}: msgstr has {got}, msgid has {expected}")
    return problems


def test_it_has_every_string_of_the_interface_translated_in_arabic(tmp_path: Path) -> None:
    _gettext_tool("xgettext")
    _gettext_tool("msgmerge")
    for name in SOURCE_TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                tmp_path / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
            )
        else:
            shutil.copy2(source, tmp_path / name)
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tahaluf.settings",
        "TAHALUF_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, *MAKEMESSAGES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    po = polib.pofile(str(tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    assert len(list(_entries(po))) > 100, "makemessages found almost no strings"
    problems = untranslated(po)
    assert not problems, (
        f"{len(problems)} string(s) of the interface are missing from or untranslated in the "
        f"Arabic catalogue. Run `{Path(sys.executable).name} {' '.join(MAKEMESSAGES)}`, "
        "translate them in locale/ar/LC_MESSAGES/django.po, then `make messages`:\n  "
        + "\n  ".join(problems)
    )


def test_it_compiles_the_arabic_catalogue_with_its_placeholders_intact(tmp_path: Path) -> None:
    msgfmt = _gettext_tool("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"msgfmt --check-format failed:\n{result.stderr}"

    po = polib.pofile(str(PO_PATH))
    assert po.metadata.get("Language") == "ar"
    assert po.metadata.get("Project-Id-Version", "").startswith("Tahaluf")
    assert not po.metadata_is_fuzzy, "the catalogue header is still marked fuzzy"
    assert _nplurals(po) == ARABIC_NPLURALS, po.metadata.get("Plural-Forms")
    problems = placeholder_mismatches(po)
    assert not problems, "placeholders differ between English and Arabic:\n  " + "\n  ".join(
        problems
    )


def test_it_accepts_a_catalogue_only_when_placeholders_match() -> None:
    """The checker itself: it catches a lost, a renamed and an invented placeholder."""
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=6; plural=0;"}
    flags = ["python-format"]
    po.append(polib.POEntry(msgid="Edit %(name)s", msgstr="تعديل %(name)s", flags=flags))
    po.append(polib.POEntry(msgid="Edit %(name)s!", msgstr="تعديل", flags=flags))
    po.append(polib.POEntry(msgid="Row %(row)s", msgstr="الصف %(line)s", flags=flags))
    po.append(polib.POEntry(msgid="100%% sure", msgstr="متأكد 100%%", flags=flags))
    po.append(
        polib.POEntry(
            msgid="%(counter)s organization",
            msgid_plural="%(counter)s organizations",
            flags=flags,
            msgstr_plural={
                0: "لا منظمات",
                1: "منظمة واحدة",
                2: "منظمتان",
                3: "%(counter)s منظمات",
                4: "%(counter)s منظمة",
                5: "منظمة",
            },
        )
    )
    problems = placeholder_mismatches(po)
    assert len(problems) == 3, problems
    assert "Edit %(name)s!" in problems[0]
    assert "Row %(row)s" in problems[1]
    assert problems[2].startswith("msgstr[5]")

    po.append(polib.POEntry(msgid="Save", msgstr=""))
    po.append(polib.POEntry(msgid="Next", msgstr="التالي", flags=["fuzzy"]))
    po.append(
        polib.POEntry(
            msgid="%(n)s row", msgid_plural="%(n)s rows", msgstr_plural={0: "صف", 1: "صف"}
        )
    )
    assert len(untranslated(po)) == 3


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes, outside
    <script>, <style>, <code> and anything marked lang="en" (such as an English name)."""

    SKIPPED = {"script", "style", "code"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its content skipped?
        self.texts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = self.skipping or tag in self.SKIPPED or values.get("lang") == "en"
        if not skip:
            self.texts += [values[name] or "" for name in self.LABELS if values.get(name)]
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


def _message_pattern(msgid: str) -> re.Pattern[str] | None:
    """A pattern that matches the English message as rendered (whitespace collapsed), whatever
    fills its placeholders; None for a message with no English words of its own."""
    text = " ".join(msgid.split())
    pieces, literal, position = [], [], 0
    for match in PLACEHOLDER.finditer(text):
        literal.append(text[position : match.start()])
        pieces.append(re.escape(text[position : match.start()]))
        pieces.append(re.escape("%") if match.group(0) == "%%" else ".+")
        position = match.end()
    literal.append(text[position:])
    pieces.append(re.escape(text[position:]))
    if not re.search(r"[A-Za-z]{2}", "".join(literal)):
        return None
    return re.compile("".join(pieces))


class ArabicPagesTest(BaseTestCase):
    """Pages rendered in Arabic, from the committed catalogue compiled afresh."""

    english_messages: list[tuple[str, re.Pattern[str]]]
    _locale_dir: tempfile.TemporaryDirectory[str]
    _locale_override: override_settings

    @classmethod
    def setUpClass(cls) -> None:
        cls._locale_dir = tempfile.TemporaryDirectory()
        target = Path(cls._locale_dir.name) / "ar" / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(
            [_gettext_tool("msgfmt"), "-o", str(target / "django.mo"), str(PO_PATH)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        cls._locale_override = override_settings(LOCALE_PATHS=[cls._locale_dir.name])
        cls._locale_override.enable()
        super().setUpClass()
        po = polib.pofile(str(PO_PATH))
        cls.english_messages = []
        for entry in _entries(po):
            for msgid, msgstr in ((entry.msgid, entry.msgstr), (entry.msgid_plural, None)):
                if not msgid or msgid == msgstr:
                    continue
                pattern = _message_pattern(msgid)
                if pattern is not None:
                    cls.english_messages.append((msgid, pattern))

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._locale_override.disable()
        cls._locale_dir.cleanup()

    def page(
        self, url: str, *, language: str | None = None, user: str = "anonymous", status: int = 200
    ) -> str:
        client = self.client_for(user)
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def english_left_in(self, html: str) -> list[str]:
        found = []
        for text in visible_texts(html):
            for msgid, pattern in self.english_messages:
                if pattern.fullmatch(text):
                    found.append(f"{text!r} (msgid {msgid!r})")
        return found

    def test_it_shows_the_home_page_in_arabic_by_default_and_when_chosen(self) -> None:
        for language in (None, "ar"):
            html = self.page("/", language=language)
            self.assertIn('lang="ar"', html)
            self.assertIn('dir="rtl"', html)
            self.assertIn("تحالف", html)
            for english in ("Organizations", "People", "Sign in", "Find an organization"):
                self.assertNotIn(english, html)
            self.assertEqual(self.english_left_in(html), [])

    def test_it_shows_the_home_page_in_english_when_chosen(self) -> None:
        html = self.page("/", language="en")
        self.assertIn('lang="en"', html)
        self.assertIn('dir="ltr"', html)
        for english in ("Organizations", "People", "Sign in", "Find an organization"):
            self.assertIn(english, html)
        self.assertNotIn("المنظمات", html)

    def test_it_leaves_no_english_message_on_the_arabic_pages(self) -> None:
        cast = self.cast
        gucc, maat, yousri, ayman = cast.gucc.pk, cast.maat.pk, cast.yousri.pk, cast.ayman.pk
        pages = [
            ("anonymous", reverse("home"), 200),
            ("anonymous", reverse("organizations:list"), 200),
            ("anonymous", reverse("organizations:list") + "?kind=union&page=1", 200),
            ("anonymous", reverse("organizations:detail", args=[gucc]), 200),
            ("anonymous", reverse("organizations:person_list"), 200),
            ("anonymous", reverse("organizations:person_detail", args=[yousri]), 200),
            ("anonymous", reverse("accounts:login"), 200),
            ("anonymous", "/no-such-page/", 404),
            ("dina", reverse("home"), 200),
            ("badr", reverse("organizations:edit", args=[gucc]), 200),
            ("amal", reverse("organizations:list"), 200),
            ("amal", reverse("organizations:create"), 200),
            ("amal", reverse("organizations:edit", args=[maat]), 200),
            ("amal", reverse("organizations:import"), 200),
            ("amal", reverse("organizations:add_member", args=[gucc]), 200),
            ("amal", reverse("organizations:add_position", args=[gucc]), 200),
            ("amal", reverse("organizations:add_source", args=[gucc]), 200),
            ("amal", reverse("organizations:person_list"), 200),
            ("amal", reverse("organizations:person_create"), 200),
            ("amal", reverse("organizations:person_edit", args=[ayman]), 200),
            ("amal", reverse("organizations:person_add_source", args=[ayman]), 200),
            ("amal", reverse("accounts:account"), 200),
            ("amal", reverse("accounts:user_list"), 200),
            ("amal", reverse("accounts:user_create"), 200),
        ]
        problems = []
        for user, url, status in pages:
            html = self.page(url, language="ar", user=user, status=status)
            problems += [f"{url} ({user}): {text}" for text in self.english_left_in(html)]
        assert not problems, "English left on Arabic pages:\n  " + "\n  ".join(problems)

    def test_it_labels_every_field_of_the_history_in_arabic(self) -> None:
        cast = self.cast
        services.union_membership_create(
            actor=cast.amal,
            union=cast.gucc,
            member=cast.maat,
            data={"start_date": datetime.date(2020, 1, 1)},
        )
        services.organization_update(
            actor=cast.amal, organization=cast.gucc, data={"city": "خان يونس", "founded_year": 1998}
        )
        problems = []
        for url in (
            reverse("organizations:detail", args=[cast.gucc.pk]),
            reverse("organizations:detail", args=[cast.maat.pk]),
            reverse("organizations:person_detail", args=[cast.yousri.pk]),
        ):
            html = self.page(url, language="ar", user="amal")
            history = html[html.index('id="history"') :]
            labels = re.findall(r"<tr><td>(.*?)</td>", history)
            self.assertTrue(labels, url)
            problems += [
                f"{url}: {label!r}" for label in labels if not re.search("[\u0600-\u06ff]", label)
            ]
        assert not problems, "history fields named in English:\n  " + "\n  ".join(problems)

    def test_it_shows_form_errors_in_arabic(self) -> None:
        client = self.client_for("amal")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
        response = client.post(
            reverse("organizations:create"), {"kind": "ngo", "founded_year": "3000"}
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        with translation.override("ar"):
            message = translation.gettext("Give a name in Arabic or in English.")
        self.assertRegex(message, "[\u0600-\u06ff]")
        self.assertIn(message, html)
        self.assertEqual(self.english_left_in(html), [])
