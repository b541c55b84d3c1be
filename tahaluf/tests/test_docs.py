"""The documentation is tested: a test fails when an API operation, a setting or a command is
undocumented, or when the committed OpenAPI snapshot differs from the live schema."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.test import SimpleTestCase

from tahaluf.cli import build_parser
from tahaluf.lib.openapi_snapshot import SNAPSHOT, live_schema

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def read(name: str) -> str:
    path = DOCS / name
    if not path.is_file():
        raise AssertionError(f"docs/{name} is missing")
    return path.read_text(encoding="utf-8")


def mentions(text: str, phrase: str) -> bool:
    """`phrase` appears as a whole: TAHALUF_PAGE doesn't count for TAHALUF_PAGE_SIZE."""
    return re.search(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text) is not None


def subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """Every command path of the parser: "import", "token create", "token list", …"""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                path = (*prefix, name)
                nested = list(subcommands(child, path))
                yield from nested or [" ".join(path)]


class OpenApiSnapshotTests(SimpleTestCase):
    def test_it_matches_the_committed_snapshot(self) -> None:
        live = live_schema()
        committed = json.loads(read("openapi.json"))
        if committed == live:
            return
        changed = sorted(
            f"{section}: {name}"
            for section, live_part, old_part in (
                ("path", live["paths"], committed.get("paths", {})),
                (
                    "schema",
                    live.get("components", {}).get("schemas", {}),
                    committed.get("components", {}).get("schemas", {}),
                ),
            )
            for name in set(live_part) | set(old_part)
            if live_part.get(name) != old_part.get(name)
        )
        self.fail(
            "docs/openapi.json differs from the live schema of /api/v1/ "
            f"({', '.join(changed) or 'info or other top-level keys'}). If the API change is "
            "meant, refresh the snapshot with `make openapi`, and update docs/api.md."
        )

    def test_it_keeps_the_snapshot_in_its_canonical_form(self) -> None:
        from tahaluf.lib.openapi_snapshot import render

        text = SNAPSHOT.read_text(encoding="utf-8")
        self.assertEqual(
            text,
            render(json.loads(text)),
            "docs/openapi.json is not as `make openapi` writes it; run it.",
        )


class ApiDocsTests(SimpleTestCase):
    def test_it_documents_every_api_operation(self) -> None:
        text = read("api.md")
        missing = [
            f"{method.upper()} {path}"
            for path, operations in live_schema()["paths"].items()
            for method in operations
            if method in HTTP_METHODS and not mentions(text, f"{method.upper()} {path}")
        ]
        self.assertEqual(missing, [], "docs/api.md has no section for these operations")

    def test_it_documents_authentication_pagination_and_errors(self) -> None:
        text = read("api.md")
        for phrase in (
            "tahaluf token create",
            "Authorization: Bearer",
            "X-CSRFToken",
            "limit",
            "offset",
            "count",
            "422",
            "loc",
        ):
            with self.subTest(phrase=phrase):
                self.assertIn(phrase, text)


class SettingsDocsTests(SimpleTestCase):
    def test_it_documents_every_setting(self) -> None:
        source = (ROOT / "tahaluf" / "settings.py").read_text(encoding="utf-8")
        names = sorted(set(re.findall(r"[\"'](TAHALUF_[A-Z0-9_]+)[\"']", source)))
        self.assertTrue(names, "no TAHALUF_* setting found in tahaluf/settings.py")
        text = read("settings.md")
        missing = [name for name in names if not mentions(text, name)]
        self.assertEqual(missing, [], "docs/settings.md does not document these settings")


class CliDocsTests(SimpleTestCase):
    def test_it_documents_every_command(self) -> None:
        commands = list(subcommands(build_parser()))
        self.assertIn("token create", commands)
        text = read("cli.md")
        missing = [
            f"tahaluf {command}" for command in commands if not mentions(text, f"tahaluf {command}")
        ]
        self.assertEqual(missing, [], "docs/cli.md does not document these commands")
