package llmbook.grading;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import llmbook.grading.Scorecard.Result;
import llmbook.util.Json;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.MethodFilter;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Grades a tree of exercise sources so that nothing in them can take the run down.
 *
 * <ol>
 *   <li>Compiles the implementation's files with javac, dropping each file that has an error and
 *       compiling the rest again; then the graders the same way. A grader that cannot compile
 *       (its exercise does not) scores zero with the compiler's file:line: message.</li>
 *   <li>Runs each grader class in its own child JVM ({@code -Xmx}, {@code -XX:+ExitOnOutOfMemoryError}),
 *       which reports through {@link Scorecard}'s events file. When the child dies — the reader's code
 *       called {@code System.exit} or {@code Runtime.halt}, ran out of memory, or hung where JUnit's
 *       30 s limit cannot stop it and was killed — the test it was running scores zero with what
 *       happened, and the class's remaining tests run in a fresh child.</li>
 *   <li>Writes {@code results.json} and {@code scorecard.txt} with {@link Scorecard#write}.</li>
 * </ol>
 * A test counts as passed only when its child reported it passed; anything else is a failure.
 *
 * <pre>
 * java -cp GRADING_CLASSPATH llmbook.grading.Grade --impl SRC --tests SRC [--tests SRC] --out DIR
 *      [--chapter NN] [--name exercises] [--timeout 30] [--heap 1024] [--jobs 2] [--root DIR] [--classpath CP]
 * </pre>
 * {@code ./llmbook grade} and {@code ./llmbook test} run it; the classpath (its own unless
 * {@code --classpath}) is the exercises module's test classpath: grading classes, the library, JUnit.
 * {@code --root} is the repository (children run in {@code ROOT/exercises}, paths are shown relative to it).
 */
public final class Grade {
    /** The JVM flags of every grader run, as {@code surefire.jvm.flags} in the parent pom. */
    private static final List<String> JVM_FLAGS = List.of("--add-modules", "jdk.incubator.vector", "-Xss4m", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
    private static final String OOM_MARK = "Terminating due to java.lang.OutOfMemoryError";

    /** What to grade and how. */
    record Options(Path impl, List<Path> tests, Path out, String chapter, String name, int timeoutS, int heapMb, int jobs, Path root, String classpath) {}

    /** A grader class as its source declares it: each graded method, as a failed placeholder until it reports. */
    record Grader(String className, Path file, List<Result> tests) {}

    private Grade() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
            return;
        }
        try {
            Options o = options(args);
            long t0 = System.nanoTime();
            List<Result> results = grade(o);
            Scorecard.write(o.out().resolve("results.json"), results, (System.nanoTime() - t0) / 1e9, o.name());
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            System.err.println("grade: " + e.getMessage());
            System.exit(1);
        }
    }

    static Options options(String[] a) {
        Path impl = null, out = null, root = Path.of("").toAbsolutePath();
        List<Path> tests = new ArrayList<>();
        String chapter = null, name = "exercises", classpath = System.getProperty("java.class.path");
        int timeout = 30, heap = 1024, jobs = Math.min(2, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < a.length; i++) {
            if (i + 1 >= a.length) throw new IllegalArgumentException(a[i] + " needs a value");
            String v = a[++i];
            switch (a[i - 1]) {
                case "--impl" -> impl = Path.of(v);
                case "--tests" -> tests.add(Path.of(v));
                case "--out" -> out = Path.of(v);
                case "--chapter" -> chapter = v;
                case "--name" -> name = v;
                case "--timeout" -> timeout = Integer.parseInt(v);
                case "--heap" -> heap = Integer.parseInt(v);
                case "--jobs" -> jobs = Integer.parseInt(v);
                case "--root" -> root = Path.of(v).toAbsolutePath();
                case "--classpath" -> classpath = v;
                default -> throw new IllegalArgumentException("unknown option " + a[i - 1]);
            }
        }
        if (impl == null || tests.isEmpty() || out == null) throw new IllegalArgumentException("needs --impl, --tests and --out");
        for (Path p : tests) if (!Files.isDirectory(p)) throw new IllegalArgumentException("no folder " + p);
        if (!Files.isDirectory(impl)) throw new IllegalArgumentException("no folder " + impl);
        return new Options(impl.toAbsolutePath(), tests.stream().map(Path::toAbsolutePath).toList(), out.toAbsolutePath(), chapter, name, timeout, heap, jobs, root, classpath);
    }

    /** Compiles, runs every grader class in its own JVM, and returns one result per graded test. */
    static List<Result> grade(Options o) throws IOException {
        String pkg = o.chapter() == null ? "llmbook/exercises/" : "llmbook/exercises/ch" + o.chapter() + "/";
        List<Path> graderFiles = new ArrayList<>();
        for (Path dir : o.tests())
            graderFiles.addAll(javaFiles(dir, p -> dir.relativize(p).toString().replace(File.separatorChar, '/').startsWith(pkg)
                    && p.getFileName().toString().endsWith("Test.java")));
        List<Grader> graders = parse(graderFiles);
        if (graders.isEmpty()) throw new IllegalArgumentException("no graders found under " + o.tests() + " for " + pkg);
        // All of the implementation, not just the chapter: a helper class may live anywhere.
        List<Path> implFiles = javaFiles(o.impl(), p -> true);

        List<Path> cp = Arrays.stream(o.classpath().split(File.pathSeparator)).filter(x -> !x.isEmpty()).map(x -> Path.of(x).toAbsolutePath()).toList();
        Path implClasses = o.out().resolve("classes/impl"), graderClasses = o.out().resolve("classes/graders");
        StringBuilder log = new StringBuilder();
        Map<Path, String> implErrors = compileEach(implFiles, implClasses, cp, o.root(), log);
        List<Path> graderCp = new ArrayList<>(List.of(implClasses));
        graderCp.addAll(cp);
        Map<Path, String> graderErrors = compileEach(graderFiles, graderClasses, graderCp, o.root(), log);
        Files.createDirectories(o.out());
        Files.writeString(o.out().resolve("compile.log"), log);

        for (var e : implErrors.entrySet()) {
            String cls = e.getKey().getFileName().toString().replace(".java", "");
            boolean used = false;
            for (Grader g : graders) used |= Files.readString(g.file()).matches("(?s).*\\b" + Pattern.quote(cls) + "\\b.*");
            if (!used && o.impl().relativize(e.getKey()).toString().replace(File.separatorChar, '/').startsWith(pkg))
                System.err.println("note: " + e.getValue() + " (no grader uses this file, so it costs no points)");
        }
        List<Path> runCp = new ArrayList<>(List.of(graderClasses, implClasses));
        runCp.addAll(cp);
        String classpath = String.join(File.pathSeparator, runCp.stream().map(Path::toString).toList());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.jobs()));
        List<Future<List<Result>>> runs = new ArrayList<>();
        for (Grader g : graders) {
            String err = graderErrors.get(g.file());
            if (err != null) {
                String why = compileFailure(g, err, implErrors);
                runs.add(pool.submit(() -> g.tests().stream().map(t -> t.failed(why, false)).toList()));
            } else {
                runs.add(pool.submit(() -> runClass(g, o, classpath)));
            }
        }
        pool.shutdown();
        List<Result> all = new ArrayList<>();
        try {
            for (Future<List<Result>> f : runs) all.addAll(f.get());
        } catch (Exception e) {
            throw new IllegalStateException("grading failed: " + e, e);
        }
        return all;
    }

    /** Why grader {@code g} did not compile: its exercise's compile errors when it uses a file that failed, else its own. */
    private static String compileFailure(Grader g, String graderError, Map<Path, String> implErrors) throws IOException {
        String src = Files.readString(g.file());
        List<String> used = new ArrayList<>();
        for (var e : implErrors.entrySet()) {
            String cls = e.getKey().getFileName().toString().replace(".java", "");
            if (Pattern.compile("\\b" + Pattern.quote(cls) + "\\b").matcher(src).find()) used.add(e.getValue());
        }
        if (!used.isEmpty()) return "does not compile: " + String.join("; ", used);
        return "the grader does not compile against your code (a changed method signature or class name?): " + graderError;
    }

    private static List<Path> javaFiles(Path dir, java.util.function.Predicate<Path> keep) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p) && keep.test(p)).sorted().toList();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Compiling: one bad file costs that file, not the build.
    // ---------------------------------------------------------------------------------------------

    /**
     * Compiles {@code files} into {@code outDir}; a file with an error is dropped and the rest compiled
     * again until what is left compiles. Returns each dropped file with its first error as
     * {@code path:line: message} (path relative to {@code root}).
     */
    static Map<Path, String> compileEach(List<Path> files, Path outDir, List<Path> classpath, Path root, StringBuilder log) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalArgumentException("this Java runtime has no compiler; run the grader on a JDK");
        Map<Path, String> failed = new LinkedHashMap<>();
        List<Path> left = new ArrayList<>(files);
        while (true) {
            deleteTree(outDir);
            Files.createDirectories(outDir);
            if (left.isEmpty()) return failed;
            DiagnosticCollector<JavaFileObject> dc = new DiagnosticCollector<>();
            boolean ok;
            try (StandardJavaFileManager fm = javac.getStandardFileManager(dc, Locale.ROOT, StandardCharsets.UTF_8)) {
                fm.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
                fm.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
                fm.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(outDir));
                List<String> opts = List.of("--add-modules", "jdk.incubator.vector", "-parameters", "-proc:none", "-implicit:none", "-nowarn", "-Xlint:none");
                ok = javac.getTask(new StringWriter(), fm, dc, opts, null, fm.getJavaFileObjectsFromPaths(left)).call();
            }
            if (ok) return failed;
            Map<Path, List<String>> errors = new LinkedHashMap<>();
            for (Diagnostic<? extends JavaFileObject> d : dc.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) continue;
                Path file = Path.of(d.getSource().toUri());
                String where = shown(root, file) + ":" + d.getLineNumber() + ": ";
                String msg = d.getMessage(Locale.ROOT).strip().replaceAll("\\s*\\n\\s*", "; ").replaceAll("[ \\t]+", " ");
                errors.computeIfAbsent(file, k -> new ArrayList<>()).add(where + msg);
                log.append(where).append("error: ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
            if (errors.isEmpty()) throw new IllegalArgumentException("javac failed without naming a file: " + dc.getDiagnostics());
            for (var e : errors.entrySet()) {
                List<String> errs = e.getValue();
                failed.put(e.getKey(), errs.get(0) + (errs.size() > 1 ? " (and " + (errs.size() - 1) + " more error" + (errs.size() > 2 ? "s" : "") + ")" : ""));
                left.remove(e.getKey());
            }
        }
    }

    /** {@code p} relative to {@code root} when inside it, else absolute: how files are named to the reader. */
    static String shown(Path root, Path p) {
        Path abs = p.toAbsolutePath();
        return (abs.startsWith(root) ? root.relativize(abs) : abs).toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the graders' sources: their tests and points are known even when they cannot compile.
    // ---------------------------------------------------------------------------------------------

    /** Each top-level class of {@code files} with {@code @Exercise} or graded methods, from javac's syntax trees. */
    static List<Grader> parse(List<Path> files) throws IOException {
        if (files.isEmpty()) return List.of();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<Grader> graders = new ArrayList<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(new StringWriter(), fm, d -> {}, List.of("-proc:none"), null, fm.getJavaFileObjectsFromPaths(files));
            for (CompilationUnitTree cu : task.parse()) {
                String pkg = cu.getPackageName() == null ? "" : cu.getPackageName() + ".";
                for (Tree t : cu.getTypeDecls()) {
                    if (!(t instanceof ClassTree c)) continue;
                    String cls = pkg + c.getSimpleName();
                    Map<String, Object> ex = annotation(c.getModifiers(), "Exercise");
                    String exId = ex != null && ex.get("id") instanceof String s ? s : c.getSimpleName().toString();
                    String title = ex != null && ex.get("title") instanceof String s ? s : "(grader without @Exercise)";
                    List<Result> tests = new ArrayList<>();
                    for (Tree m : c.getMembers()) {
                        if (!(m instanceof MethodTree mt)) continue;
                        Map<String, Object> p = annotation(mt.getModifiers(), "Points");
                        boolean isTest = mt.getModifiers().getAnnotations().stream()
                                .anyMatch(a -> simpleName(a).matches("Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate"));
                        if (p == null && !isTest) continue;
                        int max = p != null && p.get("value") instanceof Number n ? n.intValue() : 0;
                        String hint = p == null ? "add @Points to this test" : p.get("hint") instanceof String s ? s : "";
                        tests.add(new Result(cls + "#" + mt.getName(), exId, title, mt.getName() + "()", 0, max, "failed", "did not run", hint));
                    }
                    if (!tests.isEmpty()) graders.add(new Grader(cls, Path.of(cu.getSourceFile().toUri()), tests));
                }
            }
        }
        return graders;
    }

    private static String simpleName(AnnotationTree a) {
        String n = a.getAnnotationType().toString();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    /** The constant arguments of annotation {@code name} on {@code mods} (a lone argument is "value"), or null. */
    private static Map<String, Object> annotation(ModifiersTree mods, String name) {
        for (AnnotationTree a : mods.getAnnotations()) {
            if (!simpleName(a).equals(name)) continue;
            Map<String, Object> args = new LinkedHashMap<>();
            for (ExpressionTree e : a.getArguments()) {
                if (e instanceof AssignmentTree as) args.put(as.getVariable().toString(), constant(as.getExpression()));
                else args.put("value", constant(e));
            }
            return args;
        }
        return null;
    }

    private static Object constant(ExpressionTree e) {
        if (e instanceof LiteralTree l) return l.getValue();
        if (e instanceof ParenthesizedTree p) return constant(p.getExpression());
        if (e instanceof BinaryTree b && b.getKind() == Tree.Kind.PLUS) {
            Object l = constant(b.getLeftOperand()), r = constant(b.getRightOperand());
            if (l instanceof Integer x && r instanceof Integer y) return x + y;
            return l == null || r == null ? null : String.valueOf(l) + r;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Running: one child JVM per grader class; a dead child costs the test it was running.
    // ---------------------------------------------------------------------------------------------

    /** Runs grader {@code g} in child JVMs until every test has a result. */
    static List<Result> runClass(Grader g, Options o, String classpath) throws IOException, InterruptedException {
        Map<String, Result> planned = new LinkedHashMap<>();
        for (Result r : g.tests()) planned.put(r.key(), r);
        Map<String, Result> done = new LinkedHashMap<>();
        Path dir = o.out().resolve("runs");
        Files.createDirectories(dir);
        long limitS = o.timeoutS() + 10L;   // JUnit stops a test at timeoutS; this is for what it cannot stop
        for (int attempt = 1; attempt <= planned.size() + 1; attempt++) {
            Path events = dir.resolve(g.className() + "." + attempt + ".events");
            Files.deleteIfExists(events);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(JVM_FLAGS);
            cmd.addAll(List.of("-Xmx" + o.heapMb() + "m", "-XX:+ExitOnOutOfMemoryError", "-Dllmbook.events=" + events,
                    "-Dllmbook.impl=" + o.name(), "-cp", classpath, Grade.class.getName(), "--child", g.className(), String.valueOf(o.timeoutS())));
            cmd.addAll(done.keySet());
            Process p = new ProcessBuilder(cmd).directory(o.root().resolve("exercises").toFile().isDirectory()
                    ? o.root().resolve("exercises").toFile() : o.root().toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Capture out = new Capture(p.getInputStream());
            out.start();
            boolean killed = false;
            long last = System.nanoTime(), size = -1;
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                long now = Files.exists(events) ? Files.size(events) : 0;
                if (now != size) { size = now; last = System.nanoTime(); }
                if (System.nanoTime() - last > limitS * 1_000_000_000L) {
                    killed = true;
                    p.destroyForcibly().waitFor();
                    break;
                }
            }
            out.join(5000);
            Files.writeString(dir.resolve(g.className() + "." + attempt + ".log"), out.text());

            String running = null;
            boolean ended = false;
            for (String line : Files.exists(events) ? Files.readAllLines(events) : List.<String>of()) {
                if (line.isBlank()) continue;
                Map<String, Object> ev;
                try { ev = Json.parseObject(line); } catch (IllegalArgumentException torn) { continue; }   // a line cut by the JVM dying
                switch (String.valueOf(ev.get("event"))) {
                    case "started" -> running = (String) ev.get("key");
                    case "result" -> {
                        Result r = Result.fromJson(ev);
                        done.put(r.key(), r);
                        if (r.key().equals(running)) running = null;
                    }
                    case "end" -> ended = true;
                    default -> { }
                }
            }
            if (ended && !killed) break;
            if (!Files.exists(events) && !killed && (out.text().contains("Could not find or load main class") || out.text().contains("Error occurred during initialization of VM")))
                throw new IllegalArgumentException("cannot start a JVM to run the graders: " + out.text().strip().replaceAll("\\s*\\n\\s*", "; "));
            String why = why(p.exitValue(), killed, limitS, o.heapMb(), out.text());
            if (running != null) {
                // The child died inside this test: it fails with the reason; the rest run in a fresh child.
                done.put(running, planned.getOrDefault(running, done.get(running)).failed(why, true));
                continue;
            }
            for (Result r : planned.values()) if (!done.containsKey(r.key())) done.put(r.key(), r.failed(why, true));
            break;
        }
        List<Result> results = new ArrayList<>();
        for (Result r : planned.values())
            results.add(done.getOrDefault(r.key(), r.failed("did not run: JUnit did not find this test (log: " + shown(o.root(), dir) + ")", true)));
        for (Result r : done.values()) if (!planned.containsKey(r.key())) results.add(r);
        return results;
    }

    /** What ended a child JVM that did not finish its run. */
    static String why(int exit, boolean killed, long limitS, int heapMb, String output) {
        if (killed) return "killed after " + limitS + " s: it ran past the time limit and could not be stopped (an endless loop in a static initialiser?)";
        if (output.contains(OOM_MARK)) return "ran out of memory (heap limit " + heapMb + " MB): does your code allocate a huge array, or keep allocating?";
        if (exit > 128) return "the JVM was killed by signal " + (exit - 128) + " before the test finished";
        return "the JVM exited with status " + exit + " before the test finished: does your code call System.exit or Runtime.halt?";
    }

    /** Keeps the first and last 16 KB of a child's output, so a printing loop cannot fill the disk. */
    private static final class Capture extends Thread {
        private static final int KEEP = 16 * 1024;
        private final InputStream in;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail = new byte[KEEP];
        private long tailBytes;

        Capture(InputStream in) { this.in = in; setDaemon(true); }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    int h = Math.min(n, KEEP - head.size());
                    head.write(buf, 0, h);
                    for (int k = h; k < n; k++) tail[(int) (tailBytes++ % KEEP)] = buf[k];
                }
            } catch (IOException ignored) {
                // the child is gone; what was read is kept
            }
        }

        String text() {
            StringBuilder b = new StringBuilder(head.toString(StandardCharsets.UTF_8));
            if (tailBytes > KEEP) b.append("\n[... ").append(tailBytes - KEEP).append(" bytes left out ...]\n");
            int n = (int) Math.min(tailBytes, KEEP);
            byte[] t = new byte[n];
            for (int k = 0; k < n; k++) t[k] = tail[(int) ((tailBytes - n + k) % KEEP)];
            return b.append(new String(t, StandardCharsets.UTF_8)).toString();
        }
    }

    /** In the child JVM: runs one grader class (less the tests already done) with Scorecard reporting events. */
    private static void child(String[] a) {
        String cls = a[1];
        LauncherDiscoveryRequestBuilder req = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(cls))
                .configurationParameter("junit.jupiter.execution.timeout.default", a[2] + " s");
        if (a.length > 3) {
            String[] skip = Arrays.stream(a, 3, a.length).map(Pattern::quote).toArray(String[]::new);
            req.filters(MethodFilter.excludeMethodNamePatterns(skip));
        }
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(req.build(), new Scorecard());
        Scorecard.appendEvent(Path.of(System.getProperty("llmbook.events")), Map.of("event", "end"));
        Runtime.getRuntime().halt(0);   // abandoned timed-out threads and a reader's shutdown hooks must not keep it alive
    }
}
