package llmbook.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdaptiveSoftmaxTest {
    // C = 6, V = 10: head shortlist [0, 4), cluster 1 = [4, 7) through width 3, cluster 2 = [7, 10) through width 1
    private static AdaptiveSoftmax small() { return new AdaptiveSoftmax(6, 10, new int[] {4, 7}, 2f, new Rng(5)); }

    private static final int[] TARGETS = {0, 3, 4, 6, 7, 9, 1, 5};   // every cluster, both ends of each

    private static Tensor hidden(int n) { return Tensor.normal(new Rng(11), 0f, 3f, n, 6).requiresGrad(true); }

    @Test void shapesAndParameters() {
        AdaptiveSoftmax a = small();
        assertEquals(2, a.clusters());
        assertEquals(4, a.shortlist());
        assertEquals(3, a.clusterWidth(1));
        assertEquals(1, a.clusterWidth(2));
        assertEquals(6 * (4 + 2) + (6 * 3 + 3 * 3) + (6 * 1 + 1 * 3), a.numParameters());
        assertEquals(0, a.clusterOf(3));
        assertEquals(1, a.clusterOf(4));
        assertEquals(2, a.clusterOf(9));
        assertArrayEquals(new int[] {8, 10}, a.logProbs(hidden(8)).shape());
    }

    @Test void probabilitiesSumToOneOverTheVocabulary() {
        AdaptiveSoftmax a = small();
        float[] lp = a.logProbs(hidden(8)).toArray();
        for (int r = 0; r < 8; r++) {
            double s = 0;
            for (int w = 0; w < 10; w++) s += Math.exp(lp[r * 10 + w]);
            assertEquals(1.0, s, 1e-5, "row " + r);
        }
        // also at a realistic size, where the tail clusters hold most of the ids
        AdaptiveSoftmax big = new AdaptiveSoftmax(32, 3000, new int[] {100, 1000}, 4f, new Rng(1));
        float[] lb = big.logProbs(Tensor.randn(new Rng(2), 3, 32)).toArray();
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int w = 0; w < 3000; w++) s += Math.exp(lb[r * 3000 + w]);
            assertEquals(1.0, s, 1e-4, "row " + r);
        }
    }

    @Test void lossIsTheMeanNegativeLogProbabilityOfTheTargets() {
        AdaptiveSoftmax a = small();
        Tensor h = hidden(8);
        float[] lp = a.logProbs(h).toArray();
        double nll = 0;
        for (int r = 0; r < 8; r++) nll -= lp[r * 10 + TARGETS[r]];
        assertEquals(nll / 8, a.loss(h, TARGETS).item(), 1e-5);
    }

    @Test void aTailTokenIsItsClusterTimesItsShareOfTheCluster() {
        // hand-worked structure: log p(5) = log softmax(head)[4 + 1 − 1] + log softmax(cluster 1)[5 − 4]
        AdaptiveSoftmax a = small();
        Tensor h = hidden(1);
        var p = a.namedParameters();
        float[] head = Functional.logSoftmax(h.matmul(p.get("head.weight").t())).toArray();
        float[] tail = Functional.logSoftmax(h.matmul(p.get("tail1_proj.weight").t()).matmul(p.get("tail1_out.weight").t())).toArray();
        float[] lp = a.logProbs(h).toArray();
        assertEquals(head[4] + tail[1], lp[5], 1e-6);
        assertEquals(head[2], lp[2], 1e-6);                // shortlist tokens come straight from the head
    }

    @Test void withoutCutoffsItIsTheFullSoftmax() {
        AdaptiveSoftmax a = new AdaptiveSoftmax(6, 10, new int[0], 4f, new Rng(5));
        Tensor h = hidden(8);
        Tensor logits = h.matmul(a.namedParameters().get("head.weight").t());
        assertEquals(Functional.crossEntropy(logits, TARGETS).item(), a.loss(h, TARGETS).item(), 1e-6);
        assertArrayEquals(logits.logSoftmax().toArray(), a.logProbs(h).toArray(), 1e-6f);
        assertEquals(6 * 10, a.numParameters());
    }

    @Test void uniformScoresGiveLnV() {
        // all weights zero: the head is uniform over c₀ + k classes and each cluster uniform over its tokens
        AdaptiveSoftmax a = small();
        for (Tensor t : a.parameters()) java.util.Arrays.fill(t.data(), 0f);
        float[] lp = a.logProbs(hidden(1)).toArray();
        assertEquals(-Math.log(6), lp[0], 1e-6);                 // shortlist: 1 / (4 + 2)
        assertEquals(-Math.log(6) - Math.log(3), lp[4], 1e-6);   // cluster 1: 1/6 · 1/3
    }

    @Test void gradientMatchesFiniteDifferences() {
        AdaptiveSoftmax a = small();
        Tensor h = hidden(8);
        List<Tensor> inputs = new ArrayList<>(List.of(h));
        inputs.addAll(a.parameters());
        var loss = GradCheck.check(in -> a.loss(in[0], TARGETS), inputs.toArray(Tensor[]::new));
        assertTrue(loss.ok(), loss.toString());
        var lp = GradCheck.check(in -> a.logProbs(in[0]), inputs.toArray(Tensor[]::new));
        assertTrue(lp.ok(), lp.toString());
    }

    @Test void fullSoftmaxHeadIsCrossEntropyOfALinearLayer() {
        FullSoftmax f = new FullSoftmax(6, 10, new Rng(3));
        Tensor h = hidden(8);
        assertEquals(Functional.crossEntropy(f.proj.forward(h), TARGETS).item(), f.loss(h, TARGETS).item(), 1e-6);
        var g = GradCheck.check(in -> f.loss(in[0], TARGETS), h, f.proj.weight);
        assertTrue(g.ok(), g.toString());
    }

    @Test void refusesBadCutoffsShapesAndTargets() {
        Rng rng = new Rng(0);
        var e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveSoftmax(6, 10, new int[] {4, 4}, 2f, rng));
        assertTrue(e.getMessage().contains("[4, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveSoftmax(6, 10, new int[] {10}, 2f, rng));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveSoftmax(6, 10, new int[] {0}, 2f, rng));
        AdaptiveSoftmax a = small();
        var s = assertThrows(IllegalArgumentException.class, () -> a.loss(Tensor.zeros(8, 5), TARGETS));
        assertTrue(s.getMessage().contains("(..., 6)"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.loss(Tensor.zeros(7, 6), TARGETS));
        var t = assertThrows(IndexOutOfBoundsException.class, () -> a.loss(Tensor.zeros(1, 6), new int[] {10}));
        assertTrue(t.getMessage().contains("[0, 10)"), t.getMessage());
    }

    @Test void frequencyOrderRanksByCount() {
        int[] ids = {2, 2, 0, 2, 1, 1, 3, 1, 2};   // counts: 0→1, 1→3, 2→4, 3→1
        FrequencyOrder o = FrequencyOrder.of(ids, 5);
        assertArrayEquals(new int[] {2, 1, 0, 3, 4}, o.id());
        assertArrayEquals(new int[] {2, 1, 0, 3, 4}, o.rank());
        assertArrayEquals(new long[] {4, 3, 1, 1, 0}, o.count());
        assertArrayEquals(ids, o.toIds(o.toRanks(ids)));
        assertEquals(7 / 9.0, o.coverage(2), 1e-12);
        assertEquals(1.0, o.coverage(5), 1e-12);
    }
}
