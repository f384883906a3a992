package llmbook.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class TextMetricsTest {
    @Test
    void repetitionAndDistinctByHand() {
        assertEquals(0.5, TextMetrics.repetitionRate(new int[] {0, 1, 2, 0, 1, 2, 0}, 2), 1e-12);   // ab bc ca ab bc ca
        assertEquals(0, TextMetrics.repetitionRate(new int[] {1, 2, 3, 4, 5, 6}, 4), 0);
        assertEquals(2 / 3.0, TextMetrics.repetitionRate(new int[] {7, 7, 7, 7, 7, 7}, 4), 1e-12);  // 3 four-grams, 2 repeats
        assertEquals(0, TextMetrics.repetitionRate(new int[] {1, 2}, 4), 0, "too short: no repeats");
        assertEquals(0.6, TextMetrics.distinct(List.of(new int[] {0, 1, 0, 1}, new int[] {0, 1, 2}), 2), 1e-12);
        assertEquals(1, TextMetrics.distinct(new int[] {1, 2, 3}, 1), 0);
        assertEquals(0.25, TextMetrics.distinct(new int[] {5, 5, 5, 5}, 1), 0);
        assertEquals(0, TextMetrics.distinct(new int[] {1}, 2), 0);
        assertThrows(IllegalArgumentException.class, () -> TextMetrics.distinct(new int[] {1}, 0));
    }

    @Test
    void entropyAndCandidateSets() {
        assertEquals(Math.log(8), TextMetrics.entropy(new float[8]), 1e-12);
        assertEquals(0, TextMetrics.entropy(new float[] {0, Float.NEGATIVE_INFINITY}), 1e-12);
        assertEquals(Math.log(2), TextMetrics.entropy(new float[] {3, 3, Float.NEGATIVE_INFINITY}), 1e-12);
        float[] l = {2, 1, 0, -1, -30};
        assertEquals(3, TextMetrics.candidates(new TopK(3), l, new int[0]));
        assertEquals(1, TextMetrics.candidates(new TopP(0.5f), l, new int[0]), "p(first) = 0.64 ≥ 0.5");
        assertEquals(2, l[0], 0, "the logits are not modified");
        float[] flat = new float[10];
        assertEquals(5, TextMetrics.candidates(new TopP(0.5f), flat, new int[0]), "flat: half the tokens for half the mass");
    }

    @Test
    void theModelsOwnNllIsTheMeanOverTheContinuation() {
        BeamSearchTest.DecayLm lm = new BeamSearchTest.DecayLm(5, 16, 3);
        int[] prompt = {1, 2}, cont = {3, 0, 4};
        // by hand: −log p(cont_i | prefix) from the full forward of prompt + cont
        int[] all = {1, 2, 3, 0, 4};
        float[] logits = lm.logits(all, 1, all.length).toArray();
        double s = 0;
        for (int i = 1; i < 4; i++) {
            float[] row = java.util.Arrays.copyOfRange(logits, i * 5, i * 5 + 5);
            s -= BeamSearch.logSoftmax(row)[all[i + 1]];
        }
        assertEquals(s / 3, TextMetrics.nll(lm, prompt, cont), 1e-5);
        assertEquals(Math.exp(s / 3), TextMetrics.perplexity(lm, prompt, cont), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> TextMetrics.nll(lm, prompt, new int[0]));
        // longer than the context (16): scored in windows of at least 8 tokens of history, as the Generator reads it
        int[] longText = new int[40];
        for (int i = 0; i < longText.length; i++) longText[i] = (i * 7 + 3) % 5;
        double windowed = 0;
        for (int j = 2; j < 42; j += 8) {                                    // targets j .. j+7, history from max(0, end-1-16)
            int end = Math.min(42, j + 8), s0 = Math.max(0, end - 1 - 16);
            int[] whole = new int[42];
            whole[0] = 1; whole[1] = 2;
            System.arraycopy(longText, 0, whole, 2, 40);
            float[] lg = lm.logits(java.util.Arrays.copyOfRange(whole, s0, end - 1), 1, end - 1 - s0).toArray();
            for (int t = j; t < end; t++) {
                int q = t - 1 - s0;
                windowed -= BeamSearch.logSoftmax(java.util.Arrays.copyOfRange(lg, q * 5, q * 5 + 5))[whole[t]];
            }
        }
        assertEquals(windowed / 40, TextMetrics.nll(lm, prompt, longText), 1e-5);
    }

    @Test
    void calibrationByHand() {
        // two predictions at confidence ~1 (logit gap 40), one right, one wrong: ECE = |0.5 − 1| = 0.5
        float[] logits = {40, 0, 40, 0};
        int[] targets = {0, 1};
        assertEquals(0.5, Calibration.ece(logits, targets, 2, 1f, 10), 1e-9);
        Calibration.Bin[] bins = Calibration.reliability(logits, targets, 2, 1f, 10);
        assertEquals(2, bins[9].count());
        assertEquals(0.5, bins[9].accuracy(), 0);
        assertTrue(Double.isNaN(bins[0].accuracy()), "an empty bin has no accuracy");
        // at a very high temperature both are ~0.5 confident and half right: ECE ~ 0
        assertTrue(Calibration.ece(logits, targets, 2, 1e4f, 10) < 1e-3);
        assertEquals(Math.log(2), Calibration.nll(new float[4], targets, 2, 1f), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Calibration.ece(logits, new int[] {0}, 2, 1f, 10));
        assertThrows(IllegalArgumentException.class, () -> Calibration.ece(logits, targets, 2, 0f, 10));
    }

    @Test
    void temperatureScalingRecoversAnOverconfidentModelsTemperature() {
        // true distribution softmax(z); the "model" reports 2.5·z (over-confident): the fitted T is ~2.5, ECE falls
        int N = 20000, V = 6;
        Rng r = new Rng(1);
        float[] logits = new float[N * V];
        int[] targets = new int[N];
        for (int i = 0; i < N; i++) {
            float[] z = new float[V];
            for (int v = 0; v < V; v++) z[v] = r.nextGaussian();
            double[] p = LogitsProcessor.softmax(z);
            double u = r.nextDouble();
            int t = 0;
            while (t < V - 1 && (u -= p[t]) > 0) t++;
            targets[i] = t;
            for (int v = 0; v < V; v++) logits[i * V + v] = 2.5f * z[v];
        }
        float T = Calibration.fitTemperature(logits, targets, V);
        assertEquals(2.5, T, 0.15, "fitted temperature");
        assertTrue(Calibration.nll(logits, targets, V, T) <= Calibration.nll(logits, targets, V, 1f));
        double before = Calibration.ece(logits, targets, V, 1f, 15), after = Calibration.ece(logits, targets, V, T, 15);
        assertTrue(before > 0.1 && after < 0.03, "ECE before " + before + ", after " + after);
    }
}
