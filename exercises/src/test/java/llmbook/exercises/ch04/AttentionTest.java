package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
