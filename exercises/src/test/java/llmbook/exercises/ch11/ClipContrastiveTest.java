package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.vision.ClipLoss;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch11.clip", title = "CLIP's contrastive loss")
class ClipContrastiveTest {
    @Test
    @Points(value = 2, hint = "images = texts = [[1, 0], [−1, 0]] at logScale 0: scores [[1, −1], [−1, 1]], loss ln(1 + e^−2)")
    void theWorkedExample() {
        double[][] a = {{1, 0}, {-1, 0}};
        assertEquals(Math.log(1 + Math.exp(-2)), ClipContrastive.loss(a, a, 0), 1e-12);
    }

    @Test
    @Points(value = 1, hint = "rows must be scaled to unit length first: multiplying an image vector by 7 changes nothing")
    void scaleInvariant() {
        double[][] a = {{1, 2}, {3, -1}, {0.5, 0.5}}, t = {{2, 1}, {1, -1}, {-1, 2}}, a7 = {{7, 14}, {3, -1}, {0.5, 0.5}};
        assertEquals(ClipContrastive.loss(a, t, 1.3), ClipContrastive.loss(a7, t, 1.3), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "both directions: image → caption along rows AND caption → image along columns, averaged")
    void symmetricAndHidden() {
        Rng rng = new Rng(3);
        for (int c = 0; c < 20; c++) {
            int b = 2 + rng.nextInt(6), d = 2 + rng.nextInt(5);
            double[][] a = new double[b][d], t = new double[b][d];
            float[] fa = new float[b * d], ft = new float[b * d];
            for (int i = 0; i < b; i++) for (int k = 0; k < d; k++) { fa[i * d + k] = (float) (a[i][k] = rng.nextGaussian()); ft[i * d + k] = (float) (t[i][k] = rng.nextGaussian()); }
            double s = rng.nextDouble() * 3;
            double want = ClipLoss.loss(Tensor.of(fa, b, d), Tensor.of(ft, b, d), Tensor.full((float) s, 1)).item();
            assertEquals(want, ClipContrastive.loss(a, t, s), 1e-4 * Math.max(1, want), "case " + c);
        }
    }

    @Test
    @Points(value = 1, hint = "a large scale (logScale = 6, e^6 ≈ 403) must not overflow: use a stable log-sum-exp")
    void stableAtLargeScale() {
        double[][] a = {{1, 0}, {0, 1}}, t = {{0, 1}, {1, 0}};
        assertEquals(Math.exp(6) * 1, ClipContrastive.loss(a, t, 6), 1e-6);
    }
}
