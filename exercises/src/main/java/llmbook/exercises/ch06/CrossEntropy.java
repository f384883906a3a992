package llmbook.exercises.ch06;

/**
 * Exercise ch06.cross_entropy — mean cross-entropy from logits. Q34.
 *
 * <p>For each row r of {@code logits} (rows×V), {@code loss_r = logsumexp(z_r) − z_r[target_r]} with
 * {@code logsumexp(z) = m + ln Σ exp(z − m)}, m = max z (stable). Return the mean over rows (nats per token);
 * perplexity is {@code exp(loss)}. Uniform logits give ln V.
 * Run {@code ./llmbook grade 6} to see your score.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    public static double mean(float[] logits, int[] targets, int vocab) {
        throw new UnsupportedOperationException("TODO ch06.cross_entropy: per row, stable logsumexp minus the target's logit; average");
    }
}
