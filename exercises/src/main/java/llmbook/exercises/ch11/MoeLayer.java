package llmbook.exercises.ch11;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Exercise ch11.moe — assemble a whole mixture-of-experts layer (forward only). Q46.
 *
 * <p>Each token (a row of {@code x}) gets router logits {@code router · x} (one row of {@code router} per expert),
 * is routed to its top-k experts with {@link TopKRouter} (renormalised gates when k > 1), and its output is the
 * gate-weighted sum of those experts' outputs. Experts have a capacity: each takes at most
 * {@code ceil(capacityFactor · N·k / E)} choices (capacityFactor 0 = unlimited), served in order — every token's
 * first choice (tokens in order) before any token's second choice. A choice that finds its expert full is dropped:
 * it adds nothing (in a block, the residual carries the token). Report the output, how many choices each expert
 * computed, and how many were dropped.
 * Worked example: two experts that return {@code 2x} and {@code −x}, k = 1, a token whose router prefers expert 0
 * with probability 0.75: output {@code 0.75 · 2x = 1.5x}.
 */
public final class MoeLayer {
    private MoeLayer() {}

    public record Result(double[][] out, int[] load, int dropped) {}

    public static Result forward(double[][] x, double[][] router, List<UnaryOperator<double[]>> experts, int k, double capacityFactor) {
        throw new UnsupportedOperationException("TODO ch11.moe: route every token, serve first choices before second ones up to the capacity, add gated expert outputs");
    }
}
