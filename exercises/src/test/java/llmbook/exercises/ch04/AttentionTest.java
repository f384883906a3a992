package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch04.attention", title = "Scaled dot-product attention with a causal mask")
class AttentionTest {
    static double[][] rand(Random r, int n, int m) {
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = r.nextGaussian() * 3;
        return a;
    }

    @Test
    @Points(value = 1, hint = "equal scores give equal weights; row 0 may only look at position 0")
    void workedExample() {
        double[][] out = Attention.causal(new double[][] {{0}, {0}}, new double[][] {{0}, {0}}, new double[][] {{1}, {3}});
        assertArrayEquals(new double[] {1}, out[0], 1e-12);
        assertArrayEquals(new double[] {2}, out[1], 1e-12);
    }

    @Test
    @Points(value = 2, hint = "changing a later key or value must not move earlier outputs: mask s > t")
    void futureIsHidden() {
        Random r = new Random(4);
        double[][] q = rand(r, 6, 4), k = rand(r, 6, 4), v = rand(r, 6, 3);
        double[][] a = Attention.causal(q, k, v);
        k[4] = rand(r, 1, 4)[0];
        v[4] = rand(r, 1, 3)[0];
        double[][] b = Attention.causal(q, k, v);
        for (int t = 0; t < 4; t++) assertArrayEquals(a[t], b[t], 0, "row " + t + " moved when position 4 changed");
        // and the rows that may see position 4 do move: an output that ignores k and v (all zeros) is not attention
        for (int t = 4; t < 6; t++) assertNotEquals(a[t][0], b[t][0], "row " + t + " sees position 4 but did not move when it changed");
        assertArrayEquals(v[0], a[0], 1e-12, "row 0 sees only position 0, so its output is v[0]");
    }

    /** Reference, written independently: full score matrix, −∞ above the diagonal, softmax, times v. */
    static double[][] reference(double[][] q, double[][] k, double[][] v) {
        int t = q.length, d = q[0].length, dv = v[0].length;
        double[][] out = new double[t][dv];
        for (int i = 0; i < t; i++) {
            double[] w = new double[t];
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += q[i][c] * k[j][c];
                w[j] = j > i ? Double.NEGATIVE_INFINITY : s / Math.sqrt(d);
                max = Math.max(max, w[j]);
            }
            for (int j = 0; j < t; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
            for (int j = 0; j < t; j++) for (int c = 0; c < dv; c++) out[i][c] += w[j] / z * v[j][c];
        }
        return out;
    }

    @Test
    @Points(value = 2, hint = "hidden random cases of several sizes, d and d_v different: every output row must match")
    void hiddenCases() {
        Random r = new Random(41);
        int[][] sizes = {{1, 1, 1}, {3, 2, 5}, {7, 5, 2}, {12, 8, 3}};
        for (int[] s : sizes) {
            double[][] q = rand(r, s[0], s[1]), k = rand(r, s[0], s[1]), v = rand(r, s[0], s[2]);
            double[][] want = reference(q, k, v), got = Attention.causal(q, k, v);
            for (int t = 0; t < s[0]; t++) assertArrayEquals(want[t], got[t], 1e-9, "T=" + s[0] + " d=" + s[1] + " d_v=" + s[2] + ", row " + t);
        }
    }

    @Test
    @Points(value = 2, hint = "divide q·k by sqrt(d) before the softmax (d is the key width)")
    void scaledByRootD() {
        // T = 2, d = 4: q1·k0 = 4, q1·k1 = 0 → scaled scores 2 and 0 → weights e²/(e²+1), 1/(e²+1)
        double[][] q = {{0, 0, 0, 0}, {1, 1, 1, 1}}, k = {{1, 1, 1, 1}, {0, 0, 0, 0}}, v = {{1}, {0}};
        double w = Math.exp(2) / (Math.exp(2) + 1);
        assertEquals(w, Attention.causal(q, k, v)[1][0], 1e-12);
    }

    @Test
    @Points(value = 1, hint = "subtract the row maximum before exp so large scores do not overflow")
    void largeScoresStayFinite() {
        double[][] q = {{100, 100}, {100, 100}}, k = {{100, 100}, {-100, 100}}, v = {{1}, {5}};
        double[][] out = Attention.causal(q, k, v);
        assertEquals(1, out[1][0], 1e-9);
    }
}
