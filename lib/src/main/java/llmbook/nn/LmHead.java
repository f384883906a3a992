package llmbook.nn;

import llmbook.tensor.Tensor;

/**
 * The output layer of a language model: from final hidden states {@code (N, C)} to a distribution over the
 * vocabulary. Two implementations: {@link FullSoftmax} (one {@code C × V} matrix, softmax over all of V) and
 * {@link AdaptiveSoftmax} (a head over the frequent tokens plus tail clusters, Q42). Both define a proper
 * distribution, so their losses are comparable nats per token.
 */
public abstract class LmHead extends Module {
    /** Mean negative log-likelihood {@code −(1/N) Σ_r log p(targets[r] | hidden[r])}: a scalar. */
    public abstract Tensor loss(Tensor hidden, int[] targets);

    /** {@code log p(w | hidden[r])} for every token w: {@code (N, V)}, each row's exponentials summing to 1. */
    public abstract Tensor logProbs(Tensor hidden);

    /** Tokens in the vocabulary, V. */
    public abstract int vocab();

    /** Input width, C. */
    public abstract int width();

    /** {@code hidden} as {@code (N, C)}: any rank ≥ 2 with last axis C, flattened over the leading axes. */
    protected final Tensor rows(String op, Tensor hidden) {
        int[] s = hidden.shape();
        if (s.length < 2 || s[s.length - 1] != width())
            throw new IllegalArgumentException(op + ": hidden states must be (..., " + width() + "), got " + java.util.Arrays.toString(s));
        return s.length == 2 ? hidden : hidden.reshape(hidden.numel() / width(), width());
    }

    protected final void checkTargets(String op, int n, int[] targets) {
        if (targets.length != n)
            throw new IllegalArgumentException(op + ": " + n + " rows of hidden states but " + targets.length + " targets");
        for (int r = 0; r < n; r++)
            if (targets[r] < 0 || targets[r] >= vocab())
                throw new IndexOutOfBoundsException(op + ": target " + targets[r] + " at row " + r + " out of range [0, " + vocab() + ")");
    }
}
