"""The `tahaluf` command line. `tahaluf --help` lists the commands; docs/cli.md explains them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahaluf.settings")
    import django

    django.setup()


class ProgressBar:
    """A one-line progress bar on standard error, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.last_draw = 0.0
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and done < total and now - self.last_draw < 0.1:
            return
        if phase != self.phase and self.phase:
            self.stream.write("\n")
        self.phase = phase
        self.last_draw = now
        share = min(done / total, 1.0) if total else 1.0
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{phase:<10} [{bar}] {share * 100:5.1f}% {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        if self.phase:
            self.stream.write("\n")
            self.stream.flush()


def _actor(username: str | None) -> Any:
    from tahaluf.accounts.models import User

    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise SystemExit(f"error: no active user named {username!r}") from None


def cmd_import(args: argparse.Namespace) -> int:
    from django.utils import translation

    from tahaluf.lib.staging import StagingFailed
    from tahaluf.organizations.importing import (
        ImportInvalid,
        ImportNeedsConfirmation,
        import_organizations,
    )

    translation.activate(args.lang)
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    actor = _actor(args.as_user)
    bar = ProgressBar()
    try:
        report = import_organizations(
            path.read_bytes(),
            actor=actor,
            publish=args.publish,
            progress=bar,
            allow_duplicates=args.allow_duplicates,
        )
    except ImportNeedsConfirmation as waiting:
        bar.close()
        print(
            translation.gettext(
                "Nothing was imported. These new rows look like organizations already in the "
                "registry (import again with --allow-duplicates to create them anyway):"
            ),
            file=sys.stderr,
        )
        for duplicate in waiting.duplicates:
            print(
                "  "
                + translation.gettext(
                    "row %(row)s (%(external_id)s) %(name)s ≈ #%(pk)s %(other)s, score %(score)s"
                )
                % {
                    "row": duplicate.row,
                    "external_id": duplicate.external_id,
                    "name": duplicate.name,
                    "pk": duplicate.organization_id,
                    "other": duplicate.organization_name,
                    "score": f"{duplicate.score:.2f}",
                },
                file=sys.stderr,
            )
            for reason in duplicate.reason_texts():
                print(f"      - {reason}", file=sys.stderr)
        return 3
    except StagingFailed as failure:
        bar.close()
        print(
            translation.gettext(
                "Nothing was imported: the import's second process stopped on an error, and "
                "nothing was written. Its last words:"
            ),
            file=sys.stderr,
        )
        print("  " + (str(failure).strip().splitlines() or [""])[-1], file=sys.stderr)
        return 1
    except ImportInvalid as invalid:
        bar.close()
        print(translation.gettext("Nothing was imported. Problems:"), file=sys.stderr)
        for problem in invalid.problems:
            print(
                "  "
                + translation.gettext("row %(row)s, column %(column)s: %(message)s")
                % {
                    "row": problem.row,
                    "column": problem.column or "-",
                    "message": problem.message(),
                },
                file=sys.stderr,
            )
        return 1
    bar.close()
    from tahaluf.search.services import apply_pending

    indexing = ProgressBar()
    apply_pending(progress=indexing)
    indexing.close()
    print(
        translation.gettext(
            "%(total)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged"
        )
        % {
            "total": report.total,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tahaluf.organizations.importing import export_csv
    from tahaluf.organizations.models import Organization

    queryset = Organization.objects.all()
    if args.published_only:
        queryset = queryset.filter(is_published=True)
    destination = Path(args.file)
    temporary = destination.with_name(destination.name + ".partial")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        count = export_csv(stream, queryset)
    temporary.replace(destination)  # a crash never leaves a half-written export behind
    print(f"{count} organizations written to {destination}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from tahaluf.accounts.models import ApiToken, User
    from tahaluf.accounts.services import token_create, token_revoke

    if args.action == "create":
        try:
            user = User.objects.get(username=args.username)
            _token, key = token_create(actor=None, user=user, name=args.name or "")
        except User.DoesNotExist:
            print(f"error: no user named {args.username!r}", file=sys.stderr)
            return 1
        except ValidationError as error:
            print(f"error: {' '.join(error.messages)}", file=sys.stderr)
            return 1
        print(key)
        print("Keep this token secret; it is not shown again.", file=sys.stderr)
        return 0
    if args.action == "list":
        for token in ApiToken.objects.filter(user__username=args.username).order_by("created_at"):
            state = "revoked" if token.revoked_at else "active"
            print(f"{token.prefix}\t{state}\t{token.name}\t{token.created_at:%Y-%m-%d}")
        return 0
    tokens = ApiToken.objects.filter(prefix=args.prefix, revoked_at__isnull=True)
    if not tokens.exists():
        print(f"error: no active token starts with {args.prefix!r}", file=sys.stderr)
        return 1
    for token in tokens:
        token_revoke(actor=None, token=token)
    print("revoked")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from tahaluf.accounts.models import User
    from tahaluf.accounts.services import user_create, user_deactivate
    from tahaluf.organizations.models import Organization

    if args.action == "create":
        organization = None
        if args.organization:
            organization = Organization.objects.filter(external_id=args.organization).first()
            if organization is None and args.organization.isdigit():
                organization = Organization.objects.filter(pk=int(args.organization)).first()
            if organization is None:
                print(f"error: no organization {args.organization!r}", file=sys.stderr)
                return 1
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
        try:
            user = user_create(
                actor=None,
                username=args.username,
                password=password,
                role=args.role,
                organization=organization,
                email=args.email or "",
            )
        except ValidationError as error:
            print(f"error: {' '.join(error.messages)}", file=sys.stderr)
            return 1
        print(f"created {user.username} ({user.role})")
        return 0
    if args.action == "deactivate":
        try:
            user = User.objects.get(username=args.username)
        except User.DoesNotExist:
            print(f"error: no user named {args.username!r}", file=sys.stderr)
            return 1
        user_deactivate(actor=None, user=user)
        print(f"deactivated {user.username}; their sessions and tokens have ended")
        return 0
    for user in User.objects.order_by("username"):
        state = "active" if user.is_active else "deactivated"
        print(f"{user.username}\t{user.role}\t{user.organization or ''}\t{state}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from tahaluf.demo.loader import load_demo

    try:
        summary = load_demo(password=args.password)
    except RuntimeError as error:  # e.g. a user "amal" exists with another role
        print(f"error: {error}", file=sys.stderr)
        return 1
    for line in summary:
        print(line)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from django.utils import translation

    from tahaluf.search import services

    translation.activate(args.lang)
    words = list(args.words)
    if words == ["rebuild"]:
        bar = ProgressBar()
        count = services.rebuild(progress=bar)
        bar.close()
        print(f"{count} records indexed")
        return 0
    if words == ["check"]:
        report = services.check()
        print(
            f"{report.indexed} indexed, {report.expected} expected, {report.pending} were pending"
        )
        for label, keys in (
            ("missing", report.missing),
            ("extra", report.extra),
            ("stale", report.stale),
        ):
            if keys:
                print(f"{label}: {len(keys)} — {' '.join(keys[:20])}")
        if not report.ok:
            print(
                "The index differs from the database: run `tahaluf search rebuild`.",
                file=sys.stderr,
            )
            return 1
        print("ok")
        return 0
    text = " ".join(words)
    actor = _actor(args.as_user)
    results = services.search(
        user=actor, text=text, types=[args.type] if args.type else [], limit=args.limit
    )
    counts = ", ".join(f"{name} {count}" for name, count in sorted(results.counts.items()))
    print(f"{results.total} found ({counts or 'nothing'})")
    for number, hit in enumerate(results.hits, start=1):
        print(
            f"{number:>3}. [{hit.type} {hit.object_id}] {hit.title}"
            + (f" — {hit.subtitle}" if hit.subtitle else "")
            + f"  ({hit.score:.2f})"
        )
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.utils import translation

    from tahaluf.organizations.models import Organization
    from tahaluf.search import duplicates

    translation.activate(args.lang)
    if args.rebuild_keys:
        bar = ProgressBar()
        count = duplicates.rebuild_keys(progress=bar)
        bar.close()
        print(f"{count} terms of {Organization.objects.count()} organizations written")
        return 0
    min_score = (
        args.min_score if args.min_score is not None else settings.TAHALUF_DUPLICATE_REVIEW_SCORE
    )
    if not 0 <= min_score <= 1:
        print("error: --min-score is between 0 and 1", file=sys.stderr)
        return 2
    bar = ProgressBar()
    found = duplicates.candidates(min_score, progress=bar)
    bar.close()
    shown = found[: args.limit] if args.limit else found
    names = Organization.objects.in_bulk(
        {pk for candidate in shown for pk in (candidate.a, candidate.b)}
    )

    def label(pk: int) -> str:
        organization = names.get(pk)
        return f"#{pk} {organization.name if organization else '?'}"

    print(
        translation.gettext("%(count)s pairs scoring %(score)s or more")
        % {"count": len(found), "score": f"{min_score:.2f}"}
    )
    for candidate in shown:
        print(f"{candidate.score:.3f}  {label(candidate.a)}  ≈  {label(candidate.b)}")
        for reason in candidate.reason_texts():
            print(f"       - {reason}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("db_worker", *args.worker_args)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tahaluf manage", *args.manage_args])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tahaluf", description="Tahaluf: the registry of alliances and networks."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("import", help="import records from a CSV file")
    p.add_argument("kind", choices=["organizations"])
    p.add_argument("file")
    p.add_argument("--publish", action="store_true", help="publish the new records")
    p.add_argument("--as", dest="as_user", help="username recorded in the history")
    p.add_argument("--lang", choices=["ar", "en"], default="en", help="language of messages")
    p.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="write new rows even if they look like organizations already there",
    )
    p.set_defaults(func=cmd_import)

    p = commands.add_parser("export", help="export records to a CSV file")
    p.add_argument("kind", choices=["organizations"])
    p.add_argument("file")
    p.add_argument("--published-only", action="store_true")
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("token", help="API tokens: create, list, revoke")
    token_actions = p.add_subparsers(dest="action", required=True)
    t = token_actions.add_parser("create", help="make a token for a user and print it once")
    t.add_argument("username")
    t.add_argument("--name", help="what the token is for")
    t = token_actions.add_parser("list", help="list a user's tokens")
    t.add_argument("username")
    t = token_actions.add_parser("revoke", help="revoke a token by its prefix")
    t.add_argument("prefix")
    p.set_defaults(func=cmd_token)

    p = commands.add_parser("user", help="accounts: create, deactivate, list")
    user_actions = p.add_subparsers(dest="action", required=True)
    u = user_actions.add_parser("create", help="create an account")
    u.add_argument("username")
    u.add_argument("--role", choices=["secretariat", "editor", "viewer"], default="viewer")
    u.add_argument("--organization", help="external_id or id of the editor's organization")
    u.add_argument("--email")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u = user_actions.add_parser("deactivate", help="deactivate and sign out everywhere")
    u.add_argument("username")
    user_actions.add_parser("list", help="list accounts")
    p.set_defaults(func=cmd_user)

    p = commands.add_parser(
        "search",
        help="search records; `search rebuild` and `search check` keep the index",
        description="`tahaluf search WORDS…` searches as the public (or --as USERNAME sees); "
        "`tahaluf search rebuild` rebuilds the index from the database; `tahaluf search "
        "check` compares them and exits 1 if they differ.",
    )
    p.add_argument("words", nargs="+", help="what to look for, or rebuild, or check")
    p.add_argument("--type", help="only this kind of record: organization, person, …")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--as", dest="as_user", help="search as this user (default: the public)")
    p.add_argument("--lang", choices=["ar", "en"], default="ar", help="language of titles")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser(
        "duplicates",
        help="list pairs of organizations that are probably one",
        description="Compares every organization with the others that share its rarest "
        "words (docs/duplicates.md) and lists the pairs scoring at least --min-score, best "
        "first, with the reasons.",
    )
    p.add_argument(
        "--min-score",
        type=float,
        help="lowest score listed (default: TAHALUF_DUPLICATE_REVIEW_SCORE)",
    )
    p.add_argument("--limit", type=int, default=50, help="pairs printed (0: all)")
    p.add_argument("--lang", choices=["ar", "en"], default="en", help="language of reasons")
    p.add_argument(
        "--rebuild-keys",
        action="store_true",
        help="rebuild the terms the per-record lookup uses, then stop",
    )
    p.set_defaults(func=cmd_duplicates)

    p = commands.add_parser("demo", help="load the demo data built from the five seed texts")
    p.add_argument("--password", help="password for the demo users (default: a fixed demo one)")
    p.set_defaults(func=cmd_demo)

    p = commands.add_parser("worker", help="run the background worker (imports)")
    p.add_argument("worker_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_worker)

    p = commands.add_parser("manage", help="run a Django management command (migrate, …)")
    p.add_argument("manage_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_django()
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
