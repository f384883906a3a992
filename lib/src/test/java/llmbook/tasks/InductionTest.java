package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import llmbook.data.TokenBatch;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InductionTest {
    @Test
    void trainingWindowsHoldARepeatOfRandomLength() {
        Induction data = new Induction(16, 32, 4);
        TokenBatch b = data.next(new Rng(3), 40);
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int r = 0; r < 40; r++) {
            int[] x = Arrays.copyOfRange(b.x(), r * 32, r * 32 + 32), y = Arrays.copyOfRange(b.y(), r * 32, r * 32 + 32);
            for (int t = 0; t < 31; t++) assertEquals(x[t + 1], y[t], "targets are the next token");
            int found = -1;
            for (int len = 4; len <= 16 && found < 0; len++)
                if (Arrays.equals(Arrays.copyOfRange(x, 0, len), Arrays.copyOfRange(x, len, 2 * len))) found = len;
            assertTrue(found > 0, "row " + r + " repeats its first tokens");
            lengths.add(found);
            for (int v : x) assertTrue(v >= 0 && v < 16);
        }
        assertTrue(lengths.size() >= 5, "the repeat length varies, so no fixed offset copies: " + lengths);
    }

    @Test
    void repeatedTestWindowsAreTwoCopies() {
        TokenBatch b = new Induction(16, 32, 4).repeated(3, 10, 5);
        assertEquals(20, b.T());
        for (int r = 0; r < 3; r++) {
            int[] x = Arrays.copyOfRange(b.x(), r * 20, r * 20 + 20);
            assertArrayEquals(Arrays.copyOfRange(x, 0, 10), Arrays.copyOfRange(x, 10, 20));
            assertEquals(-1, b.y()[r * 20 + 19]);
        }
        assertThrows(IllegalArgumentException.class, () -> new Induction(16, 32, 4).repeated(3, 17, 5));
        assertThrows(IllegalArgumentException.class, () -> new Induction(16, 32, 20));
    }

    @Test
    void aModelWithAllWeightsZeroLosesLnVEverywhere() {
        Decoder m = Induction.attentionOnly(TransformerConfig.gpt2(16).withLayers(2).withShape(2, 16, 64).withContext(32), new Rng(1));
        for (Tensor p : m.parameters()) Arrays.fill(p.data(), 0f);
        double[] byPos = Induction.lossByPosition(m, new Induction(16, 32, 4).repeated(4, 8, 1));
        for (int t = 0; t < 15; t++) assertEquals(Math.log(16), byPos[t], 1e-5);
        assertTrue(Double.isNaN(byPos[15]), "the last position has no target");
        double[] cl = Induction.copyLosses(byPos, 8);
        assertEquals(Math.log(16), cl[0], 1e-5);
        assertEquals(Math.log(16), cl[1], 1e-5);
    }

    @Test
    void copyLossesSplitTheTwoCopies() {
        double[] byPos = {3, 3, 3, 9, 1, 1, 1, Double.NaN};       // L = 4: positions 0–2 first copy, 3 the unannounced repeat, 4–6 second
        assertArrayEquals(new double[] {3, 1}, Induction.copyLosses(byPos, 4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Induction.copyLosses(byPos, 3));
    }

    @Test
    void headScoresFindTheInductionAndThePreviousTokenPatterns() {
        int L = 5, T = 10, H = 3;
        float[] w = new float[H * T * T];
        for (int t = 0; t < T; t++) {
            w[(0 * T + t) * T + Math.max(0, t - 1)] = 1f;                          // head 0: previous token
            w[(1 * T + t) * T + (t >= L ? t - L + 1 : t)] = 1f;                    // head 1: induction
            for (int j = 0; j <= t; j++) w[(2 * T + t) * T + j] = 1f / (t + 1);    // head 2: uniform
        }
        double[][] s = Induction.headScores(Tensor.of(w, 1, H, T, T), L);
        assertEquals(0, s[0][0], 1e-9);
        assertEquals(1, s[0][1], 1e-9);
        assertEquals(1, s[1][0], 1e-9);
        assertEquals(0, s[1][1], 1e-9);
        assertTrue(s[0][2] < 0.2 && s[1][2] < 0.2);
        assertThrows(IllegalArgumentException.class, () -> Induction.headScores(Tensor.of(w, 1, H, T, T), 4));
    }

    @Test
    void attentionOnlyModelsHaveNoFeedForwardParameters() {
        TransformerConfig cfg = TransformerConfig.gpt2(16).withLayers(2).withShape(2, 16, 64).withContext(32);
        Decoder full = new Decoder(cfg, new Rng(1)), attn = Induction.attentionOnly(cfg, new Rng(1));
        long mlpAndNorm = full.get("h.0.mlp").numParameters() + full.get("h.0.ln_2").numParameters();
        assertEquals(full.numParameters() - 2 * mlpAndNorm, attn.numParameters());
        assertTrue(attn.namedParameters().keySet().stream().noneMatch(k -> k.contains("mlp") || k.contains("ln_2")));
        // with the MLPs gone, the block's output is x + attn(ln_1(x)) and the model still trains: a loss with a gradient
        TokenBatch b = new Induction(16, 32, 4).next(new Rng(2), 2);
        attn.loss(b.x(), b.y(), 2, 32).backward();
        assertTrue(attn.get("h.1.attn").parameters().stream().anyMatch(p -> p.grad() != null));
    }
}
