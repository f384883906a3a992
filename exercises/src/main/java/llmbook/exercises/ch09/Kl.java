package llmbook.exercises.ch09;

/**
 * Exercise ch09.kl — the KL divergence, both ways. Q38.
 *
 * <p>{@code KL(p‖q) = Σ_i p_i · ln(p_i / q_i)} in nats, with {@code 0 · ln(0/q) = 0}, and {@code +∞} when some
 * {@code q_i = 0} while {@code p_i > 0}. It is not symmetric: {@code KL(p‖q) ≠ KL(q‖p)} in general.
 * {@link #fromLogits} does the same for two rows of logits, each turned into a distribution by a stable softmax.
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class Kl {
    private Kl() {}

    public static double divergence(double[] p, double[] q) {
        throw new UnsupportedOperationException("TODO ch09.kl: Σ p ln(p/q), skipping p = 0, ∞ where q = 0 < p");
    }

    /** KL(softmax(zp) ‖ softmax(zq)). */
    public static double fromLogits(double[] zp, double[] zq) {
        throw new UnsupportedOperationException("TODO ch09.kl: softmax both (subtract the max first), then divergence");
    }
}
