package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.elman_rnn", title = "An Elman RNN, and the steps it cannot parallelise")
class ElmanRnnTest {
    static double[][] rand(Random r, int n, int m, double s) {
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = r.nextGaussian() * s;
        return a;
    }

    @Test
    @Points(value = 1, hint = "the state starts at zero; each step is tanh(wx·x_t + wh·h_{t−1} + b)")
    void workedExample() {
        double[][] h = ElmanRnn.states(new double[][] {{0.5}, {0}}, new double[][] {{1}}, new double[][] {{1}}, new double[] {0});
        assertEquals(Math.tanh(0.5), h[0][0], 1e-12);
        assertEquals(Math.tanh(Math.tanh(0.5)), h[1][0], 1e-12);
    }

    @Test
    @Points(value = 2, hint = "the state carries the past: changing the first input moves the last state; a later input never moves an earlier state")
    void theStateCarriesThePastAndOnlyThePast() {
        Random r = new Random(71);
        double[][] x = rand(r, 8, 3, 1), wx = rand(r, 4, 3, 0.8), wh = rand(r, 4, 4, 0.5);
        double[] b = rand(r, 1, 4, 0.1)[0];
        double[][] a = ElmanRnn.states(x, wx, wh, b);
        x[0] = new double[] {2, -2, 1};
        double[][] c = ElmanRnn.states(x, wx, wh, b);
        assertNotEquals(a[7][0], c[7][0], "the last state ignores the first input: is the previous state fed back through wh?");
        x[5] = new double[] {-1, 3, 0};
        double[][] d = ElmanRnn.states(x, wx, wh, b);
        for (int t = 0; t < 5; t++) assertArrayEquals(c[t], d[t], 0, "state " + t + " moved when input 5 changed");
    }

    @Test
    @Points(value = 2, hint = "hidden cases of several widths: h_t = tanh(wx·x_t + wh·h_{t−1} + b) for every t")
    void hiddenCases() {
        Random r = new Random(72);
        int[][] sizes = {{1, 1, 1}, {5, 2, 3}, {9, 4, 6}};
        for (int[] s : sizes) {
            double[][] x = rand(r, s[0], s[1], 1), wx = rand(r, s[2], s[1], 0.7), wh = rand(r, s[2], s[2], 0.7);
            double[] b = rand(r, 1, s[2], 0.3)[0];
            double[] prev = new double[s[2]];
            double[][] got = ElmanRnn.states(x, wx, wh, b);
            for (int t = 0; t < s[0]; t++) {
                double[] now = new double[s[2]];
                for (int i = 0; i < s[2]; i++) {
                    double a = b[i];
                    for (int j = 0; j < s[1]; j++) a += wx[i][j] * x[t][j];
                    for (int j = 0; j < s[2]; j++) a += wh[i][j] * prev[j];
                    now[i] = Math.tanh(a);
                }
                assertArrayEquals(now, got[t], 1e-12, "T=" + s[0] + " D=" + s[1] + " H=" + s[2] + ", step " + t);
                prev = now;
            }
        }
    }

    @Test
    @Points(value = 1, hint = "an RNN's layer must walk the T positions in order; a transformer's layer takes them all at once")
    void sequentialSteps() {
        assertEquals(1024L * 6, ElmanRnn.sequentialSteps(1024, 6, true));
        assertEquals(6, ElmanRnn.sequentialSteps(1024, 6, false));
        assertEquals(12, ElmanRnn.sequentialSteps(1, 12, true));
        assertEquals(3, ElmanRnn.sequentialSteps(100_000, 3, false));
    }
}
