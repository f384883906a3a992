package llmbook.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbook.util.AtomicFiles;
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
 * Under {@link Grade}, which runs each grader class in a child JVM, the child's listener instead
 * appends one JSON line per event to the file named by {@code llmbook.events} ("started" before a
 * test, its {@link Result} after it), so the parent knows which test was running if the child dies,
 * and writes the files itself with {@link #write}.
 * A test that fails, throws, times out, or whose class cannot even be set up scores zero;
 * nothing a reader's code does stops the other exercises from being graded.
 */
public final class Scorecard implements TestExecutionListener {
    /** One graded test's outcome; {@code key} is {@code ClassName#method}. */
    public record Result(String key, String exercise, String title, String test, int score, int maxScore, String status, String output, String hint) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key); m.put("exercise", exercise); m.put("title", title); m.put("test", test);
            m.put("score", score); m.put("max_score", maxScore); m.put("status", status); m.put("output", output); m.put("hint", hint);
            return m;
        }

        static Result fromJson(Map<String, Object> m) {
            return new Result((String) m.get("key"), (String) m.get("exercise"), (String) m.get("title"), (String) m.get("test"),
                    ((Number) m.get("score")).intValue(), ((Number) m.get("max_score")).intValue(),
                    (String) m.get("status"), (String) m.get("output"), (String) m.get("hint"));
        }

        /** The same test, failed with {@code why}; {@code hint} kept or dropped. */
        Result failed(String why, boolean keepHint) {
            return new Result(key, exercise, title, test, 0, maxScore, "failed", why, keepHint ? hint : "");
        }
    }

    private final Map<String, Result> results = new LinkedHashMap<>();
    private final Path events = System.getProperty("llmbook.events") != null ? Path.of(System.getProperty("llmbook.events")) : null;
    private long startNanos;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        startNanos = System.nanoTime();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (events != null && id.isTest() && id.getSource().orElse(null) instanceof MethodSource ms)
            event(Map.of("event", "started", "key", ms.getClassName() + "#" + ms.getMethodName()));
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
        Result r = new Result(key, exId, title, test, score, max, status, output, p != null ? p.hint() : "add @Points to this test");
        results.put(key, r);
        if (events != null) {
            Map<String, Object> m = r.toJson();
            m.put("event", "result");
            event(m);
        }
    }

    /** Appends one line to the events file at once, so it survives the JVM dying a moment later. */
    private void event(Map<String, Object> m) {
        appendEvent(events, m);
    }

    static void appendEvent(Path events, Map<String, Object> m) {
        try {
            Files.writeString(events, Json.write(m) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write grading events to " + events, e);
        }
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
        // A child of Grade reports through its events; a run without a single graded test (e.g. the
        // grader's own unit tests) has nothing to write.
        if (events != null || results.values().stream().noneMatch(r -> r.maxScore() > 0)) return;
        String target = System.getProperty("llmbook.results");
        System.out.print(write(Path.of(target != null ? target : "results.json"), results.values(),
                (System.nanoTime() - startNanos) / 1e9, System.getProperty("llmbook.impl", "exercises")));
    }

    /**
     * Writes {@code results.json} (Gradescope's shape) at {@code json} and {@code scorecard.txt}
     * beside it, atomically, and returns the scorecard text.
     */
    public static String write(Path json, Collection<Result> results, double seconds, String impl) {
        try {
            AtomicFiles.writeString(json, Json.write(gradescope(results, seconds, impl)));
            String card = scorecard(results, impl);
            AtomicFiles.writeString(json.resolveSibling("scorecard.txt"), card);
            return card;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the grading results to " + json, e);
        }
    }

    private static Map<String, Object> gradescope(Collection<Result> results, double seconds, String impl) {
        int score = 0, max = 0;
        List<Object> tests = new ArrayList<>();
        for (Result r : results) {
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
        m.put("execution_time", Math.round(seconds * 100) / 100.0);
        m.put("implementation", impl);
        m.put("tests", tests);
        return m;
    }

    private static String scorecard(Collection<Result> results, String impl) {
        Map<String, List<Result>> byExercise = new TreeMap<>();
        for (Result r : results) byExercise.computeIfAbsent(r.exercise(), k -> new ArrayList<>()).add(r);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nScorecard (%s)%n", impl));
        int total = 0, totalMax = 0;
        for (var e : byExercise.entrySet()) {
            int s = 0, m = 0;
            for (Result r : e.getValue()) { s += r.score(); m += r.maxScore(); }
            total += s;
            totalMax += m;
            b.append(String.format(Locale.ROOT, "  %-4s %-26s %-46s %3d / %-3d%n", s == m ? "ok" : "--",
                    e.getKey(), e.getValue().get(0).title(), s, m));
            List<Result> failed = e.getValue().stream().filter(r -> !r.status().equals("passed")).toList();
            if (failed.size() > 1 && failed.size() == e.getValue().size() && failed.stream().allMatch(r -> r.hint().isEmpty())
                    && failed.stream().map(Result::output).distinct().count() == 1) {
                // One cause for the whole exercise (it does not compile, or its class could not run): say it once.
                b.append("         x all ").append(failed.size()).append(" tests: ").append(failed.get(0).output()).append('\n');
                continue;
            }
            for (Result r : failed) {
                b.append("         x ").append(r.test()).append(": ").append(r.output()).append('\n');
                if (!r.hint().isEmpty()) b.append("           hint: ").append(r.hint()).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "  Total %d / %d points%n", total, totalMax));
        return b.toString();
    }

}
