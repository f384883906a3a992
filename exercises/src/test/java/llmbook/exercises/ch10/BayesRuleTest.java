package llmbook.exercises.ch10;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch10.bayes_rule", title = "Classifying with a generative model by Bayes' rule")
class BayesRuleTest {
    @Test
    @Points(value = 2, hint = "posterior ∝ prior · likelihood: log-likelihoods (−1000, −1001) with priors (0.2, 0.8) give P(0 | x) = 0.2e / (0.2e + 0.8) and class 1")
    void priorMatters() {
        double[] ll = {-1000, -1001}, prior = {0.2, 0.8};
        double p0 = 0.2 * Math.E / (0.2 * Math.E + 0.8);
        double[] p = BayesRule.posteriors(ll, prior);
        assertEquals(p0, p[0], 1e-12);
        assertEquals(1 - p0, p[1], 1e-12);
        assertEquals(1, BayesRule.classify(ll, prior), "the prior outweighs one nat of likelihood");
        assertEquals(0, BayesRule.classify(ll, new double[] {0.5, 0.5}));
    }

    @Test
    @Points(value = 2, hint = "exp(−5000) is 0 in a double: subtract the largest log posterior before exp (log-sum-exp)")
    void noUnderflow() {
        double[] p = BayesRule.posteriors(new double[] {-5000, -5002, -5001}, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3});
        double z = 1 + Math.exp(-2) + Math.exp(-1);
        assertEquals(1 / z, p[0], 1e-12);
        assertEquals(Math.exp(-2) / z, p[1], 1e-12);
        assertEquals(Math.exp(-1) / z, p[2], 1e-12);
        assertEquals(0, BayesRule.classify(new double[] {-5000, -5002, -5001}, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}));
    }

    @Test
    @Points(value = 1, hint = "hidden cases: posteriors sum to 1 and match prior · likelihood, normalised")
    void hiddenCases() {
        Random r = new Random(2929);
        for (int t = 0; t < 50; t++) {
            int n = 2 + r.nextInt(5);
            double[] ll = new double[n], prior = new double[n], ref = new double[n];
            double sp = 0, m = Double.NEGATIVE_INFINITY, z = 0;
            double base = -3000 * r.nextDouble();
            for (int c = 0; c < n; c++) { ll[c] = base - 10 * r.nextDouble(); prior[c] = 0.05 + r.nextDouble(); sp += prior[c]; }
            for (int c = 0; c < n; c++) { prior[c] /= sp; ref[c] = ll[c] + Math.log(prior[c]); m = Math.max(m, ref[c]); }
            for (int c = 0; c < n; c++) z += Math.exp(ref[c] - m);
            double[] p = BayesRule.posteriors(ll, prior);
            int best = 0;
            for (int c = 0; c < n; c++) {
                assertEquals(Math.exp(ref[c] - m) / z, p[c], 1e-9, "class " + c);
                if (ref[c] > ref[best]) best = c;
            }
            assertEquals(best, BayesRule.classify(ll, prior));
        }
    }
}
