package llmbook.exercises.ch05;

/**
 * Exercise ch05.residual_gradient — why deep stacks without residual connections stop learning (Q10).
 *
 * <p>A toy deep network: L layers, each scalar and linear, layer l multiplying its input by {@code gains[l]}. Without
 * residual connections layer l's output is {@code gains[l]·x}; with them it is x plus that. The loss's gradient with
 * respect to the network's output is 1. Work out, by the chain rule, the gradient that reaches the INPUT of each
 * layer (index 0 is the first layer, which is the farthest from the loss).
 *
 * <p>Worked example, gains (0.5, 0.5, 0.5): without residuals the inputs of layers 0, 1, 2 receive 0.125, 0.25, 0.5;
 * with residuals they receive 3.375, 2.25, 1.5. With gains of 0.5 and 40 layers, the first layer's gradient is
 * about 1e-12 without residuals: it vanishes. Run {@code ./llmbook grade 5} to see your score.
 */
public final class ResidualGradient {
    private ResidualGradient() {}

    /** d loss / d (input of layer l) for every l, when d loss / d output = 1. */
    public static double[] inputGradients(double[] gains, boolean residual) {
        throw new UnsupportedOperationException("TODO ch05.residual_gradient: walk backwards from the output, multiplying by each layer's local derivative");
    }
}
