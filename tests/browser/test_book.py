#!/usr/bin/python3
"""The HTML book as a reader sees it, in headless Chromium, offline.

Every page of the built book (LLMBOOK_BOOK_HTML, default build/book/html) is served from
127.0.0.1 and loaded; each must log no console error, request nothing outside 127.0.0.1, show every
image decoded with a non-zero size, have every internal link and anchor resolve, and show its math
rendered by the book's own MathJax (no raw $…$ or \\( left). Search must find a term, and a
screenshot of a chapter page is saved as build/browser/ch04-attention.png. A tiny book with math,
built with book/conf.py, checks the MathJax set-up itself (the chapters have no formulas yet).

Run by `./llmbook test --only browser`; build the book first (./llmbook book --no-execute).
"""
import functools
import glob
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(ROOT, "build", "browser")

# The page's state after load: what the checks look at, gathered in one script.
PAGE_STATE = r"""
const done = arguments[arguments.length - 1];
function state() {
  const bad = [...document.images].filter(i => !i.complete || i.naturalWidth === 0 || i.naturalHeight === 0)
                                  .map(i => i.getAttribute('src'));
  const text = document.body.cloneNode(true);
  text.querySelectorAll('script, style, pre, code, .highlight, .MathJax_Preview, .MJX_Assistive_MathML').forEach(e => e.remove());
  done({
    images: document.images.length, badImages: bad,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    math: document.querySelectorAll('.math').length,
    mathOut: document.querySelectorAll('.MathJax_CHTML, .MathJax_Display, .MathJax, mjx-container').length,
    mathErrors: document.querySelectorAll('.MathJax_Error, .MathJax_CHTML merror, mjx-merror').length,
    text: text.textContent,
  });
}
if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(state); else state();
"""
RAW_MATH = re.compile(r"\\\(|\\\[|\$\$|\$[^$\s][^$\n]*\$")


class Ids(html.parser.HTMLParser):
    """The id and name attributes of a page: what a #fragment may point at."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)


@functools.lru_cache(maxsize=None)
def page_ids(path):
    p = Ids()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return frozenset(p.ids)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    """Serves FOLDER at 127.0.0.1 on a free port; returns (server, origin)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class BookInBrowser(unittest.TestCase):
    html = os.environ.get("LLMBOOK_BOOK_HTML", os.path.join(ROOT, "build", "book", "html"))

    @classmethod
    def setUpClass(cls):
        browser.require_browser(cls)
        cls.chrome = None
        if not os.path.isfile(os.path.join(cls.html, "index.html")):
            raise AssertionError(f"no book in {cls.html}: build it with ./llmbook book --no-execute")
        cls.server, cls.origin = serve(cls.html)
        cls.chrome = browser.Chrome()
        cls.driver = cls.chrome.driver
        cls.driver.set_script_timeout(60)

    @classmethod
    def tearDownClass(cls):
        if cls.chrome:
            cls.chrome.close()
        cls.server.shutdown(); cls.server.server_close()

    @classmethod
    def fail(cls, msg):  # require_browser calls it on the class under CI
        raise AssertionError(msg)

    def pages(self):
        found = []
        for p in glob.glob(os.path.join(self.html, "**", "*.html"), recursive=True):
            rel = os.path.relpath(p, self.html)
            if not rel.startswith(("_static", "_sources")):
                found.append(rel)
        return sorted(found)

    def load(self, rel, folder=None, origin=None):
        """Loads page REL and returns the problems found on it (a list of strings) and its state."""
        folder, origin = folder or self.html, origin or self.origin
        self.chrome.requests(), self.chrome.console_errors()  # forget the previous page's
        self.driver.get(f"{origin}/{rel}")
        s = self.driver.execute_async_script(PAGE_STATE)
        problems = [f"console error: {m}" for m in self.chrome.console_errors()]
        problems += [f"request leaves the machine: {u}" for u in self.chrome.requests() if not browser.local(u, origin)]
        problems += [f"image does not decode: {src}" for src in s["badImages"]]
        for url in s["links"]:
            if not url.startswith(origin + "/"):
                continue
            parts = urllib.parse.urlsplit(url)
            path = urllib.parse.unquote(parts.path.lstrip("/")) or "index.html"
            target = os.path.join(folder, path)
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.isfile(target):
                problems.append(f"broken link: {url}")
            elif parts.fragment and target.endswith(".html") and urllib.parse.unquote(parts.fragment) not in page_ids(target):
                problems.append(f"broken anchor: {url}")
        if s["math"] and s["mathOut"] < s["math"]:
            problems.append(f"math not rendered: {s['math']} formulas, {s['mathOut']} MathJax outputs")
        if s["mathErrors"]:
            problems.append(f"{s['mathErrors']} MathJax errors")
        raw = RAW_MATH.findall(s["text"])
        if raw:
            problems.append(f"raw TeX left in the text: {raw[:3]}")
        return problems, s

    def test_every_page_loads_clean_and_offline(self):
        t0 = time.time()
        pages = self.pages()
        chapters = [p for p in pages if re.match(r"ch\d\d-", p)]
        self.assertGreaterEqual(len(chapters), 1, pages)
        self.assertTrue(any(p.startswith("notebooks/") for p in pages), pages)
        problems, images = [], 0
        for rel in pages:
            found, s = self.load(rel)
            images += s["images"]
            problems += [f"{rel}: {p}" for p in found]
        print(f"\n[book: {len(pages)} pages, {images} images checked in {time.time() - t0:.1f} s]", file=sys.stderr)
        self.assertEqual([], problems)
        self.assertGreater(images, 0, "no images at all: the notebooks' charts are missing")

    def test_search_finds_a_term(self):
        self.driver.get(f"{self.origin}/search.html?q=attention")
        deadline = time.time() + 30
        hits = []
        while time.time() < deadline and not hits:
            hits = self.driver.execute_script(
                "return [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))")
            time.sleep(0.2)
        self.assertTrue(any("ch04-attention" in h for h in hits), f"search for 'attention' found {hits}")
        self.assertEqual([], self.chrome.console_errors())

    def test_screenshot_of_a_chapter(self):
        os.makedirs(SHOTS, exist_ok=True)
        shot = os.path.join(SHOTS, "ch04-attention.png")
        page = "notebooks/ch04-attention.html" if os.path.exists(os.path.join(self.html, "notebooks/ch04-attention.html")) \
            else self.pages()[0]
        self.load(page)
        self.assertTrue(self.driver.save_screenshot(shot))
        self.assertGreater(os.path.getsize(shot), 10_000)
        print(f"\n[screenshot: {shot}]", file=sys.stderr)

    def test_math_renders_offline_with_the_books_configuration(self):
        """A two-page book with inline and display math, built with book/conf.py and build.py's MathJax."""
        sys.path.insert(0, os.path.join(ROOT, "book"))
        import build
        tmp = tempfile.mkdtemp(prefix="llmbook-mathbook-")
        try:
            src, out = os.path.join(tmp, "src"), os.path.join(tmp, "html")
            os.makedirs(src)
            for f in ["conf.py", "favicon.svg"]:
                shutil.copy(os.path.join(ROOT, "book", f), src)
            with open(os.path.join(src, "index.md"), "w") as f:
                f.write("# Math\n\nThe softmax $p_i = e^{z_i} / \\sum_j e^{z_j}$ sums to one:\n\n"
                        "$$\n\\sum_i p_i = 1\n$$\n\nand scores are divided by $\\sqrt{d_k}$.\n")
            r = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", src, out], capture_output=True, text=True)
            self.assertEqual(0, r.returncode, r.stderr)
            build.copy_mathjax(out)
            server, origin = serve(out)
            try:
                problems, s = self.load("index.html", out, origin)
            finally:
                server.shutdown(); server.server_close()
            self.assertEqual([], problems)
            self.assertEqual(3, s["math"])
            self.assertGreaterEqual(s["mathOut"], 3)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
