package llmbook.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import llmbook.model.MiniLm;
import llmbook.model.OrtMiniLm;
import llmbook.tokenizer.WordPiece;

/**
 * The ONNX Runtime side of {@code ./llmbook bench --ort} ({@link BenchOrt}): a plain main on the test classpath (ONNX
 * Runtime is test scope). Argument: the intra-op thread count. Prints {@code ready}, then for each input line
 * {@code BATCH QUICK} prints {@code median min max} seconds per pass over {@link Bench#miniLmTexts()}: tokenised with
 * our WordPiece, sorted by length, cut into batches of BATCH (as {@link MiniLm#embed(List, int)} does), run by ONNX
 * Runtime with the sentence-transformers head, timed by {@link Bench#time}. Exits when its input closes.
 */
public final class OrtBenchRunner {
    private OrtBenchRunner() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        List<String> texts = Bench.miniLmTexts();
        WordPiece tok = WordPiece.minilm();
        try (OrtMiniLm ort = new OrtMiniLm(threads); var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                int batch = Integer.parseInt(f[0]);
                boolean quick = f[1].equals("1");
                Runnable pass = () -> {
                    List<WordPiece.Encoding> enc = new ArrayList<>(texts.size());
                    for (String s : texts) enc.add(tok.encodeForModel(s, MiniLm.MAX_TOKENS));
                    enc.sort(Comparator.comparingInt(WordPiece.Encoding::length));
                    try {
                        for (int i = 0; i < enc.size(); i += batch) ort.embed(enc.subList(i, Math.min(enc.size(), i + batch)));
                    } catch (ai.onnxruntime.OrtException e) {
                        throw new IllegalStateException(e);
                    }
                };
                Bench.Timing t = Bench.time(pass, quick);
                System.out.printf(Locale.ROOT, "%.6f %.6f %.6f%n", t.median(), t.min(), t.max());
                System.out.flush();
            }
        }
    }
}
