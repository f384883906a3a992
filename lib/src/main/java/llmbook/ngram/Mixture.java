package llmbook.ngram;

import java.util.Arrays;

import llmbook.model.LanguageModel;
import llmbook.tensor.Tensor;

/**
 * Per-token log-probabilities of a neural LM and their linear interpolation with an n-gram model's. Q49.
 * <pre>
 *   p(w | h) = λ · p_gpt(w | h) + (1 − λ) · p_ngram(w | h)          λ chosen on one half, reported on the other
 * </pre>
 * The two make different mistakes (the n-gram model copies long exact matches it has seen, the network generalises
 * across similar contexts), so the mixture is usually better than either.
 */
public final class Mixture {
    private Mixture() {}

    /**
     * ln p(ids[i] | ids[… i−1]) under {@code model} for i = 1 … n−1 (entry 0 is NaN: nothing to condition on), read in
     * windows of the model's context that advance by half of it, so every token sees at least half a context.
     */
    public static double[] logProbs(LanguageModel model, int[] ids) {
        int n = ids.length, T = model.context(), V = model.vocab(), stride = Math.max(1, T / 2);
        double[] out = new double[n];
        out[0] = Double.NaN;
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            for (int j = 1; j < n; ) {                                   // score targets j … end−1
                int end = Math.min(n, j + stride), s = Math.max(0, end - 1 - T), len = end - 1 - s;
                float[] logits = model.logits(Arrays.copyOfRange(ids, s, end - 1), 1, len).toArray();
                for (int t = j; t < end; t++) {                          // target t is predicted at row t − 1 − s
                    int row = (t - 1 - s) * V;
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    for (int v = 0; v < V; v++) max = Math.max(max, logits[row + v]);
                    for (int v = 0; v < V; v++) z += Math.exp(logits[row + v] - max);
                    out[t] = logits[row + ids[t]] - max - Math.log(z);
                }
                j = end;
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** Mean NLL (nats) over positions {@code from … to−1} of the mixture λ·e^a + (1−λ)·e^b of two log-probability arrays. */
    public static double nll(double[] a, double[] b, double lambda, int from, int to) {
        if (a.length != b.length) throw new IllegalArgumentException("Mixture: " + a.length + " vs " + b.length + " log-probabilities");
        if (lambda < 0 || lambda > 1) throw new IllegalArgumentException("Mixture: λ must be in [0, 1], got " + lambda);
        if (from < 0 || to > a.length || from >= to) throw new IllegalArgumentException("Mixture: empty or bad range " + from + " … " + to);
        double s = 0;
        for (int i = from; i < to; i++) s -= Math.log(lambda * Math.exp(a[i]) + (1 - lambda) * Math.exp(b[i]));
        return s / (to - from);
    }

    /** The λ in {0, 0.05, …, 1} with the lowest {@link #nll} on positions {@code from … to−1}. */
    public static double bestLambda(double[] a, double[] b, int from, int to) {
        double best = 0, bestNll = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= 20; k++) {
            double l = k / 20.0, v = nll(a, b, l, from, to);
            if (v < bestNll) { bestNll = v; best = l; }
        }
        return best;
    }
}
