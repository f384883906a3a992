package llmbook.sample;

/**
 * One rewrite of the next-token scores before a token is chosen: scale them ({@link Temperature}), drop unlikely
 * tokens by setting their logit to {@code −∞} ({@link TopK}, {@link TopP}, {@link MinP}), or push down tokens already
 * written ({@link RepetitionPenalty}). A {@link Sampler} applies a list of them in order, then picks. Q19–Q21.
 *
 * <p>Processors work on one row of {@code V} logits in place and see the tokens so far (prompt and generated), so
 * they compose: temperature then top-k then top-p is the classic order.
 */
@FunctionalInterface
public interface LogitsProcessor {
    /** Rewrites {@code logits} ({@code V} scores, in place) given {@code history}, the tokens so far. */
    void process(float[] logits, int[] history);

    /** The probabilities {@code softmax(logits)} in double precision ({@code −∞} → 0). */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }
}
