package llmbook.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes the {@code java} kernelspec that tells Jupyter how to start this kernel.
 *
 * <pre>
 * Main install [--prefix DIR | --user] [--java PATH] [--home REPO] [--jvm-opt OPT]... [--no-imports]
 * </pre>
 * {@code --prefix DIR} writes {@code DIR/share/jupyter/kernels/java/kernel.json} (put
 * {@code DIR/share/jupyter} on {@code JUPYTER_PATH}); {@code --user} writes into the user's Jupyter
 * data folder. The classpath is the folder holding this kernel's jar, with every jar in it.
 */
final class KernelSpec {
    private KernelSpec() {}

    static int install(List<String> args) throws IOException {
        Path prefix = null;
        boolean user = false;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String home = null;
        List<String> jvmOpts = new ArrayList<>();
        boolean noImports = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--prefix" -> prefix = Path.of(value(args, ++i, a));
                case "--user" -> user = true;
                case "--java" -> java = value(args, ++i, a);
                case "--home" -> home = Path.of(value(args, ++i, a)).toAbsolutePath().toString();
                case "--jvm-opt" -> jvmOpts.add(value(args, ++i, a));
                case "--no-imports" -> noImports = true;
                case "-h", "--help" -> { System.out.println(USAGE); return 0; }
                default -> throw new IllegalArgumentException("install: unknown option '" + a + "'\n" + USAGE);
            }
        }
        if ((prefix == null) == !user) throw new IllegalArgumentException("install: give exactly one of --prefix DIR or --user\n" + USAGE);
        Path kernels = user ? userDataDir().resolve("kernels") : prefix.resolve("share/jupyter/kernels");
        Path dir = kernels.resolve("java");
        Path file = write(dir, withImports(spec(java, distDir(), home, jvmOpts), noImports));
        Path aot = trainStartupCache(java, distDir(), home, jvmOpts);
        if (aot != null) {
            // quiet: a cache made stale by a rebuild is ignored with a warning on every start until set-up renews it
            List<String> withCache = new ArrayList<>(List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off,cds=off"));
            withCache.addAll(jvmOpts);
            write(dir, withImports(spec(java, distDir(), home, withCache), noImports));
        }
        System.out.println("installed kernelspec 'java' in " + file + (aot != null ? " (start-up cache " + aot.getFileName() + ")" : ""));
        return 0;
    }

    /**
     * Writes the kernel's ahead-of-time cache (JDK 25+, JEP 483/514: classes loaded and linked, method
     * profiles) from a training run of {@code Main warmup} with the kernelspec's own options, next to
     * the jars; the JVM checks it against the classpath and ignores it if the jars changed. The cache
     * cuts the JVM's start-up and the first JShell compile. Returns null if this JDK cannot make one.
     */
    static Path trainStartupCache(String java, Path dist, String home, List<String> jvmOpts) {
        if (Runtime.version().feature() < 25 || System.getenv("LLMBOOK_NO_AOT") != null) return null;
        Path aot = dist.toAbsolutePath().resolve("llmbook-kernel.aot");
        @SuppressWarnings("unchecked")
        List<String> argv = new ArrayList<>((List<String>) spec(java, dist, home, jvmOpts).get("argv"));
        argv.set(argv.size() - 1, "warmup");
        argv.add(1, "-XX:AOTCacheOutput=" + aot);
        argv.add(2, "-Xlog:aot=off,cds=off"); // the training run reports module-graph limits as errors; harmless
        try {
            Files.deleteIfExists(aot);
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            if (home != null) pb.environment().put("LLMBOOK_HOME", home);
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); return null; }
            return p.exitValue() == 0 && Files.size(aot) > 0 ? aot : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    static final String USAGE = "usage: llmbook.kernel.Main install [--prefix DIR | --user] [--java PATH] [--home REPO] [--jvm-opt OPT]... [--no-imports]";

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) throw new IllegalArgumentException("install: " + flag + " needs a value\n" + USAGE);
        return args.get(i);
    }

    /** The kernel.json content. */
    static Map<String, Object> spec(String java, Path dist, String home, List<String> jvmOpts) {
        List<String> argv = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                "-XX:+UseParallelGC", "--sun-misc-unsafe-memory-access=allow"));
        // The agent lets JShell redefine snippet classes in place, keeping variables' values (see Agent).
        argv.addAll(List.of("-javaagent:" + dist.toAbsolutePath().resolve("llmbook-kernel.jar"),
                "--add-opens", "jdk.jshell/jdk.jshell.execution=ALL-UNNAMED",
                "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED")); // Javadoc of the library on Shift-Tab (Docs)
        argv.addAll(jvmOpts);
        argv.addAll(List.of("-cp", dist.toAbsolutePath() + "/*", "llmbook.kernel.Main", "{connection_file}"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", "Java " + Runtime.version().feature() + " (llmbook)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        Map<String, String> env = new LinkedHashMap<>();
        if (home != null) env.put("LLMBOOK_HOME", home);
        spec.put("env", env);
        return spec;
    }

    /** With --no-imports the kernel imports nothing by itself, as IJava ({@link JavaKernel#IMPORTS}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withImports(Map<String, Object> spec, boolean noImports) {
        if (noImports) ((Map<String, String>) spec.get("env")).put("LLMBOOK_IMPORTS", "none");
        return spec;
    }

    /** The folder holding this kernel's jar (target/dist in a build). */
    static Path distDir() {
        try {
            Path jar = Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(jar) ? jar : jar.getParent();
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell where the kernel jar is", e);
        }
    }

    private static Path userDataDir() {
        String xdg = System.getenv("JUPYTER_DATA_DIR");
        if (xdg != null) return Path.of(xdg);
        String data = System.getenv("XDG_DATA_HOME");
        return data != null ? Path.of(data, "jupyter") : Path.of(System.getProperty("user.home"), ".local/share/jupyter");
    }

    /** Writes kernel.json atomically: a temp file in the same folder, then a rename. */
    static Path write(Path dir, Map<String, Object> spec) throws IOException {
        Path file = dir.resolve("kernel.json");
        llmbook.util.AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n");
        return file;
    }
}
