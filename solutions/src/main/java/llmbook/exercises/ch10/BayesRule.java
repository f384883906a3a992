package llmbook.exercises.ch10;

/** Reference solution of ch10.bayes_rule (see the starter for the statement). Q29. */
public final class BayesRule {
    private BayesRule() {}

    public static double[] posteriors(double[] logLikelihood, double[] prior) {
        int n = logLikelihood.length;
        double[] a = new double[n];
        double m = Double.NEGATIVE_INFINITY, z = 0;
        for (int c = 0; c < n; c++) { a[c] = logLikelihood[c] + Math.log(prior[c]); m = Math.max(m, a[c]); }
        for (int c = 0; c < n; c++) { a[c] = Math.exp(a[c] - m); z += a[c]; }
        for (int c = 0; c < n; c++) a[c] /= z;
        return a;
    }

    public static int classify(double[] logLikelihood, double[] prior) {
        double[] p = posteriors(logLikelihood, prior);
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return best;
    }
}
