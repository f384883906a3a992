package llmbook.exercises.ch01;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.kernels.Softmax;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch01.softmax", title = "Stable softmax and its backward")
class StableSoftmaxTest {

    @Test
    @Points(value = 1, hint = "y[j] = exp(x[j]) / Σ exp(x[i]); each row on its own")
    void forwardOfTheWorkedExample() {
        float[] y = new float[6];
        StableSoftmax.forward(y, new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z), (float) (Math.exp(3) / z), 1f / 3, 1f / 3, 1f / 3}, y, 1e-6f);
    }

    @Test
    @Points(value = 2, hint = "exp(1000) is Infinity in float: subtract the row max before exponentiating")
    void largeLogitsDoNotOverflow() {
        float[] y = new float[3];
        StableSoftmax.forward(y, new float[] {1000, 1001, 1002}, 1, 3);
        for (float v : y) assertTrue(Float.isFinite(v), "got " + java.util.Arrays.toString(y));
        float[] ref = new float[3];
        StableSoftmax.forward(ref, new float[] {0, 1, 2}, 1, 3);
        assertArrayEquals(ref, y, 1e-6f, "softmax(x + c) = softmax(x)");
        StableSoftmax.forward(y, new float[] {-1000, -1001, -1002}, 1, 3);
        assertEquals(1f, y[0] + y[1] + y[2], 1e-6f, "very negative logits must not underflow to 0/0");
    }

    @Test
    @Points(value = 1, hint = "compare with llmbook.kernels.Softmax on random rows")
    void forwardAgreesWithTheLibrary() {
        Random r = new Random(3);
        int rows = 7, cols = 33;
        float[] x = new float[rows * cols], y = new float[rows * cols], ref = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) (5 * r.nextGaussian());
        StableSoftmax.forward(y, x, rows, cols);
        Softmax.softmaxForwardScalar(ref, 0, x, 0, rows, cols);
        assertArrayEquals(ref, y, 1e-6f);
    }

    @Test
    @Points(value = 2, hint = "dx += y ⊙ (dy − Σ dy⊙y); check it against finite differences of Σ dy·softmax(x)")
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(5);
        int rows = 3, cols = 6;
        double[] x = new double[rows * cols];
        float[] xf = new float[x.length], dy = new float[x.length], y = new float[x.length], dx = new float[x.length];
        for (int i = 0; i < x.length; i++) { x[i] = r.nextGaussian(); xf[i] = (float) x[i]; dy[i] = (float) r.nextGaussian(); }
        StableSoftmax.forward(y, xf, rows, cols);
        StableSoftmax.backward(dx, y, dy, rows, cols);
        double h = 1e-5;
        for (int k = 0; k < x.length; k++) {
            double orig = x[k];
            x[k] = orig + h; double lp = projected(x, dy, rows, cols);
            x[k] = orig - h; double lm = projected(x, dy, rows, cols);
            x[k] = orig;
            assertEquals((lp - lm) / (2 * h), dx[k], 1e-4, "dx[" + k + "]");
        }
    }

    @Test
    @Points(value = 1, hint = "the backward ADDS into dx (gradients accumulate); do not overwrite it")
    void backwardAccumulates() {
        float[] y = new float[3], dx = {10, 20, 30};
        StableSoftmax.forward(y, new float[] {0.1f, 0.2f, 0.3f}, 1, 3);
        float[] dy = {1, -1, 0.5f}, ref = new float[3];
        Softmax.softmaxBackwardScalar(ref, 0, y, 0, dy, 0, 1, 3);
        StableSoftmax.backward(dx, y, dy, 1, 3);
        assertArrayEquals(new float[] {10 + ref[0], 20 + ref[1], 30 + ref[2]}, dx, 1e-5f);
    }

    /** Σ dy·softmax(x) in double: the scalar whose gradient the backward computes. */
    private static double projected(double[] x, float[] dy, int rows, int cols) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]);
            for (int j = 0; j < cols; j++) z += Math.exp(x[r * cols + j] - m);
            for (int j = 0; j < cols; j++) s += dy[r * cols + j] * Math.exp(x[r * cols + j] - m) / z;
        }
        return s;
    }
}
