package llmbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./llmbook bench --ort}: ONNX Runtime's speed on the "minilm embed" rows, measured in the same run as ours.
 * ONNX Runtime is a test-scope dependency of llmbook (the oracle of {@code MiniLmOracleTest}), never on the main
 * classpath, so it runs in a child JVM on the test classpath that the launcher writes to {@code $LLMBOOK_ORT_CLASSPATH}
 * ({@code mvn dependency:build-classpath -Dmdep.includeScope=test}, cached). The child, {@code llmbook.cli.OrtBenchRunner}
 * in lib's tests, tokenises the same 32 sentences with our WordPiece (tokenising is inside the timing on both sides),
 * cuts them into the same length-sorted batches, and times them with {@link Bench#time} — the same warm-up and
 * median as ours. One child per thread count (ONNX Runtime's intra-op threads), kept alive so that each of its
 * measurements is taken right after ours.
 */
final class BenchOrt {
    private BenchOrt() {}

    private static final Map<Integer, Child> CHILDREN = new HashMap<>();

    private record Child(Process proc, OutputStream in, BufferedReader out) {}

    /** ONNX Runtime's timing of the case {@code size} ("32 sentences batch=B") with {@code threads} threads; null (and a note) if it cannot run. */
    static Bench.Timing time(int threads, String size, boolean quick) {
        int batch = Integer.parseInt(size.substring(size.indexOf("batch=") + 6));
        try {
            Child c = CHILDREN.get(threads);
            if (c == null) CHILDREN.put(threads, c = start(threads));
            c.in().write((batch + " " + (quick ? 1 : 0) + "\n").getBytes(StandardCharsets.UTF_8));
            c.in().flush();
            String line = c.out().readLine();
            if (line == null) throw new IOException("the ONNX Runtime process exited (its messages are above)");
            String[] f = line.trim().split("\\s+");          // median min max, seconds per pass over the 32 sentences
            return new Bench.Timing(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            System.out.println("bench: ONNX Runtime unavailable (" + e.getMessage() + ")");
            return null;
        }
    }

    private static Child start(int threads) throws IOException {
        String cp = System.getProperty("llmbook.ort.classpath", System.getenv("LLMBOOK_ORT_CLASSPATH"));
        if (cp == null || cp.isBlank())
            throw new IOException("LLMBOOK_ORT_CLASSPATH is not set: run it as ./llmbook bench --ort, which builds the test classpath");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseParallelGC", "-cp", cp, "llmbook.cli.OrtBenchRunner", Integer.toString(threads));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"ready".equals(ready)) throw new IOException("the ONNX Runtime process did not start (said " + ready + ")");
        return new Child(p, p.getOutputStream(), out);
    }

    /** Ends the children (each exits when its input closes). */
    static void closeAll() {
        for (Child c : CHILDREN.values()) {
            try { c.in().close(); c.proc().waitFor(); } catch (IOException | InterruptedException e) { c.proc().destroy(); }
        }
        CHILDREN.clear();
    }
}
