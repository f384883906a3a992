"""The 50 interview questions, indexed from the project's `QN` tags.

book/questions.tsv lists the questions and the chapter of each; everything else is found where it
lives, by the tag `QN` (a whole word, like `grep -w Q17`):
  - the answer: the heading "## QN. <question>" in a chapter text book/chNN-*.md, and the paragraph
    that starts with "**Answer.**" below it;
  - the notebook: a Markdown heading of notebooks/chNN-*.ipynb that names QN (or, failing that, a
    notebook that mentions QN anywhere);
  - the exercises: starters under exercises/src/main/java whose source names QN;
  - the library classes: sources under lib/src/main/java that name QN, the most specific first
    (fewest questions tagged in the file).

Used by book/build.py (the pages "The 50 questions" and "Drill", and the pages showing the tagged
sources) and by book/drill.py (./llmbook drill). Standard library only, apart from Pygments and
docutils for the source pages and anchors, which the book build has anyway.
"""
import glob
import html
import html.parser
import json
import os
import random
import re
import urllib.parse
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "book", "questions.tsv")
# Chapters the syllabus plans but the book does not have yet: their titles, until book/chNN-*.md exists.
PLANNED = {8: "Prompting, retrieval and reasoning",
           9: "Fine-tuning: LoRA, QLoRA, forgetting, distillation", 10: "Pre-training objectives",
           11: "Mixture of experts, scale and modalities", 12: "Grounding, bias, n-grams and deployment"}
# The drill page's shuffled order: fixed, so the page is the same on every build.
SEED = 50
# Set to 1 to fail the build on any missing answer, notebook, exercise or library class even before
# every planned chapter exists (once they all exist, that is the rule anyway).
STRICT_ENV = "LLMBOOK_QUESTIONS_STRICT"
KINDS = ("answer", "notebook", "exercise", "library class")


# A tag QN as a whole word (like grep -w): Q1 does not match Q10 or Q1_0.
TAGS = re.compile(r"(?<![\w])Q([1-9]\d?)(?![\w])")


class IndexProblem(Exception):
    """A problem that makes the question index wrong (not merely incomplete); the message says where."""


@dataclass
class Link:
    """Something a question points at: PATH relative to the repository, with an optional section."""
    path: str
    label: str
    section: str = ""   # the heading text of the section, if any
    anchor: str = ""    # the HTML id of that section in the built book


@dataclass
class Question:
    n: int
    chapter: int
    text: str
    answer: str = ""                  # Markdown of the "**Answer.**" paragraph, without the label
    book: Link = None
    notebook: Link = None
    exercises: list = field(default_factory=list)
    classes: list = field(default_factory=list)

    def missing(self):
        """Which of the four things this question lacks, in KINDS order."""
        have = {"answer": bool(self.answer and self.book), "notebook": bool(self.notebook),
                "exercise": bool(self.exercises), "library class": bool(self.classes)}
        return [k for k in KINDS if not have[k]]


def shown(path):
    """PATH relative to the repository when it is in it, else absolute: how messages name files."""
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    return os.path.abspath(path) if rel.startswith("..") else rel


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def section_id(title):
    """The id docutils gives a section titled TITLE (what Sphinx/MyST put in the chapter page).

    Without docutils (./llmbook drill needs no book tools) the same rule for ASCII titles."""
    try:
        from docutils.nodes import make_id
    except ImportError:
        return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return make_id(title)


def plain(markdown):
    """Markdown inline text as the reader sees it: no emphasis marks or backticks."""
    return re.sub(r"\*\*|\*|`", "", markdown)


def chapter_files(root):
    """{chapter number: (path of book/chNN-*.md, its title)} for the chapter texts that exist."""
    found = {}
    for p in sorted(glob.glob(os.path.join(root, "book", "ch[0-9][0-9]-*.md"))):
        n = int(os.path.basename(p)[2:4])
        first = read(p).split("\n", 1)[0]
        found[n] = (p, re.sub(r"^#\s*(\d+\.\s*)?", "", first).strip())
    return found


def chapter_title(n, chapters):
    return chapters[n][1] if n in chapters else PLANNED.get(n, f"Chapter {n}")


def read_tsv(path):
    """[(n, chapter, wording)] from questions.tsv, checked: 1..50 each once."""
    rows = []
    for i, line in enumerate(read(path).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or not cols[0].isdigit() or not cols[1].isdigit():
            raise IndexProblem(f"{shown(path)}:{i}: expected 'N<tab>chapter<tab>wording', got {line!r}")
        rows.append((int(cols[0]), int(cols[1]), cols[2].strip()))
    numbers = [r[0] for r in rows]
    if sorted(numbers) != list(range(1, 51)):
        dup = sorted({n for n in numbers if numbers.count(n) > 1})
        lack = sorted(set(range(1, 51)) - set(numbers))
        raise IndexProblem(f"{shown(path)} must list Q1..Q50 once each (missing {lack}, repeated {dup})")
    return sorted(rows)


def book_sections(root):
    """{n: (path, heading title, answer Markdown, line)} from the "## QN. ..." headings of the chapter texts."""
    found = {}
    for p in sorted(glob.glob(os.path.join(root, "book", "ch[0-9][0-9]-*.md"))):
        lines = read(p).splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"##\s+(Q(\d+)\.\s+.*\S)\s*$", line)
            if not m:
                continue
            n = int(m.group(2))
            if n in found:
                raise IndexProblem(f"Q{n} is answered twice: {os.path.relpath(found[n][0], root)} and {os.path.relpath(p, root)}")
            answer = []
            for line2 in lines[i + 1:]:
                if line2.startswith("#"):
                    break
                if answer and not line2.strip():
                    break
                if answer or line2.startswith("**Answer.**"):
                    answer.append(line2.strip())
            text = " ".join(answer)
            found[n] = (p, m.group(1), re.sub(r"^\*\*Answer\.\*\*\s*", "", text), i)
    return found


def notebook_sections(root):
    """{n: Link} for the notebooks: the first Markdown heading naming QN, else the first notebook naming it."""
    headed, mentioned = {}, {}
    for p in sorted(glob.glob(os.path.join(root, "notebooks", "ch[0-9][0-9]-*.ipynb"))):
        rel = os.path.relpath(p, root)
        try:
            cells = json.loads(read(p))["cells"]
        except (ValueError, KeyError) as e:
            raise IndexProblem(f"{rel}: not a notebook ({e})")
        for cell in cells:
            src = "".join(cell.get("source", ""))
            for m in TAGS.finditer(src):
                mentioned.setdefault(int(m.group(1)), Link(rel, os.path.basename(rel)[:-6]))
            if cell.get("cell_type") != "markdown":
                continue
            for line in src.splitlines():
                h = re.match(r"#{1,6}\s+(.*\S)", line)
                if not h:
                    continue
                title = plain(h.group(1))
                for m in TAGS.finditer(title):
                    # nbsphinx's section ids are Jupyter's: the heading text with spaces as hyphens
                    headed.setdefault(int(m.group(1)), Link(rel, os.path.basename(rel)[:-6], title, title.replace(" ", "-")))
    return {**mentioned, **headed}


def tagged_sources(root, folder):
    """{n: [Link]} for the .java files under FOLDER naming QN, the most specific file first."""
    files = []
    for p in sorted(glob.glob(os.path.join(root, folder, "**", "*.java"), recursive=True)):
        qs = {int(m.group(1)) for m in TAGS.finditer(read(p))}
        if qs:
            files.append((len(qs), os.path.relpath(p, root), qs))
    found = {}
    for _, rel, qs in sorted(files):
        for n in qs:
            found.setdefault(n, []).append(Link(rel, label_of(root, rel)))
    return found


def label_of(root, rel):
    """How a source is named on the page: the exercise id, the package, or the class name."""
    name = os.path.basename(rel)[:-5]
    if rel.startswith("exercises/"):
        m = re.search(r"Exercise (ch\d\d\.\w+)", read(os.path.join(root, rel)))
        return m.group(1) if m else name
    if name == "package-info":
        return os.path.dirname(rel).split("src/main/java/", 1)[-1].replace("/", ".") + " (package)"
    return name


def build(root=ROOT):
    """The 50 questions, in number order, with everything their tags point at."""
    chapters = chapter_files(root)
    sections = book_sections(root)
    notebooks = notebook_sections(root)
    exercises = tagged_sources(root, "exercises/src/main/java")
    classes = tagged_sources(root, "lib/src/main/java")
    tsv = os.path.relpath(TSV, ROOT)
    out = []
    for n, chapter, wording in read_tsv(os.path.join(root, os.path.relpath(TSV, ROOT))):
        q = Question(n, chapter, wording)
        if n in sections:
            path, title, answer, _ = sections[n]
            rel = os.path.relpath(path, root)
            if wording:
                raise IndexProblem(f"Q{n}: {rel} now asks it; remove the wording from {tsv} (the book's heading is the question)")
            if int(os.path.basename(path)[2:4]) != chapter:
                raise IndexProblem(f"Q{n} is answered in {rel} but {tsv} puts it in chapter {chapter}")
            q.text = re.sub(r"^Q\d+\.\s+", "", plain(title))
            q.answer = answer
            q.book = Link(rel, os.path.basename(rel)[:-3], plain(title), section_id(plain(title)))
        elif not wording:
            raise IndexProblem(f"Q{n}: no wording in {tsv} and no '## Q{n}.' heading in book/ch*.md")
        q.notebook = notebooks.get(n)
        # the question's own chapter first, then the others that name it
        q.exercises = sorted(exercises.get(n, []), key=lambda link: f"/ch{chapter:02d}/" not in link.path)
        q.classes = classes.get(n, [])
        out.append(q)
    return out


def strict(root=ROOT):
    """True when every planned chapter has its text (then anything missing fails), or when forced."""
    if os.environ.get(STRICT_ENV, "") not in ("", "0"):
        return True
    have = chapter_files(root)
    return all(q_chapter in have for _, q_chapter, _ in read_tsv(TSV))


def check(questions, strict_mode):
    """Problems that must fail the build: with STRICT_MODE, every missing thing of every question."""
    if not strict_mode:
        return []
    return [f"Q{q.n} (chapter {q.chapter}) has no {', no '.join(q.missing())}" for q in questions if q.missing()]


# ---------------------------------------------------------------------------------------------
# The book pages
# ---------------------------------------------------------------------------------------------

def code_page(rel):
    """Where the page showing source REL lives in the built book: code/lib/llmbook/... .java.html"""
    return "code/" + rel.replace("src/main/java/", "") + ".html"


def href(path, anchor=""):
    return html.escape(path + ("#" + urllib.parse.quote(anchor, safe="") if anchor else ""))


def links_html(q):
    """The links line of a question: book section, notebook section, exercises, library classes."""
    parts = []
    if q.book:
        parts.append(f'<a href="{href(q.book.label + ".html", q.book.anchor)}">book, chapter {q.chapter}</a>')
    if q.notebook:
        nb = q.notebook
        where = f"notebook {nb.label}" + (f", §{html.escape(nb.section)}" if nb.section else "")
        parts.append(f'<a href="{href("notebooks/" + nb.label + ".html", nb.anchor)}">{where}</a>')
    if q.exercises:
        parts.append("exercise " + ", ".join(f'<a href="{href(code_page(e.path))}"><code>{html.escape(e.label)}</code></a>'
                                             for e in q.exercises))
    if q.classes:
        parts.append("library " + ", ".join(f'<a href="{href(code_page(c.path))}"><code>{html.escape(c.label)}</code></a>'
                                            for c in q.classes))
    missing = q.missing()
    if missing:
        parts.append('<span class="q-missing">missing: ' + ", ".join(missing) + "</span>")
    return '<p class="q-links">' + " · ".join(parts) + "</p>"


def by_chapter(questions):
    """[(chapter, [questions in book order])]: the order of the chapter texts' headings, then by number."""
    line_of = {n: line for n, (_, _, _, line) in book_sections(ROOT).items()}
    groups = {}
    for q in questions:
        groups.setdefault(q.chapter, []).append(q)
    return [(c, sorted(qs, key=lambda q: (line_of.get(q.n, 10 ** 6), q.n))) for c, qs in sorted(groups.items())]


def questions_page(questions, chapters):
    """Markdown (MyST) of "The 50 questions"."""
    answered = sum(1 for q in questions if q.answer)
    complete = sum(1 for q in questions if not q.missing())
    lines = ["# The 50 questions", "",
             "Every interview question of the book with its short answer, and where to go next: the "
             "chapter section that explains it, the notebook section that measures it, the graded "
             "exercise, and the library classes that implement it. The page is generated from the "
             "`QN` tags in the sources by the book build (book/questions.py). To practise, use the "
             "[drill](drill.md) page or `./llmbook drill` in a terminal.", "",
             f"{answered} of {len(questions)} questions are answered so far; {complete} have all four of "
             "answer, notebook, exercise and library class.", ""]
    for c, qs in by_chapter(questions):
        status = "" if c in chapters else " (not written yet)"
        lines += [f"## Chapter {c}. {chapter_title(c, chapters)}{status}", ""]
        for q in qs:
            lines += [f"### Q{q.n}. {q.text}", "", links_html(q), ""]
            if q.answer:
                lines += [q.answer, ""]
    return "\n".join(lines) + "\n"


def drill_entry(q):
    return [f'<details class="drill">', f"<summary><b>Q{q.n}.</b> {html.escape(q.text)}</summary>", "",
            q.answer, "", links_html(q), "</details>", ""]


def drill_page(questions, chapters):
    """Markdown (MyST) of the drill page: answers folded, in chapter order and in one fixed shuffle."""
    answered = [q for q in questions if q.answer]
    lines = ["# Drill", "",
             "Read a question, say your answer aloud, then open it to compare. Each answer is folded "
             "(no JavaScript needed). The same drill runs in a terminal and keeps a record of what you "
             "knew: `./llmbook drill` (`--chapter N`, `--random`, `--count K`).", ""]
    waiting = len(questions) - len(answered)
    if waiting:
        lines += [f"{waiting} questions wait for chapters not written yet; [The 50 questions](questions.md) "
                  "lists them.", ""]
    lines += ["## In chapter order", ""]
    for c, qs in by_chapter(answered):
        lines += [f"### Chapter {c}. {chapter_title(c, chapters)}", ""]
        for q in qs:
            lines += drill_entry(q)
    shuffled = [q for _, qs in by_chapter(answered) for q in qs]
    random.Random(SEED).shuffle(shuffled)
    lines += ["## Shuffled", "", f"The same questions in one random order (seed {SEED}, fixed when the book is built).", ""]
    for q in shuffled:
        lines += drill_entry(q)
    return "\n".join(lines) + "\n"


def write_pages(questions, src):
    """Writes questions.md and drill.md into the Sphinx source folder SRC; returns their names."""
    chapters = chapter_files(ROOT)
    for name, text in (("questions", questions_page(questions, chapters)), ("drill", drill_page(questions, chapters))):
        with open(os.path.join(src, name + ".md"), "w", encoding="utf-8") as f:
            f.write(text)
    return ["questions", "drill"]


SOURCE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="{up}_static/favicon.svg">
<style>body{{font-family:sans-serif;margin:1.5em;}} {css}</style></head>
<body><p><a href="{up}questions.html">The 50 questions</a> · <code>{path}</code></p>
{code}</body></html>
"""


def write_source_pages(questions, out):
    """Writes one syntax-highlighted page per tagged source into OUT/code (see code_page)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import JavaLexer
    fmt = HtmlFormatter(linenos="table")
    css = fmt.get_style_defs(".highlight")
    paths = sorted({link.path for q in questions for link in q.exercises + q.classes})
    for rel in paths:
        page = os.path.join(out, code_page(rel))
        os.makedirs(os.path.dirname(page), exist_ok=True)
        up = "../" * code_page(rel).count("/")
        text = SOURCE_PAGE.format(title=html.escape(os.path.basename(rel)), up=up, css=css, path=html.escape(rel),
                                  code=highlight(read(os.path.join(ROOT, rel)), JavaLexer(), fmt))
        tmp = page + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, page)
    return paths


class _Anchors(html.parser.HTMLParser):
    """The hrefs and the ids of one page."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag_, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)
            if k == "href" and v and tag_ == "a":
                self.hrefs.append(v)


def _parse(path):
    p = _Anchors()
    p.feed(read(path))
    return p


def broken_links(out, pages):
    """The links of PAGES (paths relative to OUT) that do not resolve to a file and anchor in OUT."""
    bad, cache = [], {}
    for page in pages:
        for h in _parse(os.path.join(out, page)).hrefs:
            parts = urllib.parse.urlsplit(h)
            if parts.scheme or parts.netloc:
                continue  # the theme's own links (the questions link only inside the book)
            target = os.path.normpath(os.path.join(os.path.dirname(os.path.join(out, page)),
                                                   urllib.parse.unquote(parts.path))) if parts.path else os.path.join(out, page)
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.isfile(target):
                bad.append(f"{page}: broken link {h}")
            elif parts.fragment and target.endswith(".html"):
                if target not in cache:
                    cache[target] = _parse(target).ids
                if urllib.parse.unquote(parts.fragment) not in cache[target]:
                    bad.append(f"{page}: broken anchor {h}")
    return bad
