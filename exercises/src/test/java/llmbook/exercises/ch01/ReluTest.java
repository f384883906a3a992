package llmbook.exercises.ch01;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch01.relu", title = "ReLU's derivative and dead units")
class ReluTest {
    @Test
    @Points(value = 1, hint = "the gradient passes where x > 0 and is blocked elsewhere, including x = 0")
    void backwardOfTheWorkedExample() {
        assertArrayEquals(new double[] {0, 0, 5}, Relu.backward(new double[] {-1, 0, 2}, new double[] {5, 5, 5}), 0);
    }

    @Test
    @Points(value = 1, hint = "hidden inputs: compare with finite differences of max(0, x) away from 0")
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(39);
        double[] x = new double[50], dy = new double[50];
        for (int i = 0; i < 50; i++) { x[i] = r.nextGaussian(); dy[i] = r.nextGaussian(); }
        double[] dx = Relu.backward(x, dy);
        double h = 1e-7;
        for (int i = 0; i < 50; i++) {
            double num = (Math.max(0, x[i] + h) - Math.max(0, x[i] - h)) / (2 * h) * dy[i];
            assertEquals(num, dx[i], 1e-6, "dx[" + i + "] at x = " + x[i]);
        }
    }

    @Test
    @Points(value = 2, hint = "dead is a property of a unit (a column) over the whole batch, not of single entries")
    void deadUnits() {
        assertEquals(0.5, Relu.deadFraction(new double[][] {{-1, 3}, {-2, 0}}), 1e-12);
        assertEquals(0.25, Relu.deadFraction(new double[][] {{1, -1, 0, -3}, {-1, 2, 0, -1}, {-1, -1, 1, 0}}), 1e-12, "only the last unit is never positive");
        assertEquals(1.0, Relu.deadFraction(new double[][] {{0, 0, 0}}), 1e-12, "zero is not positive: no gradient passes");
        Random r = new Random(40);
        double[][] pre = new double[16][30];
        int dead = 0;
        for (int u = 0; u < 30; u++) {
            boolean kill = u % 3 == 0;
            if (kill) dead++;
            for (int e = 0; e < 16; e++) pre[e][u] = kill ? -Math.abs(r.nextGaussian()) : r.nextGaussian() + (e == 5 ? 10 : 0);
        }
        assertEquals(dead / 30.0, Relu.deadFraction(pre), 1e-12, "hidden batch of 16 × 30");
    }
}
