package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.adaptive_log_prob", title = "Token probabilities under an adaptive softmax")
class AdaptiveLogProbTest {
    static double[] rand(Random r, int n, double s) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = s * r.nextGaussian();
        return a;
    }

    @Test
    @Points(value = 1, hint = "a rare token's probability is P(tail entry of the head) × P(token within the tail)")
    void workedExample() {
        double[] h = {0, 0}, t = {0, 0};
        assertEquals(Math.log(0.5), AdaptiveLogProb.logProb(h, t, 1, 0), 1e-12);
        assertEquals(Math.log(0.25), AdaptiveLogProb.logProb(h, t, 1, 1), 1e-12);
        assertEquals(Math.log(0.25), AdaptiveLogProb.logProb(h, t, 1, 2), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "hidden logits: the probabilities of all V tokens must sum to 1 (the head's last entry is not a token)")
    void aDistributionOverTheWholeVocabulary() {
        Random r = new Random(42);
        int[][] sizes = {{3, 10}, {1, 2}, {20, 200}};
        for (int[] s : sizes) {
            int cutoff = s[0], v = s[1];
            double[] h = rand(r, cutoff + 1, 2), t = rand(r, v - cutoff, 2);
            double sum = 0;
            for (int tok = 0; tok < v; tok++) sum += Math.exp(AdaptiveLogProb.logProb(h, t, cutoff, tok));
            assertEquals(1, sum, 1e-9, "cutoff " + cutoff + ", V = " + v);
            // a frequent token ignores the tail entirely
            double before = AdaptiveLogProb.logProb(h, t, cutoff, 0);
            t[0] += 5;
            assertEquals(before, AdaptiveLogProb.logProb(h, t, cutoff, 0), 1e-12, "a head token's probability does not depend on the tail logits");
        }
    }

    @Test
    @Points(value = 2, hint = "hidden cases against the exact two-level formula, with logits near 1000: subtract the max")
    void hiddenCasesAndLargeLogits() {
        Random r = new Random(43);
        double[] h = rand(r, 5, 3), t = rand(r, 12, 3);
        for (int i = 0; i < h.length; i++) h[i] += 1000;
        for (int i = 0; i < t.length; i++) t[i] -= 1000;
        double mh = java.util.Arrays.stream(h).max().getAsDouble(), mt = java.util.Arrays.stream(t).max().getAsDouble();
        double zh = 0, zt = 0;
        for (double x : h) zh += Math.exp(x - mh);
        for (double x : t) zt += Math.exp(x - mt);
        for (int tok = 0; tok < 16; tok++) {
            double want = tok < 4 ? h[tok] - mh - Math.log(zh) : (h[4] - mh - Math.log(zh)) + (t[tok - 4] - mt - Math.log(zt));
            assertEquals(want, AdaptiveLogProb.logProb(h, t, 4, tok), 1e-9, "token " + tok);
        }
    }
}
