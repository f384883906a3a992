package llmbook.exercises.ch06;

/**
 * Exercise ch06.cross_entropy — the loss every language model is trained on, and its gradient. Q34.
 *
 * <p>{@code logits} holds {@code rows} next-token score vectors of length V laid end to end (row r starts at
 * {@code r·V}); {@code targets[r]} is the token that really came next. {@link #mean} is the average, over rows, of
 * minus the log-probability the softmax of row r gives to its target (nats per token; perplexity is its exp). It must
 * not overflow for logits in the thousands. {@link #gradient} is d(mean)/d(logits), same layout as the logits:
 * derive it (the book's chapter 6 derives it once for one row; here you also have the mean over rows).
 *
 * <p>Worked example: one row, V = 3, logits (1, 2, 3), target 0: softmax = (0.090, 0.245, 0.665), loss = −ln 0.090
 * = 2.4076, gradient = (0.090 − 1, 0.245, 0.665) = (−0.910, 0.245, 0.665). Uniform logits give ln V whatever the target.
 * Run {@code ./llmbook grade 6} to see your score.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Mean cross-entropy over the rows (nats per token). */
    public static double mean(float[] logits, int[] targets, int vocab) {
        throw new UnsupportedOperationException("TODO ch06.cross_entropy: per row, minus the log of the target's softmax probability (stably); average");
    }

    /** d mean / d logits, a new array laid out like {@code logits}. */
    public static double[] gradient(float[] logits, int[] targets, int vocab) {
        throw new UnsupportedOperationException("TODO ch06.cross_entropy: derive the gradient of the mean loss with respect to every logit");
    }
}
