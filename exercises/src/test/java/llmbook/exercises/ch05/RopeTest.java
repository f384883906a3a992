package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.rope", title = "Rotary position embedding (RoPE)")
class RopeTest {
    static double[][] rand(Random r, int t, int d) {
        double[][] a = new double[t][d];
        for (double[] row : a) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
        return a;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    @Points(value = 1, hint = "pair i is (i, i + d/2), angle p·10000^(-2i/d): position 0 is unchanged")
    void workedExample() {
        double[][] y = Rope.apply(new double[][] {{1, 2, 3, 4}, {1, 1, 0, 0}});
        assertArrayEquals(new double[] {1, 2, 3, 4}, y[0], 1e-12, "row 0 (angle 0)");
        assertArrayEquals(new double[] {Math.cos(1), Math.cos(0.01), Math.sin(1), Math.sin(0.01)}, y[1], 1e-12, "row 1");
    }

    @Test
    @Points(value = 2, hint = "hidden inputs: turn each pair (i, i + d/2) counter-clockwise by p·θ_i, as the library does")
    void matchesTheLibraryOnHiddenInputs() {
        Random r = new Random(5);
        int t = 12, d = 8, half = d / 2;
        double[][] x = rand(r, t, d), copy = new double[t][];
        for (int p = 0; p < t; p++) copy[p] = x[p].clone();
        double[][] y = Rope.apply(x);
        for (int p = 0; p < t; p++) {
            assertArrayEquals(copy[p], x[p], 0, "apply must not modify its input (row " + p + ")");
            for (int i = 0; i < half; i++) {
                double a = p * Math.pow(10000.0, -2.0 * i / d);
                assertEquals(x[p][i] * Math.cos(a) - x[p][i + half] * Math.sin(a), y[p][i], 1e-12, "y[" + p + "][" + i + "]");
                assertEquals(x[p][i] * Math.sin(a) + x[p][i + half] * Math.cos(a), y[p][i + half], 1e-12, "y[" + p + "][" + (i + half) + "]");
            }
        }
        // and the library's RoPE on the same input (float precision)
        float[] xf = new float[t * d];
        for (int p = 0; p < t; p++) for (int j = 0; j < d; j++) xf[p * d + j] = (float) copy[p][j];
        float[] lib = new llmbook.attention.Rope(d).apply(llmbook.tensor.Tensor.wrap(xf, 1, 1, t, d)).contiguous().data();
        for (int p = 0; p < t; p++) for (int j = 0; j < d; j++) assertEquals(lib[p * d + j], y[p][j], 1e-4, "vs llmbook.attention.Rope at [" + p + "][" + j + "]");
    }

    @Test
    @Points(value = 1, hint = "a rotation keeps every row's length")
    void preservesNorms() {
        Random r = new Random(6);
        double[][] x = rand(r, 40, 6), y = Rope.apply(x);
        for (int p = 0; p < x.length; p++) assertEquals(Math.sqrt(dot(x[p], x[p])), Math.sqrt(dot(y[p], y[p])), 1e-12, "norm of row " + p);
    }

    @Test
    @Points(value = 2, hint = "the same q at m and k at n give q·k depending only on n − m")
    void dotProductDependsOnlyOnOffset() {
        Random r = new Random(7);
        int t = 30, d = 8;
        double[] q = rand(r, 1, d)[0], k = rand(r, 1, d)[0];
        double[][] qs = new double[t][], ks = new double[t][];
        for (int p = 0; p < t; p++) { qs[p] = q.clone(); ks[p] = k.clone(); }
        double[][] rq = Rope.apply(qs), rk = Rope.apply(ks);
        for (int offset = 0; offset < 5; offset++) {
            double first = dot(rq[0], rk[offset]);
            for (int m = 1; m + offset < t; m++)
                assertEquals(first, dot(rq[m], rk[m + offset]), 1e-9, "q at " + m + ", k at " + (m + offset) + " vs q at 0, k at " + offset);
        }
        assertEquals(dot(q, k), dot(rq[7], rk[7]), 1e-9, "offset 0 gives the plain q·k");
    }

    @Test
    @Points(value = 1, hint = "reject an odd width: features are rotated in pairs")
    void rejectsOddWidth() {
        assertThrows(IllegalArgumentException.class, () -> Rope.apply(new double[][] {{1, 2, 3}}));
    }
}
