package llmbook.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class LogitsProcessorTest {
    static final float NEG = Float.NEGATIVE_INFINITY;
    static final int[] NONE = {};

    static float[] apply(LogitsProcessor p, float[] logits, int... history) {
        float[] l = logits.clone();
        p.process(l, history);
        return l;
    }

    static int kept(float[] l) {
        int n = 0;
        for (float v : l) if (v != NEG) n++;
        return n;
    }

    /** Logits whose softmax is exactly p (up to a constant). */
    static float[] logitsOf(double... p) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) l[i] = (float) Math.log(p[i]);
        return l;
    }

    static double entropy(float[] logits) {
        double h = 0;
        for (double p : LogitsProcessor.softmax(logits)) if (p > 0) h -= p * Math.log(p);
        return h;
    }

    @Test
    void topKKeepsExactlyK() {
        float[] l = {1f, 5f, 3f, 3f, -2f, 4f};
        assertArrayEquals(new float[] {NEG, 5f, NEG, NEG, NEG, 4f}, apply(new TopK(2), l));
        float[] three = apply(new TopK(3), l);                           // a tie at the cut: the lower id stays
        assertEquals(3, kept(three));
        assertEquals(3f, three[2]);
        assertEquals(NEG, three[3]);
        for (int k = 1; k <= 6; k++) assertEquals(k, kept(apply(new TopK(k), new float[] {2, 2, 2, 2, 2, 2})), "all equal, k " + k);
        assertArrayEquals(l, apply(new TopK(10), l), "k >= V keeps everything");
        assertThrows(IllegalArgumentException.class, () -> new TopK(0));
    }

    @Test
    void topPKeepsTheSmallestSetWithMassAtLeastP() {
        float[] l = logitsOf(0.1, 0.5, 0.05, 0.35);
        float[] kept = apply(new TopP(0.8f), l);                         // 0.5 < 0.8 <= 0.5 + 0.35
        assertEquals(NEG, kept[0]);
        assertEquals(l[1], kept[1]);
        assertEquals(NEG, kept[2]);
        assertEquals(l[3], kept[3]);
        assertEquals(3, kept(apply(new TopP(0.86f), l)), "above 0.85 needs the third token");
        assertEquals(1, kept(apply(new TopP(0.45f), l)), "the top token alone has 0.5");
        assertEquals(4, kept(apply(new TopP(1f), l)));
        assertThrows(IllegalArgumentException.class, () -> new TopP(0f));
        assertThrows(IllegalArgumentException.class, () -> new TopP(1.5f));
    }

    @Test
    void minPKeepsTokensWithinAFactorOfTheBest() {
        float[] l = logitsOf(0.5, 0.2, 0.05, 0.25);
        float[] kept = apply(new MinP(0.3f), l);                         // p >= 0.3 · 0.5 = 0.15
        assertEquals(l[0], kept[0]);
        assertEquals(l[1], kept[1]);
        assertEquals(NEG, kept[2]);
        assertEquals(l[3], kept[3]);
        assertEquals(1, kept(apply(new MinP(1f), l)), "min-p 1 keeps only the best");
        assertThrows(IllegalArgumentException.class, () -> new MinP(0f));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        float[] l = {2f, -1f, 4f, -3f};
        assertArrayEquals(new float[] {1f, -2f, 4f, -3f}, apply(new RepetitionPenalty(2f), l, 0, 1, 0, 1, 0));
        assertArrayEquals(l, apply(new RepetitionPenalty(2f), l), "nothing seen, nothing changes");
        assertArrayEquals(l, apply(new RepetitionPenalty(1f), l, 0, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(0.5f));
    }

    @Test
    void higherTemperatureMeansHigherEntropy() {
        float[] l = {3f, 1f, 0.5f, -1f, 2f};
        double previous = 0;
        for (float t : new float[] {0.25f, 0.5f, 1f, 2f, 4f}) {
            double h = entropy(apply(new Temperature(t), l));
            assertTrue(h > previous, "t = " + t + ": entropy " + h + " should exceed " + previous);
            previous = h;
        }
        assertTrue(previous < Math.log(l.length));
        assertArrayEquals(new float[] {6f, 2f, 1f, -2f, 4f}, apply(new Temperature(0.5f), l));
        assertThrows(IllegalArgumentException.class, () -> new Temperature(0f));
    }

    @Test
    void samplingIsReproducibleAndFollowsTheDistribution() {
        float[] l = logitsOf(0.1, 0.6, 0.3);
        Sampler a = Sampler.sampling(new Rng(9)), b = Sampler.sampling(new Rng(9));
        int[] counts = new int[3];
        for (int i = 0; i < 20_000; i++) {
            int t = a.next(l, NONE);
            assertEquals(t, b.next(l, NONE), "same seed, same draws");
            counts[t]++;
        }
        assertEquals(0.1, counts[0] / 20_000.0, 0.01);
        assertEquals(0.6, counts[1] / 20_000.0, 0.01);
        assertEquals(0.3, counts[2] / 20_000.0, 0.01);
        // filtered tokens are never drawn; processors run in order and leave the caller's array alone
        Sampler top1 = Sampler.of(1f, 1, 1f, new Rng(2));
        float[] copy = l.clone();
        for (int i = 0; i < 100; i++) assertEquals(1, top1.next(l, NONE));
        assertArrayEquals(copy, l);
        assertEquals(1, Sampler.greedy().next(l, NONE));
        assertEquals(2, Sampler.greedy(new RepetitionPenalty(100f)).next(logitsOf(0.1, 0.6, 0.3).clone(), new int[] {1}), "penalised, greedy moves on");
        assertTrue(Sampler.of(0f, 5, 0.9f, null).isGreedy(), "temperature 0 is greedy");
        assertNotEquals(Sampler.sampling(new Rng(1)).toString(), Sampler.greedy().toString());
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(0.8f, 0, 1f, null));
        assertThrows(IllegalStateException.class, () -> Sampler.greedy().next(new float[] {0f, Float.NaN}, NONE));
    }
}
