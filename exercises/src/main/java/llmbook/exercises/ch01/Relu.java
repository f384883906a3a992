package llmbook.exercises.ch01;

/**
 * Exercise ch01.relu — the ReLU's derivative and the units it kills (Q39).
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
        throw new UnsupportedOperationException("TODO ch01.relu: the derivative is 1 where x > 0, 0 elsewhere (0 at x = 0)");
    }

    /** Share of units (columns) whose pre-activation is never positive over the batch (rows). */
    public static double deadFraction(double[][] pre) {
        throw new UnsupportedOperationException("TODO ch01.relu: a unit is dead when no example gives it a positive pre-activation");
    }
}
