package llmbook.exercises.ch01;

/**
 * Reference solution. Exercise ch01.relu — the ReLU's derivative and the units it kills (Q39).
 *
 * <p>ReLU passes positive inputs and zeroes the rest. {@link #backward} returns the gradient reaching its input given
 * the gradient {@code dy} at its output; at exactly 0 use the convention of PyTorch and the library (the derivative
 * is taken as 0 there). A unit of a layer is dead on a batch when its ReLU lets no gradient through for any example
 * of the batch: it stops learning. {@link #deadFraction} is the share of dead units, given the pre-activations of a
 * batch laid out (examples, units).
 *
 * <p>Worked example: backward of x = (−1, 0, 2) with dy = (5, 5, 5) is (0, 0, 5). Pre-activations
 * [[−1, 3], [−2, 0]]: unit 0 is dead, unit 1 is not (example 0 passes): fraction 0.5.
 * Run {@code ./llmbook grade 1} to see your score.
 */
public final class Relu {
    private Relu() {}

    /** dL/dx given dL/dy, elementwise. */
    public static double[] backward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = x[i] >= 0 ? dy[i] : 0;   // classic bug: passes the gradient at 0
        return dx;
    }

    /** Share of units (columns) whose pre-activation is never positive over the batch (rows). */
    public static double deadFraction(double[][] pre) {
        int units = pre[0].length, dead = 0;
        for (int u = 0; u < units; u++) {
            boolean alive = false;
            for (double[] row : pre) alive |= row[u] > 0;
            if (!alive) dead++;
        }
        return (double) dead / units;
    }
}
