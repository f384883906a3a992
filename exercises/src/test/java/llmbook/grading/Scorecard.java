package llmbook.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbook.util.Json;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Scores a grading run: each test annotated {@link Points} earns its points when it passes.
 *
 * <p>Registered with the JUnit Platform through {@code META-INF/services}, so it runs under
 * Surefire, an IDE or the console launcher alike. When the run ends it writes
 * <ul>
 *   <li>{@code results.json} in the shape Gradescope's autograder reads
 *       ({@code score}, {@code max_score}, and one entry per test with {@code name}, {@code number},
 *       {@code score}, {@code max_score}, {@code status}, {@code output}), at the path of the system
 *       property {@code llmbook.results};</li>
 *   <li>{@code scorecard.txt} beside it: exercise, points earned / possible, and a one-line hint
 *       per failure — what {@code ./llmbook grade} prints.</li>
 * </ul>
 * A test that fails, throws, times out, or whose class cannot even be set up scores zero;
 * nothing a reader's code does stops the other exercises from being graded.
 */
public final class Scorecard implements TestExecutionListener {
    /** One graded test's outcome. */
    record Result(String exercise, String title, String test, int score, int maxScore, String status, String output, String hint) {}

    private final Map<String, Result> results = new LinkedHashMap<>();
    private long startNanos;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        startNanos = System.nanoTime();
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) record(id, "skipped", "skipped: " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            record(id, ok ? "passed" : "failed", ok ? "" : describe(result.getThrowable().orElse(null)));
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL
                && id.getSource().orElse(null) instanceof ClassSource cs) {
            // The class failed before its tests could run (e.g. a starter's static initialiser threw):
            // every graded method of it fails with the class's reason.
            String why = describe(result.getThrowable().orElse(null));
            for (Method m : cs.getJavaClass().getDeclaredMethods()) {
                Points p = m.getAnnotation(Points.class);
                String key = cs.getClassName() + "#" + m.getName();
                if (p != null && !results.containsKey(key)) put(key, cs.getJavaClass(), m.getName(), p, "failed", why);
            }
        }
    }

    private void record(TestIdentifier id, String status, String output) {
        TestSource src = id.getSource().orElse(null);
        if (!(src instanceof MethodSource ms)) return;
        Class<?> cls = ms.getJavaClass();
        Points p = null;
        for (Method m : cls.getDeclaredMethods())
            if (m.getName().equals(ms.getMethodName()) && m.getAnnotation(Points.class) != null) p = m.getAnnotation(Points.class);
        // A parameterized or repeated test has many invocations under one method: its points are
        // earned only if every invocation passes, so the first failure sticks.
        String key = ms.getClassName() + "#" + ms.getMethodName();
        Result before = results.get(key);
        if (before != null && !before.status().equals("passed")) return;
        String name = before != null || id.getDisplayName().startsWith("[") ? ms.getMethodName() : id.getDisplayName();
        put(key, cls, name, p, status, output);
    }

    private void put(String key, Class<?> cls, String test, Points p, String status, String output) {
        Exercise ex = cls.getAnnotation(Exercise.class);
        String exId = ex != null ? ex.id() : cls.getSimpleName();
        String title = ex != null ? ex.title() : "(grader without @Exercise)";
        int max = p != null ? p.value() : 0;
        int score = "passed".equals(status) ? max : 0;
        results.put(key, new Result(exId, title, test, score, max, status, output, p != null ? p.hint() : "add @Points to this test"));
    }

    /** The first line of a failure, shortened: what went wrong, not a stack trace. */
    static String describe(Throwable t) {
        if (t == null) return "failed";
        String msg = t.getMessage();
        String name = t.getClass().getSimpleName();
        if (t instanceof UnsupportedOperationException && msg != null && msg.startsWith("TODO")) return "not implemented yet (" + msg + ")";
        if (name.equals("TimeoutException") || (msg != null && msg.contains("timed out after"))) return "timed out: " + msg + " (an infinite loop?)";
        String line = msg == null ? name : (t instanceof AssertionError ? msg : name + ": " + msg);
        line = line.strip().replaceAll("\\s*\\n\\s*", " ");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String target = System.getProperty("llmbook.results");
        Path json = Path.of(target != null ? target : "results.json");
        try {
            write(json, Json.write(gradescope()));
            String card = scorecard();
            write(json.resolveSibling("scorecard.txt"), card);
            System.out.print(card);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the grading results to " + json, e);
        }
    }

    private Map<String, Object> gradescope() {
        int score = 0, max = 0;
        List<Object> tests = new ArrayList<>();
        for (Result r : results.values()) {
            score += r.score();
            max += r.maxScore();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", r.exercise() + ": " + r.test());
            t.put("number", r.exercise());
            t.put("score", r.score());
            t.put("max_score", r.maxScore());
            t.put("status", r.status());
            String out = r.output();
            if (!r.status().equals("passed") && !r.hint().isEmpty()) out = out + "\nhint: " + r.hint();
            t.put("output", out);
            tests.add(t);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score", score);
        m.put("max_score", max);
        m.put("execution_time", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
        m.put("implementation", System.getProperty("llmbook.impl", "exercises"));
        m.put("tests", tests);
        return m;
    }

    private String scorecard() {
        Map<String, List<Result>> byExercise = new TreeMap<>();
        for (Result r : results.values()) byExercise.computeIfAbsent(r.exercise(), k -> new ArrayList<>()).add(r);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nScorecard (%s)%n", System.getProperty("llmbook.impl", "exercises")));
        int total = 0, totalMax = 0;
        for (var e : byExercise.entrySet()) {
            int s = 0, m = 0;
            for (Result r : e.getValue()) { s += r.score(); m += r.maxScore(); }
            total += s;
            totalMax += m;
            b.append(String.format(Locale.ROOT, "  %-4s %-26s %-46s %3d / %-3d%n", s == m ? "ok" : "--",
                    e.getKey(), e.getValue().get(0).title(), s, m));
            for (Result r : e.getValue()) {
                if (r.status().equals("passed")) continue;
                b.append("         x ").append(r.test()).append(": ").append(r.output()).append('\n');
                if (!r.hint().isEmpty()) b.append("           hint: ").append(r.hint()).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "  Total %d / %d points%n", total, totalMax));
        return b.toString();
    }

    private static void write(Path file, String text) throws IOException {
        llmbook.util.AtomicFiles.writeString(file, text);
    }
}
