"""Headless Chromium for the browser tests: Debian's chromium + chromium-driver through python3-selenium.

`chrome()` gives a WebDriver that records the browser console and every network request. When
Chromium, its driver or Selenium is missing the tests are skipped with a message saying what to
install, except under CI (CI set in the environment), where a missing browser is a failure.
"""
import json
import os
import shutil
import tempfile
import unittest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Root in a container needs --no-sandbox; there is no internet, so everything Chromium would fetch by
# itself (component updates, sync, QUIC probes) is turned off: it would show up as refused requests.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--window-size=1280,1000"]


def missing():
    """What is missing to run Chromium from Python, as an install hint, or None."""
    need = []
    if not os.access(CHROMIUM, os.X_OK):
        need.append("chromium")
    if not os.access(CHROMEDRIVER, os.X_OK):
        need.append("chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        need.append("python3-selenium")
    return f"sudo apt-get install {' '.join(need)}" if need else None


def require_browser(test):
    """Skips TEST (a TestCase) when no browser can run, or fails under CI."""
    hint = missing()
    if hint is None:
        return
    msg = f"browser tests need Chromium, which is not installed ({hint})"
    if os.environ.get("CI"):
        test.fail(msg + "; under CI this is a failure")
    raise unittest.SkipTest(msg)


class Chrome:
    """A headless Chromium with its own empty profile; `driver` is the Selenium WebDriver."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.profile = tempfile.mkdtemp(prefix="llmbook-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for f in FLAGS:
            opts.add_argument(f)
        opts.add_argument(f"--user-data-dir={self.profile}")
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.driver.set_page_load_timeout(60)

    def console_errors(self):
        """The console messages at level SEVERE since the last call."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def requests(self):
        """The URLs requested (documents, scripts, images, XHR, web sockets) since the last call."""
        urls = []
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
            elif msg["method"] == "Network.webSocketCreated":
                urls.append(msg["params"]["url"])
        return urls

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def local(url, origin):
    """Whether URL stays on this machine: ORIGIN (http://127.0.0.1:PORT), file:, data: or blob:."""
    return url.startswith((origin + "/", "file://", "data:", "blob:", "about:", "chrome:")) or \
        url.startswith(origin.replace("http://", "ws://") + "/")
