package llmbook.exercises.ch09;

/** Reference solution of ch09.kl (see the starter for the statement). Q38. */
public final class Kl {
    private Kl() {}

    public static double divergence(double[] p, double[] q) {
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            if (q[i] == 0) return Double.POSITIVE_INFINITY;
            kl += p[i] * Math.log(p[i] / q[i]);
        }
        return kl;
    }

    public static double fromLogits(double[] zp, double[] zq) { return divergence(softmax(zp), softmax(zq)); }

    private static double[] softmax(double[] z) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : z) m = Math.max(m, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) { p[i] = Math.exp(z[i] - m); s += p[i]; }
        for (int i = 0; i < z.length; i++) p[i] /= s;
        return p;
    }
}
