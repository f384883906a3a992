package llmbook.exercises.ch04;

/** Classic bug: scores not divided by sqrt(d). */
public final class Attention {
    private Attention() {}

    /** Causal attention output (T, dv); subtract the row maximum before exp for stability. */
    public static double[][] causal(double[][] q, double[][] k, double[][] v) {
        int t = q.length, d = q[0].length, dv = v[0].length;
        double[][] out = new double[t][dv];
        for (int i = 0; i < t; i++) {
            double[] s = new double[i + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += q[i][c] * k[j][c];
                s[j] = dot;                                  // classic bug: no 1/sqrt(d)
                max = Math.max(max, s[j]);
            }
            double z = 0;
            for (int j = 0; j <= i; j++) { s[j] = Math.exp(s[j] - max); z += s[j]; }
            for (int j = 0; j <= i; j++)
                for (int c = 0; c < dv; c++) out[i][c] += s[j] / z * v[j][c];
        }
        return out;
    }
}
