package llmbook.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import llmbook.data.TestSentences;
import llmbook.kernels.Kernels;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Sentences per second, ours vs ONNX Runtime, in the same run: 1 and 2 threads, batch 1 and 32, on 256 SOTU
 * sentences (both sides get the same length-sorted batches). A measurement, not a check; run with
 * {@code mvn -pl lib test -Dtest=MiniLmSpeed -Dllmbook.bench=true}.
 */
@EnabledIfSystemProperty(named = "llmbook.bench", matches = "true")
class MiniLmSpeed {
    @Test
    void speed() throws Exception {
        MiniLm m = MiniLm.load();
        List<WordPiece.Encoding> enc = new ArrayList<>();
        for (String s : TestSentences.sotu(256)) enc.add(m.tokenizer.encodeForModel(s, MiniLm.MAX_TOKENS));
        enc.sort(Comparator.comparingInt(WordPiece.Encoding::length));
        System.out.printf(Locale.ROOT, "%d sentences, mean %.1f tokens%n", enc.size(), enc.stream().mapToInt(WordPiece.Encoding::length).average().orElse(0));
        System.out.printf(Locale.ROOT, "%-4s %-6s %12s %12s %8s%n", "thr", "batch", "ours sent/s", "ORT sent/s", "ours/ORT");
        for (int threads : new int[] {1, 2}) {
            Kernels.setThreads(threads);
            try (OrtMiniLm ort = new OrtMiniLm(threads)) {
                for (int batch : new int[] {1, 32}) {
                    double ours = 0, theirs = 0;
                    for (int rep = 0; rep < 3; rep++) {              // best of 3, alternating, after a warm-up pass
                        long t0 = System.nanoTime();
                        m.embedEncodings(enc, batch);
                        ours = Math.max(ours, enc.size() / ((System.nanoTime() - t0) / 1e9));
                        t0 = System.nanoTime();
                        for (int i = 0; i < enc.size(); i += batch) ort.embed(enc.subList(i, Math.min(enc.size(), i + batch)));
                        theirs = Math.max(theirs, enc.size() / ((System.nanoTime() - t0) / 1e9));
                    }
                    System.out.printf(Locale.ROOT, "%-4d %-6d %12.1f %12.1f %8.2f%n", threads, batch, ours, theirs, ours / theirs);
                }
            }
        }
    }
}
