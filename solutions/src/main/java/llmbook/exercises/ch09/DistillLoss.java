package llmbook.exercises.ch09;

/** Reference solution of ch09.distill_loss (see the starter for the statement). Q15. */
public final class DistillLoss {
    private DistillLoss() {}

    public static double loss(double[] teacher, double[] student, int label, double temperature, double alpha) {
        double[] p = softmax(teacher, temperature), q = softmax(student, temperature), s = softmax(student, 1);
        double kl = 0;
        for (int i = 0; i < p.length; i++) if (p[i] > 0) kl += p[i] * Math.log(p[i] / q[i]);
        return alpha * temperature * temperature * kl - (1 - alpha) * Math.log(s[label]);
    }

    public static double[] gradient(double[] teacher, double[] student, int label, double temperature, double alpha) {
        double[] p = softmax(teacher, temperature), q = softmax(student, temperature), s = softmax(student, 1);
        double[] g = new double[student.length];
        for (int i = 0; i < g.length; i++)
            g[i] = alpha * temperature * (q[i] - p[i]) + (1 - alpha) * (s[i] - (i == label ? 1 : 0));
        return g;
    }

    private static double[] softmax(double[] z, double temperature) {
        double m = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) m = Math.max(m, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) { p[i] = Math.exp((z[i] - m) / temperature); sum += p[i]; }
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
