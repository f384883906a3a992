#!/usr/bin/python3
"""Tests of the ./llmbook launcher: what set-up installs, bench's BLAS check, the corpora the Java
verbs fetch, and how `start` serves Jupyter (port, token). Run by `./llmbook test --only launcher`,
after set-up (a built library, Debian's Jupyter stack, numpy with OpenBLAS).

Single launcher functions are called by sourcing the launcher in bash (sourced, it runs nothing).
"""
import ast
import glob
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import sysconfig
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "llmbook")
PY = "/usr/bin/python3"


def launcher_text():
    with open(LAUNCHER, encoding="utf-8") as f:
        return f.read()


def entries(name):
    """The entries of the bash array NAME=( ... ) in the launcher: (kind, program or module, package)."""
    m = re.search(r"^%s=\(([^)]*)\)" % name, launcher_text(), re.M)
    assert m, f"no {name}=( ... ) in the launcher"
    words = re.sub(r"#[^\n]*", "", m.group(1)).split()
    return [tuple(w.split(":")) for w in words]


def bash(script, env=None, **kw):
    """Runs SCRIPT in bash after sourcing the launcher; returns the CompletedProcess."""
    return subprocess.run(["bash", "-c", f'source "{LAUNCHER}"; {script}'], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT, **kw)


def imports(path):
    """Top-level module names imported by the Python file at PATH."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def third_party(names):
    return {n for n in names if n not in sys.stdlib_module_names}


class Packages(unittest.TestCase):
    """Set-up installs by name every package the verbs use (apt-get --no-install-recommends)."""

    def test_every_module_the_verbs_import_is_installed_by_name(self):
        tools = {mod: pkg for kind, mod, pkg in entries("TOOLS") + entries("BROWSER_TOOLS") if kind == "py"}
        used = set()
        local = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "tests/browser/*.py")) + glob.glob(os.path.join(ROOT, "book/*.py"))}
        for f in ["book/execute.py", "book/build.py", "book/questions.py", "book/drill.py",
                  "kernel/src/test/python/test_kernel.py", "tests/launcher/test_launcher.py"] \
                + [os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "tests/browser/*.py"))
                   + glob.glob(os.path.join(ROOT, "tests/book/*.py"))]:
            used |= third_party(imports(os.path.join(ROOT, f))) - local
        conf = {}
        with open(os.path.join(ROOT, "book/conf.py"), encoding="utf-8") as f:
            exec(f.read(), conf)
        used |= {e.split(".")[0] for e in conf["extensions"]} | {conf["html_theme"]}
        with open(os.path.join(ROOT, "book/build.py"), encoding="utf-8") as f:   # python3 -m sphinx
            used |= third_party(set(re.findall(r'"-m", "(\w+)"', f.read())))
        used |= third_party(set(re.findall(r"-m (\w+)", launcher_text())))       # python3 -m notebook
        self.assertLessEqual({"notebook", "sphinx", "nbsphinx", "nbclient"}, used)  # the parsing found them
        self.assertEqual(set(), used - set(tools), "modules the verbs import with no py: entry in TOOLS")

    def test_pandoc_is_installed_by_name(self):
        # nbsphinx converts every Markdown cell with pandoc, which python3-nbconvert only recommends:
        # with --no-install-recommends the book failed with PandocMissing on a fresh machine.
        bins = {prog: pkg for kind, prog, pkg in entries("TOOLS") if kind == "bin"}
        self.assertEqual("pandoc", bins.get("pandoc"))
        for prog in ["mvn", "npm", PY]:
            self.assertIn(prog, bins)

    def test_browser_and_offline_math_are_installed_by_name(self):
        # The book is read offline: MathJax comes from Debian (book/build.py copies it), not a CDN.
        self.assertIn(("deb", "", "libjs-mathjax"), entries("TOOLS"))
        self.assertLessEqual({("bin", "chromium", "chromium"), ("bin", "chromedriver", "chromium-driver"),
                              ("py", "selenium", "python3-selenium")}, set(entries("BROWSER_TOOLS")))
        with open(os.path.join(ROOT, "book/build.py"), encoding="utf-8") as f:
            self.assertIn('"/usr/share/javascript/mathjax"', f.read())

    def test_bench_entries_cover_the_bench_scripts(self):
        numpy = {mod for kind, mod, pkg in entries("BENCH_NUMPY") if kind == "py"}
        torch = {mod for kind, mod, pkg in entries("BENCH_TORCH") if kind == "py"}
        self.assertLessEqual(third_party(imports(os.path.join(ROOT, "lib/src/main/resources/llmbook/cli/numpy_matmul.py"))), numpy)
        self.assertLessEqual(third_party(imports(os.path.join(ROOT, "lib/src/test/python/reference_gpt.py"))), torch)
        for name in ["BENCH_NUMPY", "BENCH_TORCH"]:
            pkgs = {pkg for _, _, pkg in entries(name)}
            self.assertIn("libopenblas0-pthread", pkgs, name)    # numpy alone brings the reference BLAS
            self.assertIn("python3-threadpoolctl", pkgs, name)   # check_blas needs it

    def test_each_package_exists_and_provides_its_module_without_recommends(self):
        """Each entry names a real Debian package, and the module or program it stands for comes from
        that package or from one of its Depends (never from a Recommends, which set-up does not install)."""
        all_entries = set(entries("TOOLS")) | set(entries("BENCH_NUMPY")) | set(entries("BENCH_TORCH")) | set(entries("BROWSER_TOOLS"))
        for kind, name, pkg in sorted(all_entries):
            r = subprocess.run(["apt-cache", "show", "--no-all-versions", pkg], capture_output=True, text=True)
            self.assertEqual(0, r.returncode, f"no Debian package {pkg}")
        for kind, name, pkg in sorted(set(entries("TOOLS")) | set(entries("BROWSER_TOOLS"))):
            if kind == "py":
                path = subprocess.run([PY, "-c", f"import importlib.util as u; print(u.find_spec('{name}').origin)"],
                                      capture_output=True, text=True, check=True).stdout.strip()
            elif name == "pandoc":  # other programs may come from elsewhere (npm from nodesource, say)
                path = subprocess.run(["bash", "-c", f'readlink -f "$(command -v {name})"'], capture_output=True, text=True).stdout.strip()
            else:
                continue
            owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
            if owner.returncode != 0:
                continue  # not installed from a Debian package (pip): nothing to check
            owners = {o.split(":")[0] for o in owner.stdout.split(": ")[0].split(", ")}
            deps = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                                   "--no-breaks", "--no-replaces", "--no-enhances", pkg], capture_output=True, text=True).stdout
            closure = {l.strip() for l in deps.splitlines() if not l.startswith(" ")}
            self.assertTrue(owners & closure, f"{name} comes from {owners}, not from {pkg} or its Depends")

    def test_missing_packages_reports_each_kind(self):
        r = bash("missing_packages bin:no-such-program-llmbook:pkg-a py:no_such_module_llmbook:pkg-b deb::no-such-package-llmbook "
                 "bin:bash:bash py:json:python3 deb::bash")
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual(["pkg-a", "no-such-package-llmbook", "pkg-b"], r.stdout.split())

    def test_test_installs_the_browser_tools_before_the_launcher_step(self):
        """On a fresh machine the check below ran before Chromium was installed (it came with the browser step)."""
        body = launcher_text().split("cmd_test() {", 1)[1].split("\n}\n", 1)[0]
        install = body.index('ensure_packages "${BROWSER_TOOLS[@]}"')
        self.assertLess(install, body.index("run_step launcher"))
        self.assertLess(install, body.index("run_step unit"))

    def test_nothing_is_missing_after_setup(self):
        r = bash('missing_packages "${TOOLS[@]}" "${BENCH_NUMPY[@]}" "${BROWSER_TOOLS[@]}"')
        self.assertEqual(("", 0), (r.stdout, r.returncode), r.stderr)


REFERENCE_BLAS = f"/usr/lib/{sysconfig.get_config_var('MULTIARCH') or 'x86_64-linux-gnu'}/blas"  # Debian's libblas3


class BlasCheck(unittest.TestCase):
    """bench --numpy refuses a numpy whose BLAS is not OpenBLAS (the reference BLAS gave fake 14x wins)."""

    def test_openblas_passes(self):
        r = bash("check_blas numpy")
        self.assertEqual(0, r.returncode, r.stderr)

    def test_no_openblas_known_to_threadpoolctl_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "threadpoolctl.py"), "w") as f:
                f.write("def threadpool_info():\n    return []\n")
            r = bash("check_blas numpy", env={"PYTHONPATH": d})
        self.assertEqual(1, r.returncode)
        self.assertIn("numpy calls a BLAS that is not OpenBLAS", r.stderr)
        self.assertIn("sudo apt-get install libopenblas0-pthread", r.stderr)
        self.assertEqual(1, len(r.stderr.strip().splitlines()), r.stderr)

    @unittest.skipUnless(os.path.isdir(REFERENCE_BLAS), "Debian's reference BLAS (libblas3) is not installed")
    def test_reference_blas_is_refused_end_to_end(self):
        # The reference libblas.so.3 first on the library path: numpy's sgemm runs there, while
        # OpenBLAS's liblapack still loads libopenblas, so threadpoolctl alone would say "openblas".
        r = subprocess.run([LAUNCHER, "bench", "--numpy", "--filter", "no case matches this"], capture_output=True, text=True,
                           env={**os.environ, "LD_LIBRARY_PATH": REFERENCE_BLAS}, cwd=ROOT)
        self.assertEqual(1, r.returncode, r.stdout + r.stderr)
        self.assertNotIn("Traceback", r.stdout + r.stderr)
        self.assertRegex(r.stderr, r"bench --numpy: numpy calls a BLAS that is not OpenBLAS \(.*/blas/libblas\.so")
        self.assertNotIn("op ", r.stdout)  # refused before any timing


class HugePages(unittest.TestCase):
    """The JVMs ask for transparent huge pages where the Linux kernel hands them out on request (mode "madvise")."""

    def test_flag_only_in_madvise_mode(self):
        with tempfile.TemporaryDirectory() as d:
            for mode, want in [("always [madvise] never", "-XX:+UseTransparentHugePages"), ("[always] madvise never", ""),
                               ("always madvise [never]", "")]:
                path = os.path.join(d, "enabled")
                with open(path, "w") as f:
                    f.write(mode + "\n")
                r = bash(f'thp_opts "{path}"')
                self.assertEqual((want, 0), (r.stdout.strip(), r.returncode), mode + ": " + r.stderr)
            r = bash(f'thp_opts "{os.path.join(d, "missing")}"')
            self.assertEqual(("", 0), (r.stdout, r.returncode), r.stderr)

    def test_kernelspec_and_java_verbs_carry_it_when_the_system_offers_it(self):
        flag = bash("thp_opts").stdout.strip()
        spec = os.path.join(ROOT, ".llmbook", "jupyter", "share", "jupyter", "kernels", "java", "kernel.json")
        self.assertTrue(os.path.isfile(spec), "set-up writes the kernelspec")
        with open(spec, encoding="utf-8") as f:
            argv = __import__("json").load(f)["argv"]
        self.assertEqual(bool(flag), "-XX:+UseTransparentHugePages" in argv, argv)
        # a Java verb's JVM: its input arguments, printed by the JVM itself
        r = subprocess.run([LAUNCHER, "tokenize", "--tokenizer", "char"], input="x", capture_output=True, text=True,
                           env={**os.environ, "LLMBOOK_JAVA_OPTS": "-XX:+PrintCommandLineFlags"}, cwd=ROOT, timeout=300)
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual(bool(flag), "-XX:+UseTransparentHugePages" in r.stdout + r.stderr, r.stdout[:400])


class JavaVerbsFetchCorpora(unittest.TestCase):
    """train, generate, tokenizer and tokenize download the corpora they read, as start does."""

    def run_verb(self, data, *args, stdin=None):
        return subprocess.run([LAUNCHER, *args], input=stdin, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "LLMBOOK_DATA": data}, cwd=ROOT)

    def test_tokenize_and_train_on_an_empty_data_folder(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            r = self.run_verb(data, "tokenize", "--tokenizer", "char", stdin="Call me Ishmael.")
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertEqual(16, len(r.stdout.split()))
            self.assertTrue(os.path.isfile(os.path.join(data, "moby-dick", "SOURCE")))
            r = self.run_verb(data, "train", "--corpus", "sotu", "--steps", "1", "--layers", "1", "--heads", "1", "--width", "16",
                              "--context", "8", "--batch", "1", "--warmup", "1", "--eval-interval", "1", "--eval-batches", "1", "--out", os.path.join(d, "run"))
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertTrue(os.path.isfile(os.path.join(d, "run", "model.safetensors")))

    def test_help_downloads_nothing_and_unknown_corpus_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            r = self.run_verb(data, "train", "--help")
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertFalse(os.path.exists(data))
            r = self.run_verb(data, "tokenizer", "train", "--corpus=no-such-corpus", "--vocab", "300", "--out", os.path.join(d, "t.bpe"))
            self.assertEqual(1, r.returncode)
            self.assertIn("unknown corpus 'no-such-corpus'; known: moby-dick sotu", r.stderr)


class Start(unittest.TestCase):
    """start serves on the port whose URL it prints and saves; the token is private."""

    def setUp(self):
        self.url_file = os.path.join(ROOT, ".llmbook", "jupyter-url")
        self.saved = None
        if os.path.exists(self.url_file):
            with open(self.url_file, "rb") as f:
                self.saved = f.read()

    def tearDown(self):
        if self.saved is not None:
            old = os.umask(0o077)
            try:
                with open(self.url_file, "wb") as f:
                    f.write(self.saved)
            finally:
                os.umask(old)

    def test_busy_port_private_token(self):
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        p = subprocess.Popen([LAUNCHER, "start", "--no-browser", "--port", str(port)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)
        try:
            url, lines = None, []
            deadline = time.time() + 300
            while url is None and time.time() < deadline:
                line = p.stderr.readline()
                if not line:
                    break
                lines.append(line)
                m = re.search(r"starting Jupyter on (http://\S+)", line)
                url = m and m.group(1)
            self.assertIsNotNone(url, "".join(lines))
            self.assertIn(f"port {port} is in use; serving on", "".join(lines))
            served = int(re.search(r":(\d+)/", url).group(1))
            self.assertNotEqual(port, served)
            token = url.split("token=")[1]
            status = None
            while time.time() < deadline and status is None:
                try:
                    status = urllib.request.urlopen(url, timeout=5).status
                except OSError:
                    time.sleep(0.5)
            self.assertEqual(200, status, f"{url} does not answer")
            with self.assertRaises(urllib.error.HTTPError) as e:   # the token is checked
                urllib.request.urlopen(f"http://127.0.0.1:{served}/api/status?token=wrong", timeout=5)
            self.assertEqual(403, e.exception.code)
            with open(self.url_file) as f:
                self.assertEqual(url + "\n", f.read())
            self.assertEqual(0o600, stat.S_IMODE(os.stat(self.url_file).st_mode))
            # exec: the launcher's process is Jupyter's
            args = subprocess.run(["ps", "-o", "args=", "-p", str(p.pid)], capture_output=True, text=True).stdout
            self.assertIn("-m notebook", args)
            self.assertNotIn(token, args)
            with open(f"/proc/{p.pid}/cmdline", "rb") as f:
                self.assertNotIn(token.encode(), f.read())
        finally:
            busy.close()
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            p.stderr.close()


if __name__ == "__main__":
    unittest.main()
