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
        int n = x.length, e = router.length, c = x[0].length;
        int cap = capacityFactor <= 0 ? n * k : Math.max(1, (int) Math.ceil(capacityFactor * n * k / e));
        TopKRouter.Route[] routes = new TopKRouter.Route[n];
        for (int t = 0; t < n; t++) {
            double[] z = new double[e];
            for (int i = 0; i < e; i++) for (int j = 0; j < c; j++) z[i] += router[i][j] * x[t][j];
            routes[t] = TopKRouter.route(z, k, k > 1);
        }
        double[][] out = new double[n][c];
        int[] load = new int[e];
        int dropped = 0;
        for (int j = 0; j < k; j++)
            for (int t = 0; t < n; t++) {
                int ex = routes[t].experts()[j];
                if (load[ex] >= cap) { dropped++; continue; }
                load[ex]++;
                double[] y = experts.get(ex).apply(x[t].clone());
                for (int i = 0; i < c; i++) out[t][i] += routes[t].gates()[j] * y[i];
            }
        return new Result(out, load, dropped);
    }
}
