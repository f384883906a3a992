#!/usr/bin/python3
"""Builds the static HTML book: book/*.md (MyST) plus the executed chapter notebooks.

Usage: build.py --notebooks DIR --out HTML_DIR

The Sphinx source tree is assembled in build/book-src: the chapter texts and conf.py from book/,
and the notebooks from DIR (already executed: nbsphinx never re-executes them). The table of
contents pairs each chapter text chNN-*.md with its notebook chNN-*.ipynb, so adding a chapter
needs no edit here. Two pages are generated from the questions' QN tags (book/questions.py): "The
50 questions" and "Drill", after the chapters, with a page per tagged source under code/; the build
fails if one of their links does not resolve, and, once every planned chapter exists (or with
LLMBOOK_QUESTIONS_STRICT=1), if any question lacks an answer, notebook, exercise or library class.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

BOOK = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BOOK)
# Debian's libjs-mathjax (MathJax 2.7). The book is read offline, so MathJax is served from the
# book's own _static/mathjax (conf.py: mathjax_path); only the parts the TeX-AMS_CHTML config loads.
MATHJAX = "/usr/share/javascript/mathjax"
MATHJAX_PARTS = ["MathJax.js", "config/TeX-AMS_CHTML.js", "extensions", "jax/input/TeX", "jax/element",
                 "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "localization/en"]


def copy_mathjax(out):
    """Copies the MathJax parts into OUT/_static/mathjax (once: a stamp names the source version)."""
    dest = os.path.join(out, "_static", "mathjax")
    stamp = os.path.join(dest, ".source")
    if not os.path.isfile(os.path.join(MATHJAX, "MathJax.js")):
        raise SystemExit(f"book: MathJax is missing ({MATHJAX}/MathJax.js); install it: sudo apt-get install libjs-mathjax")
    version = str(os.path.getmtime(os.path.join(MATHJAX, "MathJax.js")))
    if os.path.isfile(stamp) and open(stamp).read() == version:
        return
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for part in MATHJAX_PARTS:
        src = os.path.join(MATHJAX, part)
        target = os.path.join(tmp, part)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, target)  # follows symlinks: Debian links the fonts from fonts-mathjax
        else:
            shutil.copy(src, target)
    with open(os.path.join(tmp, ".source"), "w") as f:
        f.write(version)
    shutil.rmtree(dest, ignore_errors=True)
    os.replace(tmp, dest)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebooks", required=True, help="folder of executed notebooks")
    ap.add_argument("--out", required=True, help="output folder for the HTML")
    args = ap.parse_args()

    src = os.path.join(ROOT, "build", "book-src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "notebooks"))
    for f in glob.glob(os.path.join(BOOK, "*.md")) + [os.path.join(BOOK, "conf.py"), os.path.join(BOOK, "favicon.svg")]:
        shutil.copy(f, src)
    chapters = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(BOOK, "ch[0-9][0-9]-*.md")))
    notebooks = sorted(os.path.basename(p) for p in glob.glob(os.path.join(args.notebooks, "ch[0-9][0-9]-*.ipynb")))
    for nb in notebooks:
        shutil.copy(os.path.join(args.notebooks, nb), os.path.join(src, "notebooks", nb))

    toc = []
    for ch in chapters:
        toc.append(ch)
        toc += [f"notebooks/{nb[:-6]}" for nb in notebooks if nb[:4] == ch[:4]]
    orphans = [nb for nb in notebooks if not any(nb[:4] == ch[:4] for ch in chapters)]
    toc += [f"notebooks/{nb[:-6]}" for nb in orphans]
    sys.path.insert(0, BOOK)
    import questions as qindex
    try:
        qs = qindex.build(ROOT)
        strict = qindex.strict(ROOT)
    except qindex.IndexProblem as e:
        print(f"book: the question index: {e}", file=sys.stderr)
        return 1
    problems = qindex.check(qs, strict)
    if problems:
        print("book: questions missing a link (every planned chapter exists, or " + qindex.STRICT_ENV + " is set):",
              *problems, sep="\n  ", file=sys.stderr)
        return 1
    toc += qindex.write_pages(qs, src)

    index = os.path.join(src, "index.md")
    with open(index, encoding="utf-8") as f:
        text = f.read()
    with open(index, "w", encoding="utf-8") as f:
        f.write(text.replace("{chapters}", "\n".join(toc)))

    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1", src, args.out]
    r = subprocess.run(cmd)
    if r.returncode != 0:
        print("book: sphinx-build failed", file=sys.stderr)
        return r.returncode
    sources = qindex.write_source_pages(qs, args.out)
    bad = qindex.broken_links(args.out, ["questions.html", "drill.html"] + [qindex.code_page(p) for p in sources])
    if bad:
        print("book: links of the generated question pages do not resolve:", *bad, sep="\n  ", file=sys.stderr)
        return 1
    copy_mathjax(args.out)
    missing = sum(1 for q in qs if q.missing())
    print(f"book: the 50 questions: {sum(1 for q in qs if q.answer)} answered, {missing} missing something"
          f" (listed on questions.html; {'a failure' if strict else 'allowed until chapters ' + ', '.join(str(c) for c in sorted(qindex.PLANNED)) + ' exist'})")
    page = os.path.join(os.path.abspath(args.out), "index.html")
    print(f"book: {len(chapters)} chapter texts, {len(notebooks)} notebooks -> {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
