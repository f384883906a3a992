package llmbook.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import llmbook.data.TestSentences;
import llmbook.kernels.Kernels;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Sentences per CPU-second of the calling thread, ours at 1 thread vs ONNX Runtime at 1 intra-op thread (which runs
 * on the caller), in the same JVM: a measure that a busy shared machine disturbs far less than wall-clock time.
 * Median of {@code llmbook.bench.reps} (default 7) alternating passes over 256 SOTU sentences, batch 32 and 1
 * ({@code llmbook.bench.batches}). Then ours at 2 threads, the calling thread's CPU time only: about 2× one thread's
 * rate when the kernels split the work.
 * {@code mvn -pl lib test -Dtest=MiniLmCpuTime -Dllmbook.bench=true}.
 */
@EnabledIfSystemProperty(named = "llmbook.bench", matches = "true")
class MiniLmCpuTime {
    @Test
    void cpuTime() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        MiniLm m = MiniLm.load();
        List<WordPiece.Encoding> enc = new ArrayList<>();
        for (String s : TestSentences.sotu(256)) enc.add(m.tokenizer.encodeForModel(s, MiniLm.MAX_TOKENS));
        enc.sort(Comparator.comparingInt(WordPiece.Encoding::length));
        int reps = Integer.getInteger("llmbook.bench.reps", 7);
        Kernels.setThreads(1);
        System.out.printf(Locale.ROOT, "cpu %-6s %14s %14s %8s%n", "batch", "ours sent/cpu-s", "ORT sent/cpu-s", "ours/ORT");
        try (OrtMiniLm ort = new OrtMiniLm(1)) {
            for (String bs : System.getProperty("llmbook.bench.batches", "32,1").split(",")) {
                int batch = Integer.parseInt(bs.trim());
                double[] ours = new double[reps], theirs = new double[reps];
                m.embedEncodings(enc, batch);                                      // warm-up
                for (int i = 0; i < enc.size(); i += batch) ort.embed(enc.subList(i, Math.min(enc.size(), i + batch)));
                for (int rep = 0; rep < reps; rep++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    m.embedEncodings(enc, batch);
                    ours[rep] = enc.size() / ((mx.getCurrentThreadCpuTime() - t0) / 1e9);
                    t0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < enc.size(); i += batch) ort.embed(enc.subList(i, Math.min(enc.size(), i + batch)));
                    theirs[rep] = enc.size() / ((mx.getCurrentThreadCpuTime() - t0) / 1e9);
                }
                Arrays.sort(ours);
                Arrays.sort(theirs);
                double o = ours[reps / 2], t = theirs[reps / 2];
                System.out.printf(Locale.ROOT, "cpu %-6d %14.1f %14.1f %8.2f%n", batch, o, t, o / t);
                // at 2 threads the caller computes about half: its CPU time per pass shows whether the work is split
                Kernels.setThreads(2);
                double[] two = new double[reps];
                m.embedEncodings(enc, batch);
                for (int rep = 0; rep < reps; rep++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    m.embedEncodings(enc, batch);
                    two[rep] = enc.size() / ((mx.getCurrentThreadCpuTime() - t0) / 1e9);
                }
                Kernels.setThreads(1);
                Arrays.sort(two);
                System.out.printf(Locale.ROOT, "cpu %-6d ours at 2 threads: %.1f sentences per CPU-second of the calling thread (%.2f× one thread's)%n",
                        batch, two[reps / 2], two[reps / 2] / o);
            }
        }
    }
}
