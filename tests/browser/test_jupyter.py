#!/usr/bin/python3
"""Jupyter as a reader uses it, in headless Chromium.

The server is started exactly as a reader starts it, `./llmbook start --no-browser` (on a free
port, with LLMBOOK_QUICK=1 so the benchmarks are short), and chapter 0 is opened in the Notebook 6
UI with the token from the URL the launcher prints. Through the menus: Cell > All Output > Clear,
then Cell > Run All; when the kernel is idle every code cell must have an output, none an error,
and the charts must be decoded images. Then a cell that sleeps in a loop is run and stopped with
Kernel > Interrupt, and the kernel must still answer. A missing or wrong token gets no access.
The notebook file is never saved (autosave off) and is checked to be unchanged at the end.
"""
import os
import re
import signal
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "llmbook")
NOTEBOOK = "ch00-getting-started.ipynb"
URL_FILE = os.path.join(ROOT, ".llmbook", "jupyter-url")

CELLS = """return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => ({
  prompt: c.input_prompt_number === undefined ? null : String(c.input_prompt_number),
  kinds: c.output_area.outputs.map(o => o.output_type),
  text: c.output_area.outputs.map(o => o.text || (o.data && o.data['text/plain']) || (o.traceback || []).join('\\n')).join(''),
  images: [...c.output_area.element[0].querySelectorAll('img')].map(i => i.complete ? i.naturalWidth : 0),
}));"""


class JupyterInBrowser(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        browser.require_browser(cls)
        cls.server = cls.chrome = None
        with open(os.path.join(ROOT, "notebooks", NOTEBOOK), "rb") as f:
            cls.notebook_bytes = f.read()
        cls.saved_url = None
        if os.path.exists(URL_FILE):
            with open(URL_FILE, "rb") as f:
                cls.saved_url = f.read()
        port = subprocess.run(["bash", "-c", f'source "{LAUNCHER}"; free_port 8890'], capture_output=True, text=True).stdout.strip()
        cls.server = subprocess.Popen([LAUNCHER, "start", "--no-browser", "--port", port], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True,
                                      env={**os.environ, "LLMBOOK_QUICK": "1"})
        url, lines = None, []
        deadline = time.time() + 300
        while url is None and time.time() < deadline:
            line = cls.server.stderr.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"starting Jupyter on (http://\S+)", line)
            url = m and m.group(1)
        if url is None:
            cls.tearDownClass()
            raise AssertionError("./llmbook start printed no URL:\n" + "".join(lines))
        cls.url = url
        cls.origin = url.split("/?")[0]
        cls.token = url.split("token=")[1]
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{cls.origin}/api/status?token={cls.token}", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        cls.chrome = browser.Chrome()
        cls.driver = cls.chrome.driver

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.chrome:
                cls.chrome.close()
        finally:
            if cls.server:
                os.killpg(cls.server.pid, signal.SIGTERM)
                try:
                    cls.server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(cls.server.pid, signal.SIGKILL)
                    cls.server.wait()
                cls.server.stderr.close()
            if cls.saved_url is not None:
                old = os.umask(0o077)
                try:
                    with open(URL_FILE + ".tmp", "wb") as f:
                        f.write(cls.saved_url)
                    os.replace(URL_FILE + ".tmp", URL_FILE)
                finally:
                    os.umask(old)

    @classmethod
    def fail(cls, msg):  # require_browser calls it on the class under CI
        raise AssertionError(msg)

    def wait(self, script, timeout, what):
        """Polls the JavaScript expression SCRIPT until it is truthy; returns its value."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = self.driver.execute_script(f"try {{ return {script}; }} catch (e) {{ return null; }}")
            if v:
                return v
            time.sleep(0.25)
        self.fail(f"timed out after {timeout} s waiting for {what}")

    def menu(self, menu_id, item_id, submenu=None):
        """Clicks menu MENU_ID, hovers SUBMENU if given, then clicks ITEM_ID, as a reader does."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.ID, menu_id).click()
        if submenu:
            ActionChains(self.driver).move_to_element(self.driver.find_element(By.ID, submenu)).perform()
        item = self.driver.find_element(By.ID, item_id)
        self.wait(f"document.getElementById('{item_id}').offsetParent !== null", 10, f"menu item {item_id}")
        item.find_element(By.TAG_NAME, "a").click()

    def idle(self, timeout):
        self.wait("Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') "
                  "&& Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || c.input_prompt_number !== '*')",
                  timeout, "the kernel to be idle")

    def run_new_cell(self, code):
        """Appends a code cell, selects it and runs it with the toolbar's Run button; returns its index."""
        from selenium.webdriver.common.by import By
        i = self.driver.execute_script(
            "const c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text(arguments[0]);"
            "const i = Jupyter.notebook.find_cell_index(c); Jupyter.notebook.select(i); return i;", code)
        self.driver.find_element(By.CSS_SELECTOR, "button[data-jupyter-action='jupyter-notebook:run-cell-and-select-next']").click()
        return i

    def cell(self, i):
        return self.driver.execute_script(CELLS)[self.driver.execute_script(
            f"return Jupyter.notebook.get_cells().slice(0, {i}).filter(c => c.cell_type === 'code').length")]

    def test_1_no_access_without_the_token(self):
        for q in ["", "?token=wrong"]:
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(f"{self.origin}/api/contents/{NOTEBOOK}{q}", timeout=10)
            self.assertEqual(403, e.exception.code, q)
            self.driver.get(f"{self.origin}/notebooks/{NOTEBOOK}{q}")
            self.assertIn("/login", self.driver.current_url, q)
            self.assertNotIn("Version.describe", self.driver.page_source)

    def test_2_run_all_then_interrupt(self):
        d = self.driver
        d.get(self.url)   # the token logs the browser in (a cookie), as the printed URL does
        d.get(f"{self.origin}/notebooks/{NOTEBOOK}")
        self.wait("Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", 120, "the kernel")
        d.execute_script("Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.writable = false;")
        self.idle(120)
        self.menu("celllink", "clear_all_output", submenu="all_outputs")
        self.assertTrue(all(not c["kinds"] for c in d.execute_script(CELLS)), "outputs left after Clear")
        t0 = time.time()
        self.menu("celllink", "run_all_cells")
        self.wait("document.querySelector('#kernel_indicator_icon.kernel_busy_icon') || "
                  "Jupyter.notebook.get_cells().some(c => c.input_prompt_number === '*')", 30, "Run All to start")
        self.idle(600)
        print(f"\n[chapter 0: Run All took {time.time() - t0:.1f} s in the browser]", file=sys.stderr)
        cells = d.execute_script(CELLS)
        self.assertGreater(len(cells), 3)
        for n, c in enumerate(cells, 1):
            self.assertTrue(c["kinds"], f"code cell {n} has no output")
            self.assertNotIn("error", c["kinds"], f"code cell {n}: {c['text'][:500]}")
            self.assertRegex(c["prompt"], r"^\d+$", f"code cell {n} did not run")
        charts = [w for c in cells for w in c["images"]]
        self.assertGreaterEqual(len(charts), 2, "the charts are not images")
        self.assertTrue(all(w > 100 for w in charts), f"chart images do not decode: widths {charts}")

        i = self.run_new_cell("for (int i = 0; i < 600; i++) Thread.sleep(100);")
        self.wait("document.querySelector('#kernel_indicator_icon.kernel_busy_icon')", 30, "the sleeping cell to run")
        time.sleep(1.5)
        t1 = time.time()
        self.menu("kernellink", "int_kernel")
        self.idle(20)
        stopped = time.time() - t1
        c = self.cell(i)
        self.assertIn("error", c["kinds"], f"the interrupted cell reports no error: {c}")
        self.assertLess(stopped, 10)
        j = self.run_new_cell("1 + 2")
        self.idle(30)
        self.assertEqual("3", self.cell(j)["text"])
        # Notebook 6 always tries to load the ipywidgets extension ("HARDCODED WIDGETS HACK" in its
        # main.js) and logs a 404 when it is not installed; the notebooks use no widgets.
        self.assertEqual([], [m for m in self.chrome.console_errors() if "nbextensions/widgets/notebook/js/extension.js" not in m])
        d.execute_script("window.onbeforeunload = null;")

    def test_3_notebook_file_unchanged(self):
        with open(os.path.join(ROOT, "notebooks", NOTEBOOK), "rb") as f:
            now = f.read()
        if now != self.notebook_bytes:
            with open(os.path.join(ROOT, "notebooks", NOTEBOOK + ".tmp"), "wb") as f:
                f.write(self.notebook_bytes)
            os.replace(os.path.join(ROOT, "notebooks", NOTEBOOK + ".tmp"), os.path.join(ROOT, "notebooks", NOTEBOOK))
            self.fail(f"the browser test saved notebooks/{NOTEBOOK} (restored)")


if __name__ == "__main__":
    unittest.main()
