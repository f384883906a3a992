package llmbook.nn;

import llmbook.tensor.Tensor;

/**
 * A module that adds a term of its own to the training loss (a mixture-of-experts router's load-balancing and z-losses).
 * A model's {@code loss} adds {@link #takeAuxiliaryLoss()} of every such sub-module while training, so any trainer that
 * calls {@code model.loss(...)} optimises it; evaluation (training off) reports the plain cross-entropy.
 */
public interface AuxiliaryLoss {
    /** The loss term of the last forward pass (a scalar in that pass's graph), or null; cleared once taken. */
    Tensor takeAuxiliaryLoss();

    /** Sum of the pending auxiliary losses of {@code model}'s sub-modules (null if none): each is taken once. */
    static Tensor collect(Module model) {
        Tensor sum = null;
        for (Module m : model.namedModules().values())
            if (m instanceof AuxiliaryLoss a) {
                Tensor t = a.takeAuxiliaryLoss();
                if (t != null) sum = sum == null ? t : sum.add(t);
            }
        return sum;
    }
}
