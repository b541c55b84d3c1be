"""What makes the import and the directory fast at 100,000 organizations (docs/benchmarks.md)
must not change what they do: these tests pin the shortcuts to the behaviour they replace."""

from __future__ import annotations

import gc
import json
from itertools import product
from unittest import mock, skipUnless

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.db import DatabaseError, connection
from django.db.models import Q, QuerySet
from django.forms import ChoiceField
from django.test import SimpleTestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from tahaluf.accounts import permissions
from tahaluf.audit.models import Change
from tahaluf.audit.services import history_for
from tahaluf.lib.paging import FromEitherEndPaginator
from tahaluf.organizations import importing
from tahaluf.organizations.forms import DirectoryFilterForm
from tahaluf.organizations.importing import PLAIN_URL, import_organizations
from tahaluf.organizations.models import Organization, in_city
from tahaluf.test import BaseTestCase

HEADER = ",".join(importing.COLUMNS) + "\n"


def csv_bytes(rows: list[str]) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


class PlainWebAddressShapeTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(PLAIN_URL, fullmatch=True))
    def test_it_skips_django_only_for_addresses_django_accepts(self, address: str) -> None:
        if len(address) <= 253:
            URLValidator()(address)  # raises if the shortcut would let a bad address through


class PlainWebAddressTests(BaseTestCase):
    def test_it_still_sends_every_other_address_through_django(self) -> None:
        for address in (
            "https://exa mple.org",
            "http://",
            "ftp://files.example.org/x",
            "https://[::1]/",
            "https://مثال.فلسطين",
            "https://-bad.org",
            "javascript:alert(1)",
            "https://example.org:8080/",
        ):
            self.assertIsNone(PLAIN_URL.fullmatch(address), address)
        rows = [
            f"w-{n},اسم,,,ngo,,,,,,{address},"
            for n, address in enumerate(("https://exa mple.org", "https://-bad.org"))
        ]
        with self.assertRaises(importing.ImportInvalid) as raised:
            import_organizations(csv_bytes(rows), actor=self.cast.amal)
        self.assertEqual([p.code for p in raised.exception.problems], ["url", "url"])
        for address in ("ftp://files.example.org/x", "https://[::1]/", "https://مثال.فلسطين"):
            URLValidator()(address)  # these are valid, through the slow path
        try:
            import_organizations(
                csv_bytes(["ok-1,اسم,,,ngo,,,,,,https://مثال.فلسطين,"]), actor=self.cast.amal
            )
        except importing.ImportInvalid:  # pragma: no cover
            self.fail("a valid address was refused")


class BulkWriteTests(BaseTestCase):
    def test_it_writes_the_same_record_as_the_orm_with_defaults_and_history(self) -> None:
        report = import_organizations(
            csv_bytes(
                [
                    "b-1,جمعية الشباب,Youth Society,YS,ngo,PS,غزة,1990,12+,,"
                    "https://youth.example.org/,شباب|advocacy"
                ]
            ),
            actor=self.cast.amal,
            publish=True,
        )
        self.assertEqual(report.created, 1)
        youth = Organization.objects.get(external_id="b-1")
        self.assertEqual(
            (youth.other_names, youth.description_ar, youth.description_en), ([], "", "")
        )
        self.assertEqual((youth.sort_ar, youth.sort_en), ("جمعية الشباب", "youth society"))
        self.assertEqual((youth.member_count, youth.member_count_at_least), (12, True))
        self.assertTrue(youth.is_published)
        self.assertEqual(youth.created_by, self.cast.amal)
        entry = history_for(youth).get()
        self.assertEqual(
            (entry.action, entry.actor, entry.object_repr),
            ("import", self.cast.amal, "جمعية الشباب"),
        )
        self.assertEqual(youth.created_at, entry.at)
        self.assertEqual(youth.updated_at, entry.at)
        self.assertEqual(entry.changes["focus_areas"], [None, ["advocacy", "شباب"]])
        self.assertEqual(
            sorted(youth.focus_areas.values_list("key", flat=True)), ["advocacy", "شباب"]
        )

    def test_it_finds_existing_records_whether_it_reads_the_table_or_asks_by_id(self) -> None:
        rows = [f"s-{n},منظمة {n},,,ngo,PS,,,,,," for n in range(30)]
        import_organizations(csv_bytes(rows), actor=self.cast.amal)
        # A small file against a larger table asks by id; a large file reads the table.
        for file_rows in (rows[:3], rows):
            changed = [row.replace(",PS,", ",EG,") for row in file_rows]
            before = Change.objects.count()
            report = import_organizations(csv_bytes(changed), actor=self.cast.amal)
            self.assertEqual(report.updated + report.unchanged, len(file_rows))
            again = import_organizations(csv_bytes(changed), actor=self.cast.amal)
            self.assertEqual((again.created, again.updated), (0, 0))
            self.assertEqual(Change.objects.count(), before + report.updated)
        self.assertEqual(
            Organization.objects.filter(external_id__startswith="s-", country="EG").count(), 30
        )

    def test_it_gives_new_records_keys_no_record_ever_had(self) -> None:
        last = Organization.objects.create(name_ar="أخيرة")
        deleted_pk = last.pk
        last.delete()
        import_organizations(
            csv_bytes(["k-1,جمعية أولى,,,ngo,,,,,,,", "k-2,جمعية ثانية,,,ngo,,,,,,,"]),
            actor=self.cast.amal,
        )
        first, second = Organization.objects.filter(external_id__in=["k-1", "k-2"]).order_by(
            "external_id"
        )
        self.assertGreater(first.pk, deleted_pk)
        self.assertEqual(second.pk, first.pk + 1)
        # The database's own key sequence has moved past them.
        self.assertGreater(Organization.objects.create(name_ar="بعدها").pk, second.pk)
        self.assertEqual(set(history_for(second).values_list("object_id", flat=True)), {second.pk})

    @skipUnless(connection.vendor == "sqlite", "SQLite's page cache")
    def test_it_gives_the_connection_its_page_cache_back(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
        import_organizations(csv_bytes(["c-1,اسم,,,ngo,,,,,,,"]), actor=self.cast.amal)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self.assertEqual(cursor.fetchone()[0], before)


class FastValidationTests(SimpleTestCase):
    """Most rows take a short cut through validation (`_clean`); it must accept exactly the
    rows that the full check (`_checked`) accepts, with the same values."""

    CELLS = {
        "external_id": ["x-1", "", " x-2 ", "x" * 101],
        "name_ar": ["جمعية الشباب", "", " بلدية الخليل ", "ا" * 301],
        "name_en": ["Youth", "", "E" * 301],
        "acronym": ["", "YS", "A" * 51],
        "kind": ["ngo", "NGO", "", "club", " union "],
        "country": ["PS", "ps", "", "XX", "P"],
        "city": ["غزة", "", "c" * 151],
        "founded_year": ["", "1990", "٢٠١٠", "1799", "3000", "19x0", "-5"],
        "member_count": ["", "55", "120+", "+3", "1.5", "٥٥"],
        "partner_count": ["", "7", "7++", "x"],
        "website": ["", "https://youth.example.org/", "youth.org", "https://مثال.فلسطين/"],
        "focus_areas": ["", "شباب|advocacy", "| شباب ||", "a" * 101],
    }

    @settings(max_examples=600, deadline=None)
    @given(st.fixed_dictionaries({name: st.sampled_from(v) for name, v in CELLS.items()}))
    def test_the_short_cut_agrees_with_the_full_check(self, values: dict[str, str]) -> None:
        validator = importing._Validator(list(importing.COLUMNS))
        cells = [values[name] for name in importing.COLUMNS] + [""]
        problems: list[importing.RowProblem] = []
        checked = validator._checked(2, cells, problems)
        clean = validator._clean(cells)
        if clean is None:
            self.assertTrue(problems, values)
        else:
            self.assertEqual(problems, [])
            self.assertEqual(clean, checked)

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.fixed_dictionaries({name: st.sampled_from(v) for name, v in CELLS.items()}),
            min_size=1,
            max_size=6,
        )
    )
    def test_a_column_at_a_time_agrees_with_a_row_at_a_time(
        self, rows: list[dict[str, str]]
    ) -> None:
        header = list(importing.COLUMNS)
        records = [[values[name] for name in header] for values in rows]
        numbers = list(range(2, len(records) + 2))
        problems: list[importing.RowProblem] = []
        by_row = importing._Validator(header)
        expected = []
        for number, cells in zip(numbers, records, strict=True):
            clean = by_row.row(number, cells, problems)
            if clean:
                expected.append({**clean, "_row": number})
        by_column = importing._Validator(header).all_rows(records, numbers)
        if by_column is None:
            self.assertTrue(problems, rows)
        else:
            self.assertEqual(problems, [])
            self.assertEqual(importing.CleanRows(by_column).dicts(), expected)

    def test_a_column_at_a_time_reads_a_file_without_some_columns(self) -> None:
        header = ["external_id", "kind", "name_en", "city"]
        records = [["x-1", "NGO", " Youth ", "غزة"], ["x-2", "ngo", "Club"]]
        columns = importing._Validator(header).all_rows(records, [2, 4])
        assert columns is not None
        rows = importing.CleanRows(columns)
        self.assertEqual(
            (rows[0]["kind"], rows[0]["name_en"], rows[0]["country"], rows[0]["focus_areas"]),
            ("ngo", "Youth", "", []),
        )
        self.assertEqual((rows[1]["external_id"], rows[1]["city"], rows[1]["_row"]), ("x-2", "", 4))

    def test_it_still_reports_an_external_id_used_twice(self) -> None:
        validator = importing._Validator(list(importing.COLUMNS))
        problems: list[importing.RowProblem] = []
        row = ["x-1", "اسم", "", "", "ngo", "", "", "", "", "", "", ""]
        self.assertTrue(validator.row(2, row, problems))
        self.assertEqual(validator.row(3, row, problems), {})
        self.assertEqual(
            [(p.row, p.column, p.code) for p in problems], [(3, "external_id", "duplicate_id")]
        )


class HistoryJsonTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(
        st.fixed_dictionaries(
            {
                name: st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(0, 10**8),
                    st.text(max_size=12),
                    st.lists(st.text(max_size=6), max_size=3),
                )
                for name in importing.HISTORY_FIELDS
            }
        )
    )
    def test_it_writes_what_json_would_write(self, row: dict[str, object]) -> None:
        expected = {
            name: [None, value]
            for name, value in row.items()
            if value is not None and value is not False and value != "" and value != []
        }
        self.assertEqual(json.loads(importing.history_json(row)), expected)

    def test_it_keeps_arabic_and_escapes_what_json_must(self) -> None:
        text = importing.history_json(
            {
                **dict.fromkeys(importing.HISTORY_FIELDS, ""),
                "name_ar": 'جمعية "النور"\\\n',
                "member_count": 0,
            }
        )
        self.assertIn("جمعية", text)
        self.assertEqual(
            json.loads(text), {"name_ar": [None, 'جمعية "النور"\\\n'], "member_count": [None, 0]}
        )


def index_definitions() -> set[tuple[str, str]]:
    tables = importing.BULK_TABLES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
            f"({', '.join(['%s'] * len(tables))})",
            list(tables),
        )
        return set(cursor.fetchall())


@skipUnless(connection.vendor == "sqlite", "SQLite's index rebuild")
class IndexRebuildTests(TransactionTestCase):
    """A first large import drops the indexes of the tables it fills and builds them again."""

    def test_it_builds_the_same_indexes_again_and_writes_every_row(self) -> None:
        before = index_definitions()
        rows = [f"r-{n},جمعية {n},Society {n},,ngo,PS,غزة,,,,,شباب|advocacy" for n in range(40)]
        with (
            mock.patch.object(importing, "REBUILD_INDEXES_FROM", 10),
            mock.patch("tahaluf.lib.bulk.PARAMETERS_PER_STATEMENT", 40),
        ):
            with CaptureQueriesContext(connection) as captured:
                report = import_organizations(csv_bytes(rows), actor=None, publish=True)
        self.assertEqual(report.created, 40)
        dropped = {
            query["sql"].split()[-1].strip('"')
            for query in captured.captured_queries
            if query["sql"].startswith("DROP INDEX")
        }
        self.assertIn("organization_public_ar", dropped)
        # New rows only add at the end of these: they are kept up to date, not rebuilt.
        kept = {
            "organization_public_count",
            "organizations_organization_focus_areas_organization_id_50001b15",
            "organizations_organization_focus_areas_organization_id_focusarea_id_86545d3b_uniq",
        }
        self.assertFalse(dropped & kept, dropped & kept)
        self.assertTrue(kept <= {name for name, _sql in before})
        self.assertEqual(index_definitions(), before)
        self.assertEqual(Organization.objects.filter(focus_areas__key="شباب").count(), 40)
        self.assertEqual(Change.objects.filter(action="import").count(), 40)
        self.assertEqual(Organization.objects.get(external_id="r-39").sort_en, "society 39")

    def test_it_keeps_the_indexes_when_the_import_fails(self) -> None:
        before = index_definitions()

        def failing_history(columns: object) -> list[str]:
            # Called once the organizations are written and the indexes dropped.
            raise DatabaseError("disk full")

        rows = [f"f-{n},جمعية {n},,,ngo,,,,,,," for n in range(12)]
        with (
            mock.patch.object(importing, "REBUILD_INDEXES_FROM", 10),
            mock.patch.object(importing, "history_json_many", failing_history),
            CaptureQueriesContext(connection) as captured,
        ):
            with self.assertRaisesRegex(DatabaseError, "disk full"):
                import_organizations(csv_bytes(rows), actor=None)
        self.assertTrue(any("DROP INDEX" in query["sql"] for query in captured.captured_queries))
        self.assertEqual(index_definitions(), before)
        self.assertFalse(Organization.objects.exists())

    def test_a_re_import_that_creates_nothing_keeps_the_indexes(self) -> None:
        rows = [f"k-{n},جمعية {n},,,ngo,,,,,,," for n in range(12)]
        with mock.patch.object(importing, "REBUILD_INDEXES_FROM", 10):
            import_organizations(csv_bytes(rows), actor=None)
            with CaptureQueriesContext(connection) as captured:
                report = import_organizations(csv_bytes(rows), actor=None)
        self.assertEqual(report.unchanged, 12)
        self.assertFalse(any("DROP INDEX" in query["sql"] for query in captured.captured_queries))

    def test_it_leaves_the_indexes_alone_for_an_import_smaller_than_the_registry(self) -> None:
        Organization.objects.bulk_create([Organization(name_ar=f"قائم {n}") for n in range(20)])
        rows = [f"s-{n},جمعية {n},,,ngo,,,,,,," for n in range(12)]
        with mock.patch.object(importing, "REBUILD_INDEXES_FROM", 10):
            with CaptureQueriesContext(connection) as captured:
                import_organizations(csv_bytes(rows), actor=None, allow_duplicates=True)
        self.assertFalse(any("DROP INDEX" in query["sql"] for query in captured.captured_queries))


class CycleCollectorTests(BaseTestCase):
    def test_it_is_off_while_the_import_writes_and_back_on_after(self) -> None:
        seen = []
        real_write = importing._write

        def write(*args: object, **kwargs: object) -> None:
            seen.append(gc.isenabled())
            real_write(*args, **kwargs)  # type: ignore[arg-type]

        self.assertTrue(gc.isenabled())
        with mock.patch.object(importing, "_write", write):
            import_organizations(csv_bytes(["g-1,اسم,,,ngo,,,,,,,"]), actor=None)
        self.assertEqual(seen, [False])
        self.assertTrue(gc.isenabled())
        with self.assertRaises(importing.ImportInvalid):
            import_organizations(csv_bytes(["g-2,اسم,,,no-such-kind,,,,,,,"]), actor=None)
        self.assertTrue(gc.isenabled())


class FailedWriteTests(TransactionTestCase):
    """Outside any enclosing transaction, as from the command line."""

    def test_it_lets_a_database_error_through_and_writes_nothing(self) -> None:
        def failing_write(rows: list[dict[str, object]], **_kwargs: object) -> None:
            Organization.objects.create(name_ar="جزء", external_id="partial")
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO no_such_table VALUES (1)")

        with mock.patch.object(importing, "_write", failing_write):
            with self.assertRaisesRegex(DatabaseError, "no_such_table"):
                import_organizations(csv_bytes(["e-1,اسم,,,ngo,,,,,,,"]), actor=None)
        self.assertFalse(Organization.objects.filter(external_id="partial").exists())


class DirectoryQueryTests(BaseTestCase):
    def public(self) -> QuerySet[Organization]:
        return permissions.visible_organizations(AnonymousUser(), Organization.objects.all())

    def test_it_filters_by_city_without_regard_to_case(self) -> None:
        self.cast.gucc.city = "Gaza"
        self.cast.gucc.save()
        self.assertEqual(list(self.public().filter(in_city(" gaza "))), [self.cast.gucc])
        self.assertEqual(list(self.public().filter(in_city("GAZA"))), [self.cast.gucc])
        self.assertFalse(self.public().filter(in_city("Gaz")).exists())

    @skipUnless(connection.vendor == "sqlite", "SQLite query plans")
    def test_it_lists_and_counts_published_organizations_through_indexes(self) -> None:
        needle = "youth"
        queries = {
            "all": self.public(),
            "kind": self.public().filter(kind="ngo"),
            "country": self.public().filter(country="PS"),
            "city": self.public().filter(in_city("غزة")),
            "contains": self.public().filter(
                Q(sort_ar__contains=needle)
                | Q(sort_en__contains=needle)
                | Q(acronym__icontains=needle)
            ),
        }
        for (name, queryset), order in product(queries.items(), ("sort_ar", "sort_en")):
            with CaptureQueriesContext(connection) as captured:
                queryset.count()
                list(queryset.order_by(order, "pk")[:25])
            for query in captured.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                    plan = " ".join(row[3] for row in cursor.fetchall())
                self.assertIn("INDEX organization_", plan, f"{name} by {order}: {plan}")
                if name != "city":  # few rows per city: sorting them is cheap
                    self.assertNotIn("TEMP B-TREE", plan, f"{name} by {order}: {plan}")


class FromEitherEndTests(BaseTestCase):
    """Pages in the second half are read from the end: the same rows, in the same order."""

    def setUp(self) -> None:
        super().setUp()
        Organization.objects.bulk_create(
            [
                Organization(
                    name_ar=f"منظمة {n % 7}",
                    name_en=f"Org {n % 5}",
                    is_published=True,
                    sort_ar=f"منظمة {n % 7}",
                    sort_en=f"org {n % 5}",
                )
                for n in range(23)
            ]
        )

    def test_every_page_holds_what_the_plain_paginator_gives(self) -> None:
        for order in ("sort_ar", "sort_en"):
            queryset = self_public().order_by(order, "pk")
            plain = Paginator(queryset, 4)
            either = FromEitherEndPaginator(queryset, 4)
            self.assertEqual(either.num_pages, plain.num_pages)
            for number in plain.page_range:
                self.assertEqual(
                    [o.pk for o in either.page(number)],
                    [o.pk for o in plain.page(number)],
                    f"page {number} by {order}",
                )

    def test_the_api_gives_every_offset_the_same_rows(self) -> None:
        everything = [o.pk for o in self_public().order_by("sort_ar", "pk")]
        for offset in range(0, len(everything) + 3):
            response = self.client.get("/api/v1/organizations", {"offset": offset, "limit": 4})
            self.assertEqual(response.status_code, 200)
            body = response.json()
            self.assertEqual(body["count"], len(everything))
            self.assertEqual(
                [item["id"] for item in body["items"]],
                everything[offset : offset + 4],
                f"offset {offset}",
            )


def self_public() -> QuerySet[Organization]:
    return permissions.visible_organizations(AnonymousUser(), Organization.objects.all())


class LightSelectTests(BaseTestCase):
    def test_it_renders_the_country_filter_like_a_select(self) -> None:
        form = DirectoryFilterForm({"country": "PS"})
        self.assertTrue(form.is_valid())
        html = str(form["country"])
        self.assertTrue(html.startswith('<select name="country" id="id_country">'))
        self.assertIn('<option value="PS" selected>', html)
        self.assertEqual(html.count(" selected"), 1)
        country = form.fields["country"]
        assert isinstance(country, ChoiceField)
        # The stubs give the getter the setter's type; Django has made the choices a list.
        self.assertEqual(html.count("<option"), len(country.choices))  # type: ignore[arg-type]
        invalid = DirectoryFilterForm({"country": "XX"})
        self.assertFalse(invalid.is_valid())
        self.assertIn('aria-invalid="true"', str(invalid["country"]))
        self.assertNotIn(" selected", str(invalid["country"]))


class UnreadableFileTests(BaseTestCase):
    def test_it_names_the_row_it_could_not_read_and_writes_nothing(self) -> None:
        rows = ["u-1,جمعية,,,ngo,,,,,,,", "u-2,مركز,,,ngo,,,,,," + "x" * 200_000 + ","]
        with self.assertRaises(importing.ImportInvalid) as raised:
            import_organizations(csv_bytes(rows), actor=self.cast.amal)
        self.assertEqual([(p.row, p.code) for p in raised.exception.problems], [(3, "csv")])
        self.assertFalse(Organization.objects.filter(external_id="u-1").exists())

    def test_it_skips_blank_lines_and_keeps_the_file_s_row_numbers(self) -> None:
        rows = ["b-1,جمعية,,,ngo,,,,,,,", "", " , ,", "b-2,مركز,,,club,,,,,,,"]
        with self.assertRaises(importing.ImportInvalid) as raised:
            import_organizations(csv_bytes(rows), actor=self.cast.amal)
        self.assertEqual([(p.row, p.column) for p in raised.exception.problems], [(5, "kind")])
