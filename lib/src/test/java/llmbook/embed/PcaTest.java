package llmbook.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {
    @Test
    void pointsNearALineHaveOneDominantComponentAlongIt() {
        Random r = new Random(2);
        int n = 500, d = 5;
        double[] dir = {3, 4, 0, 0, 0};                        // unit direction (0.6, 0.8, 0, 0, 0)
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double t = r.nextGaussian() * 2;
            for (int j = 0; j < d; j++) x[i * d + j] = (float) (1 + t * dir[j] / 5 + 0.01 * r.nextGaussian());
        }
        Pca p = Pca.fit(x, n, d);
        double[] ratio = p.explainedVarianceRatio();
        assertTrue(ratio[0] > 0.999, "first component explains " + ratio[0]);
        double sum = 0;
        for (double v : ratio) sum += v;
        assertEquals(1, sum, 1e-12);
        assertEquals(0.6, Math.abs(p.component(0)[0]), 1e-3);
        assertEquals(0.8, Math.abs(p.component(0)[1]), 1e-3);
        assertEquals(4, p.variances()[0], 0.5);                  // variance of t = 2² = 4
        double[] at = p.project(x, 0, 2);
        assertEquals(2, at.length);
    }

    @Test
    void explainedVarianceOfAKnownDiagonalCloud() {
        Random r = new Random(3);
        int n = 20_000;
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            x[i * 3] = (float) (3 * r.nextGaussian());
            x[i * 3 + 1] = (float) (2 * r.nextGaussian());
            x[i * 3 + 2] = (float) (1 * r.nextGaussian());
        }
        double[] ratio = Pca.fit(x, n, 3).explainedVarianceRatio();
        assertEquals(9 / 14.0, ratio[0], 0.02);
        assertEquals(4 / 14.0, ratio[1], 0.02);
        assertEquals(1 / 14.0, ratio[2], 0.02);
    }
}
