#!/usr/bin/python3
"""The interview drill: the question index built from the QN tags (book/questions.py), the pages
"The 50 questions" and "Drill" of the built book, and ./llmbook drill on piped input.

Run by the book step of `./llmbook test` after the build, with LLMBOOK_BOOK_HTML naming the built
book; alone (python3 -m unittest tests/book/test_drill.py) the page tests use build/book/html if it
exists and are skipped, saying so, otherwise.
"""
import html.parser
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "book"))
import questions as qindex  # noqa: E402

PY = "/usr/bin/python3"
DRILL = os.path.join(ROOT, "book", "drill.py")


def grep_w(n, folder):
    """The files under FOLDER naming QN as a word, found by grep -w (not by the code under test)."""
    r = subprocess.run(["grep", "-rlw", f"Q{n}", "--include=*.java", os.path.join(ROOT, folder)],
                       capture_output=True, text=True)
    return {os.path.relpath(p, ROOT) for p in r.stdout.split()}


def book_headings(chapter_file):
    """The question numbers of a chapter text, in the order of its '## QN.' headings."""
    with open(os.path.join(ROOT, "book", chapter_file), encoding="utf-8") as f:
        return [int(m) for m in re.findall(r"^## Q(\d+)\. ", f.read(), re.M)]


def drill(args, stdin, record):
    return subprocess.run([PY, DRILL, "--record", record, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def record_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]


class Index(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.qs = qindex.build()

    def test_fifty_questions_each_with_wording_and_chapter(self):
        self.assertEqual(list(range(1, 51)), [q.n for q in self.qs])
        for q in self.qs:
            self.assertTrue(q.text.endswith("?"), f"Q{q.n}: {q.text!r}")
            self.assertIn(q.chapter, range(1, 13))

    def test_sources_are_exactly_what_grep_finds(self):
        for q in self.qs:
            self.assertEqual(grep_w(q.n, "lib/src/main/java"), {c.path for c in q.classes}, f"Q{q.n} library")
            self.assertEqual(grep_w(q.n, "exercises/src/main/java"), {e.path for e in q.exercises}, f"Q{q.n} exercises")

    def test_every_link_points_at_something_that_exists(self):
        for q in self.qs:
            for link in [q.book, q.notebook] + q.exercises + q.classes:
                if link:
                    self.assertTrue(os.path.isfile(os.path.join(ROOT, link.path)), f"Q{q.n}: {link.path}")
            if q.book:
                self.assertIn(q.n, book_headings(os.path.basename(q.book.path)))
            if q.notebook and q.notebook.section:
                with open(os.path.join(ROOT, q.notebook.path), encoding="utf-8") as f:
                    self.assertIn(q.notebook.section, qindex.plain(f.read()))

    def test_answers_equal_the_book_text(self):
        answered = 0
        for name in sorted(os.listdir(os.path.join(ROOT, "book"))):
            if not re.match(r"ch\d\d-.*\.md$", name):
                continue
            with open(os.path.join(ROOT, "book", name), encoding="utf-8") as f:
                text = f.read()
            # each question section up to the next heading; its answer is the paragraph after "**Answer.**"
            for n, body in re.findall(r"^## Q(\d+)\. .*\n((?:(?!#).*\n?)*)", text, re.M):
                m = re.search(r"^\*\*Answer\.\*\*\s*(.*?)(?:\n\s*\n|\Z)", body, re.S | re.M)
                self.assertIsNotNone(m, f"{name}: Q{n} has no **Answer.** paragraph")
                want = " ".join(m.group(1).split())
                q = self.qs[int(n) - 1]
                self.assertEqual(want, " ".join(q.answer.split()), f"Q{n}")
                self.assertEqual(f"book/{name}", q.book.path)
                answered += 1
        self.assertEqual(answered, sum(1 for q in self.qs if q.answer))
        self.assertGreaterEqual(answered, 24)

    def test_missing_parts_listed_and_strict_mode_fails_on_them(self):
        # a copy of the book in which chapter 12 is not written yet: its questions keep only their wording
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "book"))
            for name in os.listdir(os.path.join(ROOT, "book")):
                if name.endswith(".md") and not name.startswith("ch12-"):
                    shutil.copy(os.path.join(ROOT, "book", name), os.path.join(tmp, "book"))
            with open(qindex.TSV, encoding="utf-8") as f:
                tsv = f.read()
            for n in range(47, 51):
                tsv = re.sub(rf"\n{n}\t12\t[^\n]*", f"\n{n}\t12\tQuestion {n}?", tsv)
            with open(os.path.join(tmp, "book", "questions.tsv"), "w", encoding="utf-8") as f:
                f.write(tsv)
            qs = qindex.build(tmp)
        problems = qindex.check(qs, strict_mode=True)
        self.assertTrue(any(p.startswith("Q47 (chapter 12) has no answer") for p in problems), problems)
        self.assertEqual([], qindex.check(qs, strict_mode=False))
        # the real book: with every chapter written the build is strict, and nothing may be missing
        self.assertEqual([], qindex.check(self.qs, strict_mode=True))

    def test_strict_by_itself_once_every_planned_chapter_exists(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "book"))
            for name in os.listdir(os.path.join(ROOT, "book")):
                if name.endswith(".md") and not name.startswith("ch12-"):      # one planned chapter not written yet
                    shutil.copy(os.path.join(ROOT, "book", name), os.path.join(tmp, "book"))
            env = os.environ.pop(qindex.STRICT_ENV, None)
            try:
                self.assertFalse(qindex.strict(tmp))
                for c in qindex.PLANNED:
                    with open(os.path.join(tmp, "book", f"ch{c:02d}-x.md"), "w") as f:
                        f.write(f"# {c}. X\n")
                self.assertTrue(qindex.strict(tmp))
            finally:
                if env is not None:
                    os.environ[qindex.STRICT_ENV] = env

    def test_wording_twice_or_nowhere_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "book"))
            for name in os.listdir(os.path.join(ROOT, "book")):
                if name.endswith(".md"):
                    shutil.copy(os.path.join(ROOT, "book", name), os.path.join(tmp, "book"))
            with open(qindex.TSV, encoding="utf-8") as f:
                tsv = f.read()
            for edited, message in [(tsv.replace("\n2\t4\t\n", "\n2\t4\tHow does attention work?\n"), "Q2: book/ch04"),
                                    (tsv.replace("\n2\t4\t\n", "\n2\t5\t\n"), "Q2 is answered in book/ch04"),
                                    (tsv.replace("\n50\t12\t", "\n49\t12\t"), "Q1..Q50 once each")]:
                self.assertNotEqual(tsv, edited)
                with open(os.path.join(tmp, "book", "questions.tsv"), "w", encoding="utf-8") as f:
                    f.write(edited)
                with self.assertRaises(qindex.IndexProblem) as e:
                    qindex.build(tmp)
                self.assertIn(message, str(e.exception))
            # a question whose chapter has no text yet needs its wording in the TSV
            with open(os.path.join(tmp, "book", "questions.tsv"), "w", encoding="utf-8") as f:
                f.write(tsv)
            for name in os.listdir(os.path.join(tmp, "book")):
                if name.startswith("ch11-"):
                    os.remove(os.path.join(tmp, "book", name))
            with self.assertRaises(qindex.IndexProblem) as e:
                qindex.build(tmp)
            self.assertIn("Q43: no wording", str(e.exception))

    def test_broken_link_and_anchor_are_reported(self):
        with tempfile.TemporaryDirectory() as out:
            with open(os.path.join(out, "a.html"), "w") as f:
                f.write('<p id="here"><a href="a.html#here">ok</a> <a href="a.html#gone">x</a> <a href="b.html">y</a></p>')
            bad = qindex.broken_links(out, ["a.html"])
            self.assertEqual(["a.html: broken anchor a.html#gone", "a.html: broken link b.html"], bad)


class Text(html.parser.HTMLParser):
    """The text of chosen elements: h3 headings, paragraphs (with their class), details and summaries."""

    def __init__(self):
        super().__init__()
        self.items, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "p", "summary", "details"):
            self.stack.append([tag, dict(attrs).get("class", ""), ""])
            if tag == "details":
                self.items.append(("details", "", ""))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            t, cls, text = self.stack.pop()
            if tag != "details":
                self.items.append((t, cls, " ".join(text.replace("¶", "").split())))

    def handle_data(self, data):
        for entry in self.stack:
            entry[2] += data


def page(out, name):
    p = Text()
    with open(os.path.join(out, name), encoding="utf-8") as f:
        p.feed(f.read())
    return p.items


class Pages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.environ.get("LLMBOOK_BOOK_HTML")
        if not cls.out:
            cls.out = os.path.join(ROOT, "build", "book", "html")
            if not os.path.isfile(os.path.join(cls.out, "questions.html")):
                raise unittest.SkipTest("no built book in build/book/html: build it with ./llmbook book --no-execute")
        if not os.path.isfile(os.path.join(cls.out, "questions.html")):
            raise AssertionError(f"no questions.html in {cls.out}")
        cls.qs = qindex.build()

    def test_fifty_questions_on_the_page_with_links_that_resolve(self):
        heads = [t for tag, _, t in page(self.out, "questions.html") if tag == "h3"]
        self.assertEqual([f"Q{n}." for n in sorted(range(1, 51))], sorted((h.split()[0] for h in heads), key=lambda s: int(s[1:-1])))
        pages = ["questions.html", "drill.html"] + [qindex.code_page(p) for p in
                                                    {link.path for q in self.qs for link in q.exercises + q.classes}]
        self.assertEqual([], qindex.broken_links(self.out, pages))
        links = [t for tag, cls, t in page(self.out, "questions.html") if cls == "q-links"]
        self.assertEqual(50, len(links))
        self.assertEqual(sum(1 for q in self.qs if q.missing()), sum(1 for t in links if "missing:" in t))

    def test_answers_on_the_page_equal_the_chapter_pages(self):
        chapter_answers = {}
        for q in self.qs:
            if q.book:
                items = page(self.out, q.book.label + ".html")
                i = next(i for i, (tag, _, t) in enumerate(items) if tag == "h2" and t.startswith(f"Q{q.n}. "))
                answer = next(t for tag, _, t in items[i:] if tag == "p" and t.startswith("Answer."))
                chapter_answers[q.n] = answer[len("Answer."):].strip()
        self.assertEqual(sum(1 for q in self.qs if q.answer), len(chapter_answers))
        items = page(self.out, "questions.html")
        on_page = {}
        for i, (tag, _, t) in enumerate(items):
            if tag == "h3" and items[i + 2][0] == "p" and items[i + 2][1] == "":
                on_page[int(t.split(".")[0][1:])] = items[i + 2][2]
        self.assertEqual(chapter_answers, on_page)

    def test_drill_page_folds_every_answer_twice_in_chapter_and_seeded_order(self):
        items = page(self.out, "drill.html")
        summaries = [t for tag, _, t in items if tag == "summary"]
        answered = [q for q in self.qs if q.answer]
        self.assertEqual(2 * len(answered), len(summaries))
        self.assertEqual(len(summaries), sum(1 for tag, _, _ in items if tag == "details"))
        order = [int(s.split(".")[0][1:]) for s in summaries]
        first, second = order[:len(answered)], order[len(answered):]
        by_book = [n for c in sorted({q.chapter for q in answered})
                   for name in os.listdir(os.path.join(ROOT, "book")) if name.startswith(f"ch{c:02d}-")
                   for n in book_headings(name)]
        self.assertEqual(by_book, first)
        shuffled = list(by_book)
        random.Random(qindex.SEED).shuffle(shuffled)
        self.assertEqual(shuffled, second)
        self.assertNotEqual(first, second)


class Drill(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.record = os.path.join(self.tmp, "sub", "drill.tsv")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_piped_answers_are_recorded(self):
        ch4 = book_headings("ch04-attention.md")
        r = drill(["--chapter", "4", "--count", "3"], "\ny\n\nmaybe\nn\n\ny\n", self.record)
        self.assertEqual(0, r.returncode, r.stderr)
        rows = record_lines(self.record)
        self.assertEqual([[f"Q{ch4[0]}", "yes"], [f"Q{ch4[1]}", "no"], [f"Q{ch4[2]}", "yes"]], [row[1:] for row in rows])
        for row in rows:
            self.assertRegex(row[0], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
        self.assertIn("please answer y", r.stdout)
        self.assertIn("knew 2 of 3.", r.stdout)
        self.assertIn("weakest chapters: 4 Attention (2 of 3)", r.stdout)
        # a second drill appends
        r = drill(["--chapter", "4", "--count", "1"], "\nn\n", self.record)
        self.assertEqual(4, len(record_lines(self.record)))

    def test_chapter_4_asks_only_chapter_4(self):
        ch4 = book_headings("ch04-attention.md")
        r = drill(["--chapter", "4"], "\ny\n" * 60, self.record)
        self.assertEqual(0, r.returncode, r.stderr)
        asked = [int(n) for n, c in re.findall(r"^\[\d+/\d+\] Q(\d+) \(chapter (\d+)", r.stdout, re.M)]
        self.assertEqual(ch4, asked)
        self.assertEqual([f"Q{n}" for n in ch4], [row[1] for row in record_lines(self.record)])
        self.assertIn(f"knew {len(ch4)} of {len(ch4)}.", r.stdout)
        self.assertIn("notebooks/ch04-attention.ipynb, section", r.stdout)
        self.assertIn("library:", r.stdout)

    def test_random_count_and_seed(self):
        a = drill(["--random", "--seed", "7", "--count", "5"], "\ny\n" * 5, self.record)
        b = drill(["--random", "--seed", "7", "--count", "5"], "\nn\n" * 5, self.record)
        asked = lambda r: re.findall(r"^\[\d+/5\] (Q\d+)", r.stdout, re.M)
        self.assertEqual(5, len(asked(a)))
        self.assertEqual(asked(a), asked(b))
        answered = [f"Q{q.n}" for q in qindex.build() if q.answer]
        self.assertNotEqual(answered[:5], asked(a))
        self.assertLessEqual(set(asked(a)), set(answered))

    def test_quit_and_end_of_input_keep_what_was_answered(self):
        r = drill(["--chapter", "1"], "\ny\n\nq\n", self.record)
        self.assertEqual(0, r.returncode)
        self.assertEqual(1, len(record_lines(self.record)))
        self.assertIn("knew 1 of 1.", r.stdout)
        r = drill(["--chapter", "1"], "\nn\n\n", self.record)
        self.assertEqual(2, len(record_lines(self.record)))
        self.assertIn("knew 0 of 1.", r.stdout)

    def test_bad_input_is_one_line(self):
        for args, msg in [(["--chapter", "0"], "chapter 0 has no answered questions (it has no interview questions)"),
                          (["--chapter", "13"], "chapter 13 has no answered questions (it has no interview questions)"),
                          (["--count", "0"], "--count must be at least 1"),
                          (["--chapter", "x"], "invalid int value")]:
            r = drill(args, "", self.record)
            self.assertEqual(2, r.returncode, args)
            self.assertIn(msg, r.stderr)
            self.assertNotIn("Traceback", r.stderr)
        r = drill([], "", "/proc/no/such/drill.tsv")
        self.assertEqual(2, r.returncode)
        self.assertIn("cannot write the record /proc/no/such/drill.tsv", r.stderr)

    def test_through_the_launcher(self):
        r = subprocess.run([os.path.join(ROOT, "llmbook"), "drill", "--chapter", "2", "--count", "1", "--record", self.record],
                           input="\ny\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual("Q1", record_lines(self.record)[0][1])
        h = subprocess.run([os.path.join(ROOT, "llmbook"), "drill", "--help"], capture_output=True, text=True, timeout=60)
        self.assertEqual(0, h.returncode)
        self.assertIn("--chapter N", h.stdout)
        self.assertIn("drill", subprocess.run([os.path.join(ROOT, "llmbook"), "--help"], capture_output=True, text=True).stdout)


if __name__ == "__main__":
    unittest.main()
