package llmbook.train;

import llmbook.tensor.Tensor;

/**
 * What the {@link Trainer} minimises: a scalar loss of one batch, built on the autograd tape so that
 * {@code backward()} reaches the parameters being trained. For a language model it is
 * {@code b -> lm.loss(b.x(), b.y(), b.B(), b.T())}; a seq2seq model, an encoder, distillation (the student's loss
 * against a frozen teacher's outputs) and DPO (a policy against a frozen reference) each bring their own.
 *
 * @param <B> the batch type, as produced by a {@link llmbook.data.Batches} source
 */
@FunctionalInterface
public interface LossFunction<B> {
    /** The mean loss of {@code batch}, a scalar tensor. */
    Tensor loss(B batch);

    /**
     * This loss plus a penalty that does not depend on the batch (EWC, L2-SP: {@link AnchorPenalty}), asked for
     * anew at every batch so it sees the current weights.
     */
    default LossFunction<B> plus(java.util.function.Supplier<Tensor> penalty) {
        return b -> loss(b).add(penalty.get());
    }
}
