package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.cross_entropy", title = "Cross-entropy from logits, and its gradient")
class CrossEntropyTest {
    static float[] rand(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * r.nextGaussian());
        return a;
    }

    /** Independent reference in double: log-softmax of row r at its target, averaged. */
    static double reference(float[] z, int[] t, int v) {
        double sum = 0;
        for (int r = 0; r < t.length; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < v; j++) m = Math.max(m, z[r * v + j]);
            for (int j = 0; j < v; j++) s += Math.exp(z[r * v + j] - m);
            sum -= z[r * v + t[r]] - m - Math.log(s);
        }
        return sum / t.length;
    }

    @Test
    @Points(value = 1, hint = "loss = logsumexp(z) − z[target]; subtract the max so exp(1000) does not overflow")
    void workedExampleAndLargeLogits() {
        float[] z = {1, 2, 3};
        double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        assertEquals(expected, CrossEntropy.mean(z, new int[] {0}, 3), 1e-6);
        assertEquals(expected, CrossEntropy.mean(new float[] {1001, 1002, 1003}, new int[] {0}, 3), 1e-4);
        assertEquals(Math.log(65), CrossEntropy.mean(new float[65 * 2], new int[] {3, 40}, 65), 1e-9, "uniform logits give ln V");
    }

    @Test
    @Points(value = 2, hint = "row r starts at r·V: the target's logit is logits[r·V + targets[r]], not logits[targets[r]]")
    void manyRowsEachReadsItsOwnTarget() {
        Random r = new Random(61);
        int[][] shapes = {{2, 3}, {5, 7}, {16, 11}};
        for (int[] s : shapes) {
            int rows = s[0], v = s[1];
            float[] z = rand(r, rows * v, 3);
            int[] t = new int[rows];
            for (int i = 0; i < rows; i++) t[i] = r.nextInt(v);
            assertEquals(reference(z, t, v), CrossEntropy.mean(z, t, v), 1e-5, rows + " rows of V = " + v);
        }
    }

    @Test
    @Points(value = 1, hint = "the mean, not the sum: doubling the batch with a copy of itself leaves the loss unchanged")
    void meanNotSum() {
        Random r = new Random(62);
        float[] z = rand(r, 4 * 5, 2), zz = new float[8 * 5];
        System.arraycopy(z, 0, zz, 0, z.length);
        System.arraycopy(z, 0, zz, z.length, z.length);
        int[] t = {0, 4, 2, 1}, tt = {0, 4, 2, 1, 0, 4, 2, 1};
        assertEquals(CrossEntropy.mean(z, t, 5), CrossEntropy.mean(zz, tt, 5), 1e-9);
    }

    @Test
    @Points(value = 1, hint = "one row: the gradient is the softmax minus 1 at the target")
    void gradientOfTheWorkedExample() {
        double[] g = CrossEntropy.gradient(new float[] {1, 2, 3}, new int[] {0}, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z - 1, Math.exp(2) / z, Math.exp(3) / z}, g, 1e-6);
    }

    @Test
    @Points(value = 2, hint = "compare with finite differences of your mean: each row's gradient is divided by the number of rows")
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(63);
        int rows = 4, v = 6;
        float[] z = rand(r, rows * v, 2);
        int[] t = {5, 0, 3, 3};
        double[] g = CrossEntropy.gradient(z, t, v);
        assertEquals(rows * v, g.length, "one gradient per logit");
        float h = 1e-2f;
        for (int i = 0; i < z.length; i++) {
            float o = z[i];
            z[i] = o + h; double lp = reference(z, t, v);
            z[i] = o - h; double lm = reference(z, t, v);
            z[i] = o;
            assertEquals((lp - lm) / (2 * h), g[i], 1e-4, "d loss / d logits[" + i + "] (row " + i / v + ")");
        }
        for (int row = 0; row < rows; row++) {
            double s = 0;
            for (int j = 0; j < v; j++) s += g[row * v + j];
            assertEquals(0, s, 1e-9, "each row of the gradient sums to 0 (adding a constant to a row changes nothing)");
        }
    }
}
