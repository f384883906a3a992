package llmbook.classify;

import java.util.List;

/** Something that scores each class for a feature row: naive Bayes, logistic regression, a probe. */
public interface Classifier {
    /** Number of classes. */
    int classes();

    /** Log-probabilities of each class for {@code x} (normalised: they log-sum-exp to 0). */
    double[] logProba(Sparse x);

    /** The most probable class (the lowest index on a tie). */
    default int predict(Sparse x) { return argmax(logProba(x)); }

    /** Fraction of {@code xs} whose prediction equals its label. */
    default double accuracy(List<Sparse> xs, int[] labels) {
        if (xs.size() != labels.length) throw new IllegalArgumentException("accuracy: " + xs.size() + " rows but " + labels.length + " labels");
        if (xs.isEmpty()) throw new IllegalArgumentException("accuracy: no rows");
        int ok = 0;
        for (int i = 0; i < labels.length; i++) if (predict(xs.get(i)) == labels[i]) ok++;
        return (double) ok / labels.length;
    }

    /** Index of the largest entry (the first on a tie). */
    static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        return best;
    }

    /** ln Σ exp(s), with the maximum subtracted so that large scores do not overflow. */
    static double logSumExp(double[] s) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : s) m = Math.max(m, v);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double z = 0;
        for (double v : s) z += Math.exp(v - m);
        return m + Math.log(z);
    }

    /** Checks labels are in [0, k) and as many as rows; returns the class count. */
    static void checkLabels(String who, int rows, int[] labels, int k) {
        if (rows != labels.length) throw new IllegalArgumentException(who + ": " + rows + " rows but " + labels.length + " labels");
        if (rows == 0) throw new IllegalArgumentException(who + ": no training rows");
        for (int y : labels) if (y < 0 || y >= k) throw new IllegalArgumentException(who + ": label " + y + " outside [0, " + k + ")");
    }
}
