package llmbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.data.TestSentences;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 run by our code against ONNX Runtime running the same file on the same ids (test scope
 * only): for 1,000 State of the Union sentences and edge cases, cosine ≥ 0.99999 and max |difference| ≤ 1e-4
 * for every sentence vector. Our forward batches 32 texts with padding; the oracle runs each text alone, so
 * the padding mask is checked too.
 */
class MiniLmOracleTest {
    static MiniLm model;
    static OrtMiniLm ort;

    @BeforeAll
    static void load() throws Exception {
        long t0 = System.nanoTime();
        model = MiniLm.load();
        System.out.printf("MiniLm.load(): %.2f s%n", (System.nanoTime() - t0) / 1e9);
        ort = new OrtMiniLm(2);
    }

    @AfterAll
    static void close() throws Exception {
        ort.close();
    }

    static List<String> edgeCases() {
        return List.of("", "...!?", "Ünïcödé àccents: Crème brûlée, São Paulo", "emoji 😀 and 👍🏽", "中文 漢字 and かな カナ, 한국어",
                String.join(" ", java.util.Collections.nCopies(100, "Congress shall act.")), "x".repeat(101), "[CLS] raw [SEP] [MASK]");
    }

    /** Compares our vectors with the oracle's; returns {worst cosine, worst max-abs difference}. */
    static double[] compare(List<WordPiece.Encoding> enc, Tensor ours, List<String> labels) throws Exception {
        float[] v = ours.toArray();
        int c = 384;
        double worstCos = 1, worstAbs = 0;
        for (int i = 0; i < enc.size(); i++) {
            float[] want = ort.embed(List.of(enc.get(i)))[0];
            double dot = 0, na = 0, nb = 0, abs = 0;
            for (int j = 0; j < c; j++) {
                float a = v[i * c + j], b = want[j];
                dot += a * b; na += a * a; nb += b * b;
                abs = Math.max(abs, Math.abs(a - b));
            }
            double cos = dot / Math.sqrt(na * nb);
            worstCos = Math.min(worstCos, cos);
            worstAbs = Math.max(worstAbs, abs);
            String what = labels.get(i);
            assertTrue(cos >= 0.99999, () -> "cosine " + cos + " on [" + what + "]");
            double a2 = abs;
            assertTrue(abs <= 1e-4, () -> "max abs difference " + a2 + " on [" + what + "]");
        }
        return new double[] {worstCos, worstAbs};
    }

    @Test
    void equalsOnnxRuntimeOnAThousandSotuSentencesAndEdgeCases() throws Exception {
        List<String> texts = new ArrayList<>(TestSentences.sotu(1000));
        texts.addAll(edgeCases());
        List<WordPiece.Encoding> enc = new ArrayList<>();
        for (String s : texts) enc.add(model.tokenizer.encodeForModel(s, MiniLm.MAX_TOKENS));
        long t0 = System.nanoTime();
        Tensor ours = model.embed(texts);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(List.of(texts.size(), 384), List.of(ours.shape()[0], ours.shape()[1]));
        double[] w = compare(enc, ours, texts);
        System.out.printf("MiniLm vs ONNX Runtime on %d texts: worst cosine %.9f, worst max |diff| %.3g (ours %.1f texts/s at batch 32)%n",
                texts.size(), w[0], w[1], texts.size() / secs);
    }

    @Test
    void pairsUseTokenTypes() throws Exception {
        List<String> s = TestSentences.sotu(20);
        List<WordPiece.Encoding> enc = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i + 1 < s.size(); i += 2) {
            enc.add(model.tokenizer.encodeForModel(s.get(i), s.get(i + 1), MiniLm.MAX_TOKENS));
            labels.add(s.get(i) + " || " + s.get(i + 1));
        }
        compare(enc, model.embedEncodings(enc, 4), labels);
    }

    @Test
    void shapeAndParameters() {
        assertEquals(22_565_376, model.encoder.numParameters(), "22,565,888 values in the file minus 512 int64 position ids");
        assertEquals(1e-12f, model.config().normEps());
        assertEquals(12, model.config().heads());
        Tensor v = model.embed(List.of("war and peace", "a treaty ending the war", "the price of cotton"));
        float[] a = v.toArray();
        double near = 0, far = 0;
        for (int j = 0; j < 384; j++) { near += a[j] * a[384 + j]; far += a[j] * a[768 + j]; }
        assertTrue(near > far, "war/peace is nearer to a treaty than to cotton: " + near + " vs " + far);
    }
}
