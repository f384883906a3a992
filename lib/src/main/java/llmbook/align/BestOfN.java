package llmbook.align;

import java.util.function.ToDoubleFunction;
import llmbook.model.LanguageModel;
import llmbook.tensor.Rng;
import llmbook.tokenizer.Tokenizer;

/**
 * Best-of-N sampling, the alignment baseline with no training at all: draw N completions from the reference model and
 * keep the one the reward likes best. Its distance from the reference is known in closed form (Stiennon et al.
 * 2020; exact when the N samples are distinct):
 * <pre>
 *   KL(π_BoN ‖ π_ref) = log N − (N − 1)/N
 * </pre>
 * so it is the yardstick for the reward-vs-KL frontier: a trained policy is worth its training only if it reaches
 * more reward at the same KL.
 */
public final class BestOfN {
    private BestOfN() {}

    /** The KL of best-of-N from the model it samples from, in nats. */
    public static double kl(int n) {
        if (n < 1) throw new IllegalArgumentException("BestOfN.kl: n must be >= 1, got " + n);
        return Math.log(n) - (n - 1.0) / n;
    }

    /** The best of {@code n} completions of {@code prompt} (ties: the first), sampled at temperature 1. */
    public static int[] sample(LanguageModel model, Tokenizer tok, int[] prompt, int n, int length, ToDoubleFunction<String> reward, Rng rng) {
        int[][] c = Rollouts.sample(model, prompt, n, length, 1f, rng);
        int best = 0;
        double r = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double ri = reward.applyAsDouble(tok.decode(c[i]));
            if (ri > r) { r = ri; best = i; }
        }
        return c[best];
    }
}
