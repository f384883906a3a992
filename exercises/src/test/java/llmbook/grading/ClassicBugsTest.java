package llmbook.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbook.util.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every grader catches the classic bugs of its exercise: each {@code src/test/bugs/NAME.edit} turns the solution into one
 * wrong implementation a student really writes (an all-zeros attention, a cross-entropy that forgets the row offset r·V,
 * …), and src/test/bugs/bugs.tsv names the grader tests that must fail on it. Each bug is graded with its grader only,
 * over an otherwise empty implementation; bugs of different exercises share a grading run.
 *
 * <p>An edit file names the solution file ({@code file: llmbook/exercises/ch06/CrossEntropy.java}) and gives hunks
 * {@code <<<<<<< solution} / old lines / {@code =======} / new lines / {@code >>>>>>> bug}; each old text must occur
 * exactly once in the solution, so an edit that no longer fits the solution fails loudly instead of testing nothing.
 */
class ClassicBugsTest {
    static final Path ROOT = Path.of(System.getProperty("llmbook.root", "..")).toAbsolutePath().normalize();
    static final Path EX = ROOT.resolve("exercises"), BUGS = EX.resolve("src/test/bugs");

    @TempDir static Path tmp;

    record Bug(String name, String grader, List<String> mustFail) {}

    /** Results of one grading round, by bug name: test name → status, plus score and max. */
    static final Map<String, Map<String, Object>> RESULTS = new HashMap<>();

    @TestFactory
    @Timeout(600)
    List<DynamicTest> everyClassicBugLosesPoints() throws IOException {
        List<Bug> bugs = new ArrayList<>();
        for (String line : Files.readAllLines(BUGS.resolve("bugs.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            bugs.add(new Bug(f[0], f[1], List.of(f[2].split(","))));
        }
        assertTrue(bugs.size() >= 3, "bugs.tsv lists the classic bugs");
        // Rounds: each round grades at most one bug per grader, all at once (one compile, graders in parallel).
        List<List<Bug>> rounds = new ArrayList<>();
        for (Bug b : bugs) {
            List<Bug> round = rounds.stream().filter(r -> r.stream().noneMatch(x -> x.grader().equals(b.grader()))).findFirst().orElse(null);
            if (round == null) rounds.add(round = new ArrayList<>());
            round.add(b);
        }
        for (int i = 0; i < rounds.size(); i++) grade(i, rounds.get(i));
        List<DynamicTest> out = new ArrayList<>();
        for (Bug b : bugs) out.add(DynamicTest.dynamicTest(b.name(), () -> check(b)));
        return out;
    }

    /** Grades one round: every bug's file over an otherwise empty implementation, with only their graders. */
    static void grade(int round, List<Bug> bugs) throws IOException {
        Path impl = tmp.resolve("round" + round + "/impl"), tests = tmp.resolve("round" + round + "/tests"), out = tmp.resolve("round" + round + "/out");
        Map<String, String> idToBug = new HashMap<>();
        for (Bug b : bugs) {
            Path src = EX.resolve("src/test/java").resolve(b.grader());
            assertTrue(Files.exists(src), "no grader " + src);
            Files.createDirectories(tests.resolve(b.grader()).getParent());
            Files.copy(src, tests.resolve(b.grader()));
            String edit = Files.readString(BUGS.resolve(b.name() + ".edit"));
            String file = edit.substring(0, edit.indexOf('\n')).replaceFirst("^file: ", "").strip();
            Path solution = ROOT.resolve("solutions/src/main/java").resolve(file), q = impl.resolve(file);
            assertTrue(Files.exists(solution), b.name() + ".edit: no solution file " + solution);
            Files.createDirectories(q.getParent());
            Files.writeString(q, applyEdit(b.name(), Files.readString(solution), edit.substring(edit.indexOf('\n') + 1)));
            var id = java.util.regex.Pattern.compile("@Exercise\\(id = \"([^\"]+)\"").matcher(Files.readString(src));
            assertTrue(id.find(), src + " has no @Exercise id");
            idToBug.put(id.group(1), b.name());
        }
        String cp = EX.resolve("target/test-classes") + java.io.File.pathSeparator
                + Files.readString(EX.resolve("target/grading.classpath")).strip();
        Grade.Options o = Grade.options(new String[] {"--impl", impl.toString(), "--tests", tests.toString(),
                "--out", out.toString(), "--root", ROOT.toString(), "--classpath", cp, "--timeout", "20", "--heap", "512", "--name", "bugs"});
        Scorecard.write(out.resolve("results.json"), Grade.grade(o), 0, o.name());
        Map<String, Object> r = Json.parseObject(Files.readString(out.resolve("results.json")));
        for (Object x : (List<?>) r.get("tests")) {
            @SuppressWarnings("unchecked") Map<String, Object> t = (Map<String, Object>) x;
            String name = (String) t.get("name"), bug = idToBug.get((String) t.get("number"));
            if (bug == null) continue;
            Map<String, Object> res = RESULTS.computeIfAbsent(bug, k -> new HashMap<>());
            res.put(name.substring(name.indexOf(": ") + 2).replace("()", ""), t.get("status"));
            res.merge("#score", ((Number) t.get("score")).intValue(), (a, c) -> (Integer) a + (Integer) c);
            res.merge("#max", ((Number) t.get("max_score")).intValue(), (a, c) -> (Integer) a + (Integer) c);
        }
    }

    /** The solution with every hunk of the edit applied (each old text found exactly once, applied from the last back). */
    static String applyEdit(String name, String solution, String hunks) {
        record Hunk(int at, String old, String now) {}
        List<Hunk> found = new ArrayList<>();
        StringBuilder old = null, now = null;
        for (String line : hunks.split("(?<=\n)")) {
            switch (line.stripTrailing()) {
                case "<<<<<<< solution" -> { old = new StringBuilder(); now = null; }
                case "=======" -> now = new StringBuilder();
                case ">>>>>>> bug" -> {
                    assertTrue(old != null && now != null, name + ".edit: '>>>>>>> bug' without its '<<<<<<< solution' and '======='");
                    String o = old.toString();
                    int at = solution.indexOf(o);
                    assertTrue(!o.isEmpty() && at >= 0, name + ".edit: this text is not in the solution:\n" + o);
                    assertEquals(-1, solution.indexOf(o, at + 1), name + ".edit: this text is in the solution more than once:\n" + o);
                    found.add(new Hunk(at, o, now.toString()));
                    old = now = null;
                }
                default -> {
                    if (now != null) now.append(line);
                    else if (old != null) old.append(line);
                    else assertTrue(line.isBlank(), name + ".edit: text outside a hunk: " + line);
                }
            }
        }
        assertTrue(old == null && !found.isEmpty(), name + ".edit: needs at least one complete hunk");
        found.sort((x, y) -> Integer.compare(y.at(), x.at()));
        String out = solution;
        for (int i = 0; i < found.size(); i++) {
            Hunk h = found.get(i);
            assertTrue(i == 0 || h.at() + h.old().length() <= found.get(i - 1).at(), name + ".edit: hunks overlap");
            out = out.substring(0, h.at()) + h.now() + out.substring(h.at() + h.old().length());
        }
        return out;
    }

    @org.junit.jupiter.api.Test
    void anEditIsAppliedExactlyAndRefusedWhenItDoesNotFit() {
        String sol = "a\nb\nc\nb\n";
        assertEquals("a\nB\nc\nb\n", applyEdit("t", sol, "<<<<<<< solution\nb\nc\n=======\nB\nc\n>>>>>>> bug\n"));
        assertEquals("x\nb\nc\nb\n", applyEdit("t", sol, "<<<<<<< solution\na\n=======\nx\n>>>>>>> bug\n"));
        for (String bad : new String[] {"<<<<<<< solution\nb\n=======\nB\n>>>>>>> bug\n",   // "b" is there twice
                                        "<<<<<<< solution\nq\n=======\nB\n>>>>>>> bug\n",   // not there
                                        "<<<<<<< solution\na\n=======\nx\n"}) {                // unfinished
            org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> applyEdit("t", sol, bad), bad);
        }
    }

    static void check(Bug b) {
        Map<String, Object> status = RESULTS.get(b.name());
        assertTrue(status != null && !status.isEmpty(), b.name() + ": no graded tests ran");
        for (String m : b.mustFail()) {
            assertTrue(status.containsKey(m), b.name() + ": no grader test " + m + " in " + status.keySet());
            assertEquals("failed", status.get(m), b.name() + ": grader test " + m + " must fail on this bug");
        }
        int score = (Integer) status.get("#score"), max = (Integer) status.get("#max");
        assertTrue(score < max, b.name() + " scored full marks " + score + " / " + max);
    }
}
