package llmbook.sample;

/**
 * Is the model's confidence honest? A model is calibrated when, among the predictions it makes with confidence 0.7,
 * 70% are right. Guo et al. (2017) showed that modern networks are over-confident and that one number fixes most of
 * it: divide the logits by a temperature T fitted on held-out data (temperature scaling). The argmax, hence the
 * accuracy, does not change. Q20.
 * <pre>{@code
 * float T = Calibration.fitTemperature(valLogits, valTargets, V);          // minimises the validation NLL
 * double before = Calibration.ece(testLogits, testTargets, V, 1f, 15), after = Calibration.ece(testLogits, testTargets, V, T, 15);
 * }</pre>
 * Logits are {@code N} rows of {@code V} scores, row-major; targets are {@code N} token ids.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * One bin of a reliability diagram: {@code count} predictions whose confidence (the top probability) fell in
     * {@code [lo, hi)}, their mean confidence, and the share of them that were right (NaN when empty).
     */
    public record Bin(double lo, double hi, int count, double confidence, double accuracy) {}

    /** Mean negative log-likelihood (nats) of the targets under softmax(logits / T). */
    public static double nll(float[] logits, int[] targets, int V, float T) {
        int N = check(logits, targets, V, T);
        double s = 0;
        for (int i = 0; i < N; i++) {
            int o = i * V;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) max = Math.max(max, logits[o + v] / (double) T);
            double sum = 0;
            for (int v = 0; v < V; v++) sum += Math.exp(logits[o + v] / (double) T - max);
            s += max + Math.log(sum) - logits[o + targets[i]] / (double) T;
        }
        return s / N;
    }

    /**
     * The temperature that minimises {@link #nll} on {@code (logits, targets)}, searched in [0.05, 20]. The NLL is
     * convex in β = 1/T (a log-sum-exp minus a linear term), so a golden-section search on β finds the minimum.
     */
    public static float fitTemperature(float[] logits, int[] targets, int V) {
        check(logits, targets, V, 1f);
        double lo = 1 / 20.0, hi = 1 / 0.05, g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
        double fa = nll(logits, targets, V, (float) (1 / a)), fb = nll(logits, targets, V, (float) (1 / b));
        for (int it = 0; it < 60; it++) {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = nll(logits, targets, V, (float) (1 / a)); }
            else { lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = nll(logits, targets, V, (float) (1 / b)); }
        }
        return (float) (2 / (lo + hi));
    }

    /** The reliability diagram's data: {@code bins} equal-width confidence bins over [0, 1] at temperature T. */
    public static Bin[] reliability(float[] logits, int[] targets, int V, float T, int bins) {
        int N = check(logits, targets, V, T);
        if (bins < 1) throw new IllegalArgumentException("Calibration: bins must be >= 1, got " + bins);
        int[] count = new int[bins];
        double[] conf = new double[bins], right = new double[bins];
        float[] row = new float[V];
        for (int i = 0; i < N; i++) {
            for (int v = 0; v < V; v++) row[v] = logits[i * V + v] / T;
            double[] p = LogitsProcessor.softmax(row);
            int best = 0;
            for (int v = 1; v < V; v++) if (p[v] > p[best]) best = v;
            int bin = Math.min(bins - 1, (int) (p[best] * bins));
            count[bin]++;
            conf[bin] += p[best];
            if (best == targets[i]) right[bin]++;
        }
        Bin[] out = new Bin[bins];
        for (int k = 0; k < bins; k++)
            out[k] = new Bin(k / (double) bins, (k + 1) / (double) bins, count[k],
                    count[k] == 0 ? Double.NaN : conf[k] / count[k], count[k] == 0 ? Double.NaN : right[k] / count[k]);
        return out;
    }

    /**
     * Expected calibration error: Σ over bins of (share of predictions in the bin) × |accuracy − confidence|. 0 for
     * a perfectly calibrated model; a model that says 0.9 and is right half the time scores 0.4.
     */
    public static double ece(float[] logits, int[] targets, int V, float T, int bins) {
        double e = 0;
        int N = targets.length;
        for (Bin b : reliability(logits, targets, V, T, bins))
            if (b.count() > 0) e += b.count() / (double) N * Math.abs(b.accuracy() - b.confidence());
        return e;
    }

    private static int check(float[] logits, int[] targets, int V, float T) {
        if (V < 1) throw new IllegalArgumentException("Calibration: V must be >= 1, got " + V);
        if (targets.length == 0) throw new IllegalArgumentException("Calibration: no predictions (empty targets)");
        if ((long) targets.length * V != logits.length)
            throw new IllegalArgumentException("Calibration: " + logits.length + " logits are not " + targets.length + " rows of V = " + V);
        if (!(T > 0) || Float.isInfinite(T)) throw new IllegalArgumentException("Calibration: temperature must be > 0 and finite, got " + T);
        for (int t : targets) if (t < 0 || t >= V) throw new IllegalArgumentException("Calibration: target " + t + " outside [0, " + V + ")");
        return targets.length;
    }
}
