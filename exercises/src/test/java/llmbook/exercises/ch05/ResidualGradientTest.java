package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.residual_gradient", title = "Gradients through a deep stack, with and without residuals")
class ResidualGradientTest {
    /** Finite differences of the toy network's output with respect to the input of layer l. */
    static double numeric(double[] gains, boolean residual, int l) {
        double h = 1e-6, x = 0.3;
        return (run(gains, residual, l, x + h) - run(gains, residual, l, x - h)) / (2 * h);
    }

    static double run(double[] gains, boolean residual, int from, double x) {
        for (int i = from; i < gains.length; i++) x = residual ? x + gains[i] * x : gains[i] * x;
        return x;
    }

    @Test
    @Points(value = 1, hint = "the last layer's input gets its own gain; each earlier one multiplies in one more")
    void workedExample() {
        assertArrayEquals(new double[] {0.125, 0.25, 0.5}, ResidualGradient.inputGradients(new double[] {0.5, 0.5, 0.5}, false), 1e-12);
        assertArrayEquals(new double[] {3.375, 2.25, 1.5}, ResidualGradient.inputGradients(new double[] {0.5, 0.5, 0.5}, true), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "hidden gains of mixed signs: index 0 is the layer farthest from the loss (compare with finite differences)")
    void hiddenStacks() {
        Random r = new Random(10);
        for (int n : new int[] {1, 4, 9}) {
            double[] gains = new double[n];
            for (int i = 0; i < n; i++) gains[i] = r.nextGaussian();
            for (boolean res : new boolean[] {false, true}) {
                double[] g = ResidualGradient.inputGradients(gains, res);
                assertEquals(n, g.length);
                for (int l = 0; l < n; l++) assertEquals(numeric(gains, res, l), g[l], 1e-6 * Math.max(1, Math.abs(g[l])), (res ? "residual" : "plain") + ", " + n + " layers, layer " + l);
            }
        }
    }

    @Test
    @Points(value = 1, hint = "with small gains the plain stack's first gradient shrinks geometrically, the residual one does not")
    void vanishingWithoutResiduals() {
        double[] gains = new double[40];
        java.util.Arrays.fill(gains, 0.5);
        double plain = ResidualGradient.inputGradients(gains, false)[0];
        double res = ResidualGradient.inputGradients(gains, true)[0];
        assertEquals(Math.pow(0.5, 40), plain, 1e-20);
        assertEquals(true, res >= 1, "the identity path keeps the residual gradient at least 1, got " + res);
    }
}
