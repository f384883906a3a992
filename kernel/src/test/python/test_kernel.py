"""Conformance tests of the llmbook Java kernel, with Jupyter's own kernel test suite.

Run by ./llmbook test (step "kernel") as
    JUPYTER_PATH=.llmbook/jupyter/share/jupyter /usr/bin/python3 -m unittest -v kernel/src/test/python/test_kernel.py
after the kernelspec `java` has been installed there (./llmbook does both).
"""
import re
import time
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel


class JavaKernelConformance(jupyter_kernel_test.KernelTests):
    """The standard checks: kernel_info, streams, completion, is_complete, errors, results, display, inspect."""

    kernel_name = "java"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Math.sq", "matches": {"sqrt("}},
    ]
    complete_code_samples = ["1 + 1", "int x = 3;", "for (int i = 0; i < 3; i++) { x += i; }", "%jars /dev/null"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int[] a = {1, 2,", "int f(int a) {"]
    invalid_code_samples = []
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "int y = 5;\ny + 1", "result": "6"},
        {"code": "\"text\"", "result": "text"},
    ]
    code_display_data = [
        {"code": "display(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
    ]
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_inspect_sample = "Math.max"


class JavaKernelBehaviour(unittest.TestCase):
    """What the notebooks rely on beyond the standard checks."""

    @classmethod
    def setUpClass(cls):
        t0 = time.time()
        cls.km, cls.kc = start_new_kernel(kernel_name="java", startup_timeout=120)
        cls.startup_seconds = time.time() - t0
        print(f"\n[kernel start-up to ready: {cls.startup_seconds:.1f} s]")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def error_text(self, outputs):
        """The traceback lines of the error outputs, without their colours."""
        return "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line)
                         for m in outputs if m["msg_type"] == "error" for line in m["content"]["traceback"])

    def run_cell(self, code, timeout=120):
        """Executes code; returns (reply content, list of iopub output messages)."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        return reply["content"], [m for m in outputs if m["msg_type"] in ("stream", "execute_result", "display_data", "error")]

    def test_library_and_vector_api_are_on_the_classpath(self):
        content, out = self.run_cell("llmbook.Version.describe()")
        self.assertEqual(content["status"], "ok", out)
        text = out[-1]["content"]["data"]["text/plain"]
        self.assertIn("jdk.incubator.vector loaded", text)
        content, out = self.run_cell("jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() > 0")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "true")

    def test_chart_renders_as_png_and_table_as_html(self):
        code = ("org.knowm.xchart.XYChart c = new org.knowm.xchart.XYChartBuilder().width(300).height(200).title(\"t\").build();\n"
                "c.addSeries(\"s\", new double[]{1, 2, 3}, new double[]{1, 4, 9});\n"
                "c")
        content, out = self.run_cell(code)
        self.assertEqual(content["status"], "ok", out)
        self.assertIn("image/png", out[-1]["content"]["data"])
        code = ("tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create(\"squares\",\n"
                "    tech.tablesaw.api.IntColumn.create(\"n\", new int[]{1, 2, 3}),\n"
                "    tech.tablesaw.api.IntColumn.create(\"n²\", new int[]{1, 4, 9}));\n"
                "t")
        content, out = self.run_cell(code)
        data = out[-1]["content"]["data"]
        self.assertIn("<table", data["text/html"])
        self.assertIn("<td>9</td>", data["text/html"])
        self.assertIn("text/plain", data)

    def test_update_display_replaces_an_output(self):
        content, out = self.run_cell('String id = display("first");\nupdateDisplay(id, "second");')
        self.assertEqual(content["status"], "ok", out)
        kinds = [m["msg_type"] for m in out]
        self.assertIn("display_data", kinds)

    def interrupted_reply(self, code, after_seconds):
        """Starts code, interrupts it after a while, and returns its execute_reply content."""
        msg_id = self.kc.execute(code)
        time.sleep(after_seconds)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        return reply["content"]

    def test_interrupt_stops_a_busy_loop_and_the_kernel_survives(self):
        self.assertEqual(self.interrupted_reply("long spins = 0; while (true) { spins++; }", 3)["status"], "error")
        content, out = self.run_cell("1 + 2")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "3")

    def test_interrupt_stops_library_code_that_checks_for_interrupts(self):
        self.assertEqual(self.interrupted_reply("Thread.sleep(60_000);", 2)["status"], "error")

    def test_compile_error_names_the_problem(self):
        content, out = self.run_cell('int z = "not a number";')
        self.assertEqual(content["status"], "error")
        self.assertIn("incompatible types", self.error_text(out))

    def test_jars_magic_adds_a_jar_and_refuses_a_missing_one(self):
        content, out = self.run_cell("%jars /no/such/file.jar")
        self.assertEqual(content["status"], "error")
        self.assertIn("no such file", self.error_text(out))

    def test_a_later_import_keeps_earlier_variables(self):
        self.run_cell('String whale = "Moby";')
        self.run_cell("import java.util.*;\nimport tech.tablesaw.api.*;")
        content, out = self.run_cell("whale.length()")
        self.assertEqual(content["status"], "ok", self.error_text(out))
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "4")

    def test_declarations_persist_between_cells(self):
        self.run_cell("int base = 40;\nint twice(int a) { return 2 * a; }")
        content, out = self.run_cell("twice(base) + 2")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "82")

    def test_system_exit_ends_the_cell_not_the_kernel(self):
        self.run_cell("int kept = 41;")
        for code, call in [("System.exit(0);", "System.exit(0)"),
                           ("Runtime.getRuntime().halt(3);", "Runtime.halt(3)"),
                           ("Runtime.getRuntime().exit(4);", "Runtime.exit(4)"),
                           ("java.util.function.IntConsumer quit = System::exit;\nquit.accept(5);", "System.exit(5)"),
                           ("try { System.exit(1); } catch (Exception e) { }", "System.exit(1)")]:
            content, out = self.run_cell(code, timeout=30)
            self.assertEqual(content["status"], "error", code)
            self.assertIn(call + " was called: the kernel stays up", self.error_text(out))
        content, out = self.run_cell('Thread t = new Thread(() -> System.exit(2));\nt.start(); t.join();\n"joined"', timeout=30)
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "joined")
        stderr = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertIn("System.exit(2) was called: the kernel stays up", stderr)
        content, out = self.run_cell("int x = 1;\nx + kept")
        self.assertEqual(content["status"], "ok", self.error_text(out))
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "42")

    def test_compile_error_names_the_cell_line_without_noise(self):
        content, out = self.run_cell("int a = 1;\n\nint c = foo + a;")
        text = self.error_text(out)
        self.assertIn("cell line 3: cannot find symbol: variable foo", text)
        self.assertIn("    int c = foo + a;\n            ^", text)
        self.assertNotIn("location: class", text)

    def test_stack_frames_name_cells_and_lines(self):
        content, out = self.run_cell("// a helper that fails\nint boom(int n) {\n  if (n == 0)\n    throw new IllegalStateException(\"bottom\");\n  return boom(n - 1);\n}")
        self.assertEqual(content["status"], "ok", self.error_text(out))
        defined_in = content["execution_count"]
        content, out = self.run_cell("int before = 1;\n// call it\n\nboom(1);")
        text = self.error_text(out)
        self.assertIn("java.lang.IllegalStateException: bottom", text)
        self.assertIn(f"at boom (cell [{defined_in}], line 4)", text)
        self.assertIn(f"at boom (cell [{defined_in}], line 5)", text)
        self.assertIn("at line 4 of this cell", text)
        self.assertNotIn("#", text)

    def test_redefining_a_class_says_which_variables_were_reset(self):
        self.run_cell("class Whale { int length = 20; }\nWhale moby = new Whale();\nWhale dick = new Whale();")
        content, out = self.run_cell("class Whale { int length = 25; String name; }")
        self.assertEqual(content["status"], "ok", self.error_text(out))
        notes = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertIn("class Whale was redefined: variables moby, dick of the old Whale were reset to null", notes)
        content, out = self.run_cell("moby")
        self.assertEqual(content["status"], "ok", self.error_text(out))
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "null")
        self.run_cell("record Point(int x) {}\nPoint origin = new Point(0);")
        content, out = self.run_cell("record Point(int x, int y) {}")
        notes = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertIn("record Point was redefined: variable origin is gone: its declaration no longer compiles with the new Point", notes)


if __name__ == "__main__":
    unittest.main()
