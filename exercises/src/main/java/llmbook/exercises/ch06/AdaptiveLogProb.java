package llmbook.exercises.ch06;

/**
 * Exercise ch06.adaptive_log_prob — the probability of a token under an adaptive (two-level) softmax (Q42).
 *
 * <p>With a large vocabulary most of the cost of the output layer is spent on rare words. An adaptive softmax sorts
 * the vocabulary by frequency and splits it at {@code cutoff}: the frequent tokens 0 … cutoff − 1 get a full softmax
 * in a small "head", which has one extra entry (the last) standing for "the token is one of the rare ones"; a second
 * softmax over the tail scores the rare tokens cutoff … V − 1 among themselves, and is only needed when the token is
 * rare. Work out the log-probability of any token from the two logit vectors, so that the probabilities of all V
 * tokens sum to 1. It must stay finite for logits in the thousands.
 *
 * <p>Worked example: cutoff 1, head logits (0, 0), tail logits (0, 0) (V = 3): token 0 has probability ½, tokens 1
 * and 2 have ¼ each. Run {@code ./llmbook grade 6} to see your score.
 */
public final class AdaptiveLogProb {
    private AdaptiveLogProb() {}

    /** ln p(token) from head logits (cutoff + 1 entries) and tail logits (V − cutoff entries). */
    public static double logProb(double[] head, double[] tail, int cutoff, int token) {
        throw new UnsupportedOperationException("TODO ch06.adaptive_log_prob: frequent: log-softmax of the head; rare: log p(tail cluster) + log-softmax of the tail");
    }

}
