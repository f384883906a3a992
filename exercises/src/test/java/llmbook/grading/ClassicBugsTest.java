package llmbook.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import llmbook.util.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every grader catches the classic bugs of its exercise: each folder of src/test/bugs holds one wrong implementation a
 * student really writes (an all-zeros attention, a cross-entropy that forgets the row offset r·V, …), and
 * src/test/bugs/bugs.tsv names the grader tests that must fail on it. Each bug is graded alone, with its grader only.
 */
class ClassicBugsTest {
    static final Path ROOT = Path.of(System.getProperty("llmbook.root", "..")).toAbsolutePath().normalize();
    static final Path EX = ROOT.resolve("exercises"), BUGS = EX.resolve("src/test/bugs");

    @TempDir static Path tmp;

    @TestFactory
    List<DynamicTest> everyClassicBugLosesPoints() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (String line : Files.readAllLines(BUGS.resolve("bugs.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            String bug = f[0], grader = f[1];
            List<String> mustFail = List.of(f[2].split(","));
            out.add(DynamicTest.dynamicTest(bug, () -> check(bug, grader, mustFail)));
        }
        assertTrue(out.size() >= 3, "bugs.tsv lists the classic bugs");
        return out;
    }

    static void check(String bug, String grader, List<String> mustFail) throws IOException {
        Path tests = tmp.resolve(bug + "/tests"), out = tmp.resolve(bug + "/out");
        Path src = EX.resolve("src/test/java").resolve(grader);
        assertTrue(Files.exists(src), "no grader " + src);
        Files.createDirectories(tests.resolve(grader).getParent());
        Files.copy(src, tests.resolve(grader));
        String cp = EX.resolve("target/test-classes") + java.io.File.pathSeparator
                + Files.readString(EX.resolve("target/grading.classpath")).strip();
        Grade.Options o = Grade.options(new String[] {"--impl", BUGS.resolve(bug).toString(), "--tests", tests.toString(),
                "--out", out.toString(), "--root", ROOT.toString(), "--classpath", cp, "--timeout", "20", "--heap", "512", "--name", bug});
        Scorecard.write(out.resolve("results.json"), Grade.grade(o), 0, o.name());
        Map<String, Object> r = Json.parseObject(Files.readString(out.resolve("results.json")));
        Map<String, String> status = new HashMap<>();
        for (Object x : (List<?>) r.get("tests")) {
            @SuppressWarnings("unchecked") Map<String, Object> t = (Map<String, Object>) x;
            String name = (String) t.get("name");
            status.put(name.substring(name.indexOf(": ") + 2).replace("()", ""), (String) t.get("status"));
        }
        assertFalse(status.isEmpty(), bug + ": no graded tests ran");
        for (String m : mustFail) {
            assertTrue(status.containsKey(m), bug + ": no grader test " + m + " in " + status.keySet());
            assertEquals("failed", status.get(m), bug + ": grader test " + m + " must fail on this bug");
        }
        int score = ((Number) r.get("score")).intValue(), max = ((Number) r.get("max_score")).intValue();
        assertTrue(score < max, bug + " scored full marks " + score + " / " + max);
        try (Stream<Path> s = Files.list(tests)) { assertTrue(s.findAny().isPresent()); }
    }
}
