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
    void trainingWindowsRepeatASegmentAtRandomPlaces() {
        Induction data = new Induction(64, 32, 4);
        TokenBatch b = data.next(new Rng(3), 60);
        java.util.Set<Integer> lengths = new java.util.HashSet<>(), starts = new java.util.HashSet<>(), offsets = new java.util.HashSet<>();
        for (int r = 0; r < 60; r++) {
            int[] x = Arrays.copyOfRange(b.x(), r * 32, r * 32 + 32), y = Arrays.copyOfRange(b.y(), r * 32, r * 32 + 32);
            for (int t = 0; t < 31; t++) assertEquals(x[t + 1], y[t], "targets are the next token");
            for (int v : x) assertTrue(v >= 0 && v < 64);
            int[] s = Arrays.copyOf(x, 33);
            s[32] = y[31];
            // the longest segment of >= 4 tokens that occurs twice without overlapping (random tokens rarely repeat 4 by chance)
            int bestLen = 0, bestStart = -1, bestOffset = -1;
            for (int i = 0; i < 33; i++)
                for (int j = i + 1; j < 33; j++) {
                    int len = 0;
                    while (j + len < 33 && i + len < j && s[i + len] == s[j + len]) len++;
                    if (len > bestLen) { bestLen = len; bestStart = i; bestOffset = j - i; }
                }
            assertTrue(bestLen >= 4, "row " + r + " repeats a segment of at least 4 tokens");
            lengths.add(bestLen); starts.add(bestStart); offsets.add(bestOffset);
        }
        assertTrue(lengths.size() >= 5, "the segment length varies: " + lengths);
        assertTrue(starts.size() >= 8, "the first copy starts anywhere: " + starts);
        assertTrue(offsets.size() >= 8, "the distance between the copies varies, so no fixed look-back predicts the copy: " + offsets);
    }

    @Test
    void repeatedTestWindowsEndInTwoCopies() {
        TokenBatch b = new Induction(16, 32, 4).repeated(3, 10, 5);
        assertEquals(32, b.T(), "full context windows: random tokens, then the two copies");
        for (int r = 0; r < 3; r++) {
            int[] x = Arrays.copyOfRange(b.x(), r * 32, r * 32 + 32);
            assertArrayEquals(Arrays.copyOfRange(x, 12, 22), Arrays.copyOfRange(x, 22, 32));
            assertTrue(!Arrays.equals(Arrays.copyOfRange(x, 2, 12), Arrays.copyOfRange(x, 12, 22)), "the prefix is not a third copy");
            assertEquals(-1, b.y()[r * 32 + 31]);
        }
        assertThrows(IllegalArgumentException.class, () -> new Induction(16, 32, 4).repeated(3, 17, 5));
        assertThrows(IllegalArgumentException.class, () -> new Induction(16, 32, 20));
    }

    @Test
    void aModelWithAllWeightsZeroLosesLnVEverywhere() {
        Decoder m = Induction.attentionOnly(TransformerConfig.gpt2(16).withLayers(2).withShape(2, 16, 64).withContext(32), new Rng(1));
        for (Tensor p : m.parameters()) Arrays.fill(p.data(), 0f);
        double[] byPos = Induction.lossByPosition(m, new Induction(16, 32, 4).repeated(4, 8, 1));
        for (int t = 0; t < 31; t++) assertEquals(Math.log(16), byPos[t], 1e-5);
        assertTrue(Double.isNaN(byPos[31]), "the last position has no target");
        double[] cl = Induction.copyLosses(byPos, 8);
        assertEquals(Math.log(16), cl[0], 1e-5);
        assertEquals(Math.log(16), cl[1], 1e-5);
    }

    @Test
    void copyLossesSplitTheTwoCopies() {
        double[] byPos = {7, 7, 3, 3, 3, 9, 1, 1, 1, Double.NaN};   // L = 4 after 2 random: positions 2–4 first copy, 5 the unannounced repeat, 6–8 second
        assertArrayEquals(new double[] {3, 1}, Induction.copyLosses(byPos, 4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Induction.copyLosses(byPos, 6));
    }

    @Test
    void headScoresFindTheInductionAndThePreviousTokenPatterns() {
        int L = 5, T = 12, H = 3;                                                  // two random tokens, then two copies of 5
        float[] w = new float[H * T * T];
        for (int t = 0; t < T; t++) {
            w[(0 * T + t) * T + Math.max(0, t - 1)] = 1f;                          // head 0: previous token
            w[(1 * T + t) * T + (t >= T - L ? t - L + 1 : t)] = 1f;                // head 1: induction (second copy only)
            for (int j = 0; j <= t; j++) w[(2 * T + t) * T + j] = 1f / (t + 1);    // head 2: uniform
        }
        double[][] s = Induction.headScores(Tensor.of(w, 1, H, T, T), L);
        assertEquals(0, s[0][0], 1e-9);
        assertEquals(1, s[0][1], 1e-9);
        assertEquals(1, s[1][0], 1e-9);
        assertEquals(0, s[1][1], 1e-9);
        assertTrue(s[0][2] < 0.2 && s[1][2] < 0.2);
        assertThrows(IllegalArgumentException.class, () -> Induction.headScores(Tensor.of(w, 1, H, T, T), 7));
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

    /**
     * The experiment itself, small: on windows where only content says where the first copy is, a two-layer
     * attention-only model learns to copy the second copy (an induction head forms in layer 2) and a one-layer one
     * cannot. Fails if the two-layer model does not beat the one-layer one by a wide margin.
     */
    @Test
    void twoLayersLearnToCopyTheSecondCopyAndOneLayerCannot() {
        int V = 32, T = 48, L = 12;
        Induction data = new Induction(V, T, L);
        TokenBatch test = data.repeated(32, L, 7);
        double[][] second = new double[3][];
        double[] bestInduction = new double[3];
        for (int layers : new int[] {1, 2}) {
            Decoder m = Induction.attentionOnly(TransformerConfig.gpt2(V).withLayers(layers).withShape(4, 48, 192).withContext(T)
                    .withPositions(TransformerConfig.Positions.ROPE), new Rng(1));
            new llmbook.train.Trainer(m, llmbook.train.TrainConfig.reference().withWarmup(20).withSteps(600).withLr(5e-3f).withBatch(32)
                    .withThreads(2).withEvalInterval(600), data, null).run();
            second[layers] = Induction.copyLosses(Induction.lossByPosition(m, test), L);
            m.block(layers - 1).attention().captureWeights(true);
            m.eval();
            try (var g = Tensor.noGrad()) { m.logits(test.x(), test.B(), test.T()); }
            bestInduction[layers] = Arrays.stream(Induction.headScores(m.block(layers - 1).attention().lastWeights(), L)[0]).max().getAsDouble();
        }
        String report = "1 layer: first/second copy " + Arrays.toString(second[1]) + ", 2 layers: " + Arrays.toString(second[2])
                + ", best last-layer induction score " + Arrays.toString(bestInduction);
        assertTrue(second[2][1] < second[1][1] - 1.0, "two layers copy, one cannot: " + report);
        assertTrue(second[2][1] < second[2][0] - 1.5, "the second copy is far easier than the first for two layers: " + report);
        assertTrue(second[1][1] > Math.log(V) - 1.0, "one layer gets no further than a guess among tokens seen: " + report);
        assertTrue(bestInduction[2] > 0.3 && bestInduction[2] > 2 * bestInduction[1], "an induction head in layer 2: " + report);
    }
}
