package llmbook.nn;

import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The plain output layer: logits {@code h·Wᵀ} with {@code W (V, C)} and no bias, then softmax over the whole
 * vocabulary. Q34, Q42.
 * <pre>
 *   log p(w | h) = h·W_w − log Σ_{v &lt; V} exp(h·W_v)          cost per row: C·V multiply-adds
 * </pre>
 * The loss is the fused {@link Functional#crossEntropy}. The baseline {@link AdaptiveSoftmax} is measured against.
 */
public final class FullSoftmax extends LmHead {
    public final Linear proj;   // weight (V, C)

    /** Weight N(0, 0.02²) (GPT-2's init). */
    public FullSoftmax(int width, int vocab, Rng rng) {
        proj = module("proj", new Linear(width, vocab, false, rng).initNormal(rng, 0.02f));
    }

    @Override public Tensor loss(Tensor hidden, int[] targets) {
        Tensor h = rows("FullSoftmax.loss", hidden);
        checkTargets("FullSoftmax.loss", h.size(0), targets);
        return Functional.crossEntropy(proj.forward(h), targets);       // (N, V) logits -> scalar
    }

    @Override public Tensor logProbs(Tensor hidden) { return proj.forward(rows("FullSoftmax.logProbs", hidden)).logSoftmax(); }

    @Override public int vocab() { return proj.out; }

    @Override public int width() { return proj.in; }
}
