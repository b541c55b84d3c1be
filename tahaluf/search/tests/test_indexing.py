"""What a record and a query become before a backend sees them: glued words split against the
other records, meanings across scripts, words that need not match, and the rebuild in worker
processes giving the same index as in one."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import unittest
from collections import Counter

from tahaluf.search import arabic, parallel
from tahaluf.search.documents import (
    KNOWN_IN_RECORDS,
    WordCounts,
    analyze_document,
    analyze_documents,
    parse_query,
    split_glued_after,
    split_glued_again,
    split_rare,
    tally,
)
from tahaluf.search.registry import SearchDocument


def document(object_id: int, *names: str, city: str = "") -> SearchDocument:
    return SearchDocument(
        type="organization",
        object_id=object_id,
        names=names,
        title_ar=names[0],
        title_en="",
        context=(city,) if city else (),
    )


class GluedRecordTests(unittest.TestCase):
    def test_it_splits_a_glued_word_that_only_one_record_has(self) -> None:
        documents = [
            document(1, "مؤسسةالوفاء للتطوع"),
            document(2, "مؤسسة الوفاء للتنمية"),
            document(3, "مؤسسة النور للتطوع"),
        ]
        analyzed = list(analyze_documents(documents))
        # the glued record comes twice: first as written, then split (the second replaces it)
        self.assertEqual([item.document.object_id for item in analyzed], [1, 2, 3, 1])
        first, again = analyzed[0], analyzed[-1]
        self.assertNotIn("الوفا", first.tokens)
        self.assertIn("موسسهالوفا", again.tokens)  # the token itself stays indexed
        self.assertIn("الوفا", again.tokens)
        self.assertIn("موسسه", again.words)

    def test_it_leaves_words_that_several_records_have(self) -> None:
        documents = [document(1, "جمعية بيرزيت الخيرية"), document(2, "جامعة بيرزيت")]
        self.assertEqual([item.document.object_id for item in analyze_documents(documents)], [1, 2])

    def test_it_splits_only_long_rare_tokens(self) -> None:
        vocabulary = WordCounts(Counter({"امم": 1, "متحده": 3}))
        self.assertIsNone(split_rare("متحده", "متحده", vocabulary))  # common
        self.assertIsNone(split_rare("اممم", "اممم", vocabulary))  # short
        self.assertEqual(split_rare("اممالمتحده", "اممالمتحده", vocabulary), ["امم", "المتحده"])

    def test_it_indexes_meanings_for_the_other_script(self) -> None:
        arabic_only = analyze_document(document(1, "جمعية آل عقيل الخيرية"))
        self.assertIn("cptarcharitable", arabic_only.keys)
        self.assertNotIn("cptencharitable", arabic_only.keys)
        query = parse_query("Okeil charitable")
        self.assertIn("cptarcharitable", query.terms[1].concepts)
        # an Arabic query word looks only for Latin meanings: الأسرى and الأسرة stay apart
        self.assertEqual(
            {c for t in parse_query("الأسرى").terms for c in t.concepts}
            & set(analyze_document(document(2, "جمعية رعاية الأسرة")).keys),
            set(),
        )


class QueryTests(unittest.TestCase):
    def test_it_does_not_require_latin_articles_and_particles(self) -> None:
        terms = parse_query("el aksa club").terms
        self.assertEqual([term.optional for term in terms], [True, False, False])
        self.assertEqual([term.optional for term in parse_query("al").terms], [False])

    def test_it_reads_attached_letters_off_against_the_index(self) -> None:
        vocabulary = {"مدي", "ايرلندا", "صحيه"}
        self.assertEqual(parse_query("بمدى الصحية", vocabulary).terms[0].word, "مدي")
        self.assertEqual(parse_query("ولأيرلندا", vocabulary).terms[0].word, "ايرلندا")
        self.assertEqual(parse_query("بمدى", set()).terms[0].word, "بمدي")

    def test_it_matches_a_glued_query_word_whole_or_by_its_parts(self) -> None:
        vocabulary = WordCounts(Counter({"ملتقي": 5, "يافا": 3, "اممالمتحده": 1}))
        (term,) = parse_query("ملتقىيافا", vocabulary).terms
        self.assertEqual(term.token, "ملتقيافا")
        self.assertEqual([part.token for part in term.parts], ["ملتقي", "يافا"])

    def test_it_matches_fuzzily_only_words_the_index_does_not_know(self) -> None:
        vocabulary = WordCounts(Counter({"بروتوكول": 3, "ثقافي": 4}))
        terms = parse_query("البروتكول الثقافي", vocabulary).terms
        self.assertEqual([term.fuzzy for term in terms], [True, False])


class AnalyzerAdditionsTests(unittest.TestCase):
    def test_it_strips_known_words_only(self) -> None:
        self.assertEqual(arabic.strip_known("بمدى", {"مدي"}), "مدي")
        self.assertEqual(arabic.strip_known("ولأيرلندا", {"ايرلندا"}), "ايرلندا")
        self.assertIsNone(arabic.strip_known("بمدى", {"مدى"}))
        self.assertIsNone(arabic.strip_known("وطن", {"طن"}))
        self.assertIsNone(arabic.strip_known("Maat", {"aat"}))

    def test_it_splits_where_a_doubled_yaa_was_collapsed(self) -> None:
        self.assertEqual(arabic.split_glued("ملتقىيافا", {"ملتقي", "يافا"}), ["ملتقي", "يافا"])

    def test_it_keys_a_soft_c_as_s(self) -> None:
        self.assertEqual(arabic.translit_key("Mercy"), arabic.translit_key("ميرسي"))
        self.assertEqual(arabic.translit_key("Darwich"), arabic.translit_key("درويش"))


class ParallelRebuildTests(unittest.TestCase):
    def test_it_finds_the_glued_records_batch_by_batch_as_in_one_pass(self) -> None:
        names = [
            "مؤسسة الوفاء للتطوع",
            "جمعية النور الخيرية",
            "مؤسسةالوفاء للثقافة",
            "مركز النورللتنمية",
            "الوفاء للتطوع",
            "Maat Foundation",
            "MaatFoundation",
        ]
        documents = [document(i, name) for i, name in enumerate(names * 3 + names[2:4])]
        documents += [document(99, "جمعيةالنور الخيرية")]
        first = [analyze_document(item) for item in documents]
        in_one_pass = {item.document.key: item for item in split_glued_after(first)}
        counts: Counter[str] = Counter()
        once: dict[str, str] = {}
        for start in range(0, len(first), 4):  # batches of 4, as workers see them
            batch_counts, batch_once = tally(first[start : start + 4])
            counts.update(batch_counts)
            once.update(batch_once)
        rare = {key for token, key in once.items() if counts[token] < KNOWN_IN_RECORDS}
        again = {
            item.document.key: item
            for item in split_glued_again([item for item in documents if item.key in rare], counts)
        }
        self.assertEqual(set(again), {"organization:99"})
        changed = {key for key, item in in_one_pass.items() if item not in first}
        self.assertEqual(set(again), changed)
        self.assertEqual(again, {key: in_one_pass[key] for key in changed})

    def test_it_sends_analyses_between_processes_unchanged(self) -> None:
        item = analyze_document(document(7, "مؤسسة ماعت", "Maat", city="القاهرة"))
        again = parallel._unpack(parallel._pack(item))
        self.assertEqual(again, item)
        self.assertEqual(again.document.digest(), item.document.digest())

    def test_it_rebuilds_in_worker_processes_as_in_one(self) -> None:
        # The test database lives in memory, where worker processes cannot see it: this runs
        # in a process of its own, on a database file, with a low threshold.
        script = textwrap.dedent(
            """
            import os, sys
            folder = sys.argv[1]
            os.environ.update(TAHALUF_DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
                              TAHALUF_VAR_DIR=folder, DJANGO_SETTINGS_MODULE="tahaluf.settings")
            import django
            django.setup()
            from django.core.management import call_command
            call_command("migrate", verbosity=0)
            from tahaluf.organizations.models import Organization
            from tahaluf.search import parallel, services
            names = ["جمعية الأمل الخيرية", "مؤسسة الوفاء للتطوع", "مؤسسة النور للتنمية",
                     "بلدية الخليل", "Maat Foundation"]
            Organization.objects.bulk_create(
                [Organization(name_ar=f"{names[i % 5]} {i}", is_published=True)
                 for i in range(120)]
                + [Organization(name_ar="مؤسسةالنور للثقافة", is_published=True)])
            queries = ["مؤسسة النور للثقافة", "الوفاء", "بلدية الخليل 3", "maat", "جمعيه"]

            def results():
                return [[(hit.key, round(hit.score, 4)) for hit in
                         services.search(user=None, text=text, limit=50).hits]
                        for text in queries]

            parallel.PARALLEL_MIN, parallel.BATCH = 10, 16
            assert parallel.usable(121)
            assert services.rebuild() == 121
            assert services.check().ok
            in_workers = results()
            first = services.search(user=None, text="مؤسسة النور للثقافة").hits[0]
            assert first.title == "مؤسسةالنور للثقافة", first.title
            parallel.PARALLEL_MIN = 10**9
            assert services.rebuild() == 121
            assert results() == in_workers
            print("same")
            """
        )
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(
                [sys.executable, "-c", script, folder],
                capture_output=True,
                text=True,
                timeout=300,
            )
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        self.assertIn("same", done.stdout)
