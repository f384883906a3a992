package llmbook.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbook.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader survives hostile exercises: the solutions, with src/test/hostile/impl laid over them
 * (System.exit, Runtime.halt, 3 GB allocations, a compile error, a renamed method) and a hidden
 * grader whose class never finishes loading. Every other exercise keeps full marks; each hostile
 * one loses exactly the points of the tests it broke, with a message saying what happened.
 */
class GradeTest {
    static final Path ROOT = Path.of(System.getProperty("llmbook.root", "..")).toAbsolutePath().normalize();
    static final Path EX = ROOT.resolve("exercises");

    @TempDir static Path tmp;
    static Map<String, Map<String, Object>> tests;   // "exercise: test()" -> its results.json entry
    static Map<String, Object> results;

    @BeforeAll
    @Timeout(600)
    static void gradeTheHostileTree() throws IOException {
        Path impl = tmp.resolve("impl");
        copyTree(ROOT.resolve("solutions/src/main/java"), impl);
        copyTree(EX.resolve("src/test/hostile/impl"), impl);
        results = grade(impl, tmp.resolve("out"), "--tests", EX.resolve("src/test/hostile/graders").toString());
        tests = new LinkedHashMap<>();
        for (Object o : (List<?>) results.get("tests")) {
            @SuppressWarnings("unchecked") Map<String, Object> t = (Map<String, Object>) o;
            tests.put((String) t.get("name"), t);
        }
    }

    static Map<String, Object> grade(Path impl, Path out, String... more) throws IOException {
        String cp = EX.resolve("target/test-classes") + java.io.File.pathSeparator
                + Files.readString(EX.resolve("target/grading.classpath")).strip();
        List<String> args = new java.util.ArrayList<>(List.of("--impl", impl.toString(), "--tests", EX.resolve("src/test/java").toString(),
                "--out", out.toString(), "--root", ROOT.toString(), "--classpath", cp, "--timeout", "30", "--heap", "256", "--name", "hostile"));
        args.addAll(List.of(more));
        Grade.Options o = Grade.options(args.toArray(String[]::new));
        Scorecard.write(out.resolve("results.json"), Grade.grade(o), 0, o.name());
        Path json = out.resolve("results.json");
        assertTrue(Files.exists(json), "no results.json");
        assertTrue(Files.exists(out.resolve("scorecard.txt")), "no scorecard.txt");
        return Json.parseObject(Files.readString(json));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Asserts that test {@code name} failed with 0 points and an output containing {@code why}. */
    static void lost(String name, String why) {
        Map<String, Object> t = tests.get(name);
        assertTrue(t != null, "no result for " + name + " in " + tests.keySet());
        assertEquals("failed", t.get("status"), name);
        assertEquals(0L, ((Number) t.get("score")).longValue(), name);
        assertTrue(((Number) t.get("max_score")).longValue() > 0, name + " must still count its points as possible");
        assertTrue(((String) t.get("output")).contains(why), name + ": expected '" + why + "' in: " + t.get("output"));
    }

    static int score(String exercise, boolean max) {
        return tests.values().stream().filter(t -> t.get("number").equals(exercise))
                .mapToInt(t -> ((Number) t.get(max ? "max_score" : "score")).intValue()).sum();
    }

    @Test
    void systemExitCostsTheTestThatCalledIt() {
        lost("ch00.first_steps: argmaxFindsTheFirstLargest()", "the JVM exited with status 0 before the test finished: does your code call System.exit");
        assertEquals(score("ch00.first_steps", true) - 1, score("ch00.first_steps", false), "the other ch00 tests keep their points");
    }

    @Test
    void haltCostsTheTestThatCalledIt() {
        lost("ch01.dot: shortHandWorkedCase()", "the JVM exited with status 1");
        assertEquals(score("ch01.dot", true) - 1, score("ch01.dot", false), "the other ch01.dot tests keep their points");
    }

    @Test
    void runningOutOfMemoryCostsThoseTests() {
        lost("ch03.cosine_topk: topKOfTheWorkedExample()", "ran out of memory (heap limit 256 MB)");
        lost("ch03.cosine_topk: agreesWithTheLibrary()", "ran out of memory (heap limit 256 MB)");
        assertEquals(2, score("ch03.cosine_topk", false), "cosine itself still earns its 2 points");
    }

    @Test
    void aCompileErrorCostsThatExerciseOnlyAndIsShown() {
        for (var t : tests.values()) {
            if (!t.get("number").equals("ch05.rope")) continue;
            lost((String) t.get("name"), "does not compile: ");
            assertTrue(((String) t.get("output")).matches("(?s).*ch05/Rope\\.java:\\d+: .*"), "file:line: message, got " + t.get("output"));
        }
        assertTrue(score("ch05.rope", true) > 0);
        assertEquals(score("ch05.sinusoidal", true), score("ch05.sinusoidal", false), "the other ch05 exercise is graded");
    }

    @Test
    void aGraderThatCannotCompileAgainstTheCodeSaysSo() {
        assertTrue(score("ch02.bpe_merge", true) > 0);
        assertEquals(0, score("ch02.bpe_merge", false));
        lost("ch02.bpe_merge: mergeOfTheWorkedExample()", "the grader does not compile against your code");
        lost("ch02.bpe_merge: mergeOfTheWorkedExample()", "BpeMergeTest.java:");
    }

    @Test
    void aHangThatTheTimeLimitCannotStopIsKilled() {
        lost("ch00.hang: neverRuns()", "killed after 40 s");
        lost("ch00.hang: neitherDoesThis()", "killed after 40 s");
    }

    @Test
    void everyOtherExerciseKeepsFullMarks() {
        var hostile = List.of("ch00.first_steps", "ch00.hang", "ch01.dot", "ch02.bpe_merge", "ch03.cosine_topk", "ch05.rope");
        long others = tests.values().stream().map(t -> (String) t.get("number")).distinct().filter(e -> !hostile.contains(e)).count();
        assertTrue(others >= 10, "the other exercises are graded: " + tests.keySet());
        for (var t : tests.values())
            if (!hostile.contains((String) t.get("number"))) assertEquals("passed", t.get("status"), t.get("name") + ": " + t.get("output"));
        int score = ((Number) results.get("score")).intValue(), max = ((Number) results.get("max_score")).intValue();
        int sum = tests.values().stream().mapToInt(t -> ((Number) t.get("score")).intValue()).sum();
        assertEquals(sum, score, "the total is the sum of the tests");
        assertTrue(score < max, "a hostile run never looks passing");
    }

    @Test
    void oneChapterIsGradedAloneAndOthersErrorsDoNotMatter() throws IOException {
        Path impl = tmp.resolve("impl");   // the hostile tree: ch05 does not compile, ch00 exits
        Map<String, Object> r = grade(impl, tmp.resolve("out-ch04"), "--chapter", "04");
        List<?> ts = (List<?>) r.get("tests");
        assertTrue(!ts.isEmpty());
        for (Object o : ts) {
            @SuppressWarnings("unchecked") Map<String, Object> t = (Map<String, Object>) o;
            assertTrue(((String) t.get("number")).startsWith("ch04."), "only chapter 4: " + t.get("name"));
            assertEquals("passed", t.get("status"), t.get("name") + ": " + t.get("output"));
        }
    }
}
