package llmbook.exercises.ch07;

/** Solution of ch07.temperature_entropy (see the exercise's Javadoc). Q20. */
public final class TemperatureEntropy {
    private TemperatureEntropy() {}

    public static double[] probabilities(float[] logits, double t) {
        if (!(t >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + t);
        int V = logits.length;
        double[] p = new double[V];
        int best = 0;
        for (int i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
        if (t == 0) { p[best] = 1; return p; }
        double max = logits[best] / t, sum = 0;
        for (int i = 0; i < V; i++) sum += p[i] = Math.exp(logits[i] / t - max);    // −∞ gives exp(−∞) = 0
        for (int i = 0; i < V; i++) p[i] /= sum;
        return p;
    }

    public static double entropy(double[] p) {
        double h = 0;
        for (double q : p) if (q > 0) h -= q * Math.log(q);
        return h;
    }

    public static double temperatureFor(float[] logits, double target) {
        double lo = 0.01, hi = 100;
        double hLo = entropy(probabilities(logits, lo)), hHi = entropy(probabilities(logits, hi));
        if (!(target >= hLo - 1e-9 && target <= hHi + 1e-9))
            throw new IllegalArgumentException("entropy " + target + " is outside what T in [0.01, 100] gives: [" + hLo + ", " + hHi + "]");
        for (int it = 0; it < 200 && hi - lo > 1e-12; it++) {
            double mid = Math.sqrt(lo * hi);                                            // bisect on a log scale
            if (entropy(probabilities(logits, mid)) < target) lo = mid; else hi = mid;
        }
        return Math.sqrt(lo * hi);
    }
}
