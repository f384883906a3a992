package llmbook.exercises.ch09;

/** Reference solution of ch09.ewc (see the starter for the statement). Q14. */
public final class Ewc {
    private Ewc() {}

    public static double[] fisher(double[][] grads) {
        double[] f = new double[grads[0].length];
        for (double[] g : grads) for (int i = 0; i < f.length; i++) f[i] += g[i] * g[i];
        for (int i = 0; i < f.length; i++) f[i] /= grads.length;
        return f;
    }

    public static double penalty(double[] w, double[] anchor, double[] fisher, double lambda) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] - anchor[i];
            s += (fisher == null ? 1 : fisher[i]) * d * d;
        }
        return lambda / 2 * s;
    }

    public static double[] gradient(double[] w, double[] anchor, double[] fisher, double lambda) {
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) g[i] = lambda * (fisher == null ? 1 : fisher[i]) * (w[i] - anchor[i]);
        return g;
    }
}
