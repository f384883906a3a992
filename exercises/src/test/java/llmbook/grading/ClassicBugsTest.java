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
import java.util.stream.Stream;
import llmbook.util.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every grader catches the classic bugs of its exercise: each folder of src/test/bugs holds one wrong implementation a
 * student really writes (an all-zeros attention, a cross-entropy that forgets the row offset r·V, …), and
 * src/test/bugs/bugs.tsv names the grader tests that must fail on it. Each bug is graded with its grader only, over an
 * otherwise empty implementation; bugs of different exercises share a grading run.
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
            try (Stream<Path> s = Files.walk(BUGS.resolve(b.name()))) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Path q = impl.resolve(BUGS.resolve(b.name()).relativize(p).toString());
                    Files.createDirectories(q.getParent());
                    Files.copy(p, q);
                }
            }
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
