package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch09.distill_loss", title = "The distillation loss and its gradient")
class DistillLossTest {
    static final double KL = 0.7310585786300049 * Math.log(2 * 0.7310585786300049) + 0.2689414213699951 * Math.log(2 * 0.2689414213699951);

    @Test
    @Points(value = 2, hint = "teacher (2, 0), student (0, 0), label 0, T = 2, α = ½ gives ½·4·0.110944 + ½·ln 2; the soft term carries T², the hard term uses T = 1")
    void byHand() {
        double[] t = {2, 0}, s = {0, 0};
        assertEquals(0.5 * 4 * KL + 0.5 * Math.log(2), DistillLoss.loss(t, s, 0, 2, 0.5), 1e-9);
        assertEquals(Math.log(2), DistillLoss.loss(t, s, 1, 2, 0), 1e-12, "α = 0: only the cross-entropy, unsoftened");
        assertEquals(0, DistillLoss.loss(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 2, 3, 1), 1e-12, "student = teacher: no soft loss");
    }

    @Test
    @Points(value = 2, hint = "d/dz of T²·KL(p ‖ softmax(z/T)) is T·(q − p); the hard term adds (1 − α)(softmax(z) − one-hot). Checked by finite differences")
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(15);
        for (int c = 0; c < 30; c++) {
            int n = 2 + r.nextInt(6), label = r.nextInt(n);
            double[] t = new double[n], s = new double[n];
            for (int i = 0; i < n; i++) { t[i] = 3 * r.nextGaussian(); s[i] = 3 * r.nextGaussian(); }
            double temp = 0.5 + 7.5 * r.nextDouble(), alpha = r.nextDouble(), h = 1e-5;
            double[] g = DistillLoss.gradient(t, s, label, temp, alpha);
            for (int i = 0; i < n; i++) {
                double[] up = s.clone(), down = s.clone();
                up[i] += h;
                down[i] -= h;
                double fd = (DistillLoss.loss(t, up, label, temp, alpha) - DistillLoss.loss(t, down, label, temp, alpha)) / (2 * h);
                assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), "logit " + i + " at T = " + temp);
            }
            assertEquals(referenceLoss(t, s, label, temp, alpha), DistillLoss.loss(t, s, label, temp, alpha), 1e-9);
        }
    }

    static double referenceLoss(double[] t, double[] s, int label, double temp, double alpha) {
        int n = t.length;
        double[] p = new double[n], q = new double[n];
        double zp = 0, zq = 0, zs = 0;
        for (int i = 0; i < n; i++) { zp += Math.exp(t[i] / temp); zq += Math.exp(s[i] / temp); zs += Math.exp(s[i]); }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(t[i] / temp) / zp;
            q[i] = Math.exp(s[i] / temp) / zq;
            kl += p[i] * Math.log(p[i] / q[i]);
        }
        return alpha * temp * temp * kl - (1 - alpha) * (s[label] - Math.log(zs));
    }

    @Test
    @Points(value = 1, hint = "subtract the row's maximum before exp: logits of 1000 must give the same loss as logits near 0")
    void largeLogits() {
        double[] t = {2, 0, -1}, s = {0.5, 0.1, 0.3};
        double small = DistillLoss.loss(t, s, 1, 4, 0.7);
        double[] tb = {1002, 1000, 999}, sb = {1000.5, 1000.1, 1000.3};
        assertEquals(small, DistillLoss.loss(tb, sb, 1, 4, 0.7), 1e-9);
        assertEquals(DistillLoss.gradient(t, s, 1, 4, 0.7)[0], DistillLoss.gradient(tb, sb, 1, 4, 0.7)[0], 1e-9);
    }
}
