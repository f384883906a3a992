package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.cross_attend", title = "Cross-attention from decoder to encoder")
class CrossAttendTest {
    static double[][] rand(Random r, int n, int m) {
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = r.nextGaussian() * 2;
        return a;
    }

    /** Independent reference: all scores, −∞ on padding, softmax, times v. */
    static double[][] reference(double[][] q, double[][] k, double[][] v, int len) {
        double[][] out = new double[q.length][v[0].length];
        for (int i = 0; i < q.length; i++) {
            double[] w = new double[k.length];
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < k.length; j++) {
                double s = 0;
                for (int c = 0; c < q[0].length; c++) s += q[i][c] * k[j][c];
                w[j] = j >= len ? Double.NEGATIVE_INFINITY : s / Math.sqrt(q[0].length);
                max = Math.max(max, w[j]);
            }
            for (int j = 0; j < k.length; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
            for (int j = 0; j < k.length; j++) for (int c = 0; c < v[0].length; c++) out[i][c] += w[j] / z * v[j][c];
        }
        return out;
    }

    @Test
    @Points(value = 1, hint = "zero scores give equal weights over the real source positions only")
    void workedExample() {
        double[][] out = CrossAttend.attend(new double[2][1], new double[3][1], new double[][] {{1}, {3}, {100}}, 2);
        assertEquals(2, out.length, "one output row per target position");
        assertArrayEquals(new double[] {2}, out[0], 1e-12, "target position 0");
        assertArrayEquals(new double[] {2}, out[1], 1e-12, "target position 1");
    }

    @Test
    @Points(value = 2, hint = "no causal mask here: the first target position may read the last real source word")
    void theWholeSourceIsVisible() {
        Random r = new Random(44);
        double[][] q = rand(r, 3, 4), k = rand(r, 6, 4), v = rand(r, 6, 2);
        double[][] a = CrossAttend.attend(q, k, v, 6);
        v[5] = new double[] {50, -50};
        double[][] b = CrossAttend.attend(q, k, v, 6);
        assertNotEquals(a[0][0], b[0][0], "target row 0 did not move when the last source value changed");
    }

    @Test
    @Points(value = 2, hint = "padding positions (index ≥ memoryLength) are keys no one may attend to: weight exactly 0")
    void paddingHasNoEffect() {
        Random r = new Random(45);
        double[][] q = rand(r, 4, 3), k = rand(r, 7, 3), v = rand(r, 7, 2);
        double[][] a = CrossAttend.attend(q, k, v, 4);
        for (int j = 4; j < 7; j++) { k[j] = new double[] {9, 9, 9}; v[j] = new double[] {1e6, -1e6}; }
        double[][] b = CrossAttend.attend(q, k, v, 4);
        for (int i = 0; i < 4; i++) assertArrayEquals(a[i], b[i], 1e-12, "row " + i + " moved when padding changed");
    }

    @Test
    @Points(value = 2, hint = "hidden cases: source and target lengths differ, d ≠ d_v; scale by 1/√d")
    void hiddenCases() {
        Random r = new Random(46);
        int[][] sizes = {{1, 5, 3, 2, 5}, {4, 2, 2, 3, 1}, {6, 9, 5, 4, 7}};
        for (int[] s : sizes) {
            double[][] q = rand(r, s[0], s[2]), k = rand(r, s[1], s[2]), v = rand(r, s[1], s[3]);
            double[][] want = reference(q, k, v, s[4]), got = CrossAttend.attend(q, k, v, s[4]);
            assertEquals(want.length, got.length, "rows");
            for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], 1e-9, "target " + s[0] + ", source " + s[1] + " (" + s[4] + " real), row " + i);
        }
    }
}
