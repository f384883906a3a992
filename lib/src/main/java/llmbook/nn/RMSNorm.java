package llmbook.nn;

import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;

/** RMSNorm over the last axis (LLaMA): {@code x / √(mean(x²) + ε) ⊙ weight}; no mean subtraction, no bias. */
public final class RMSNorm extends Module implements Layer {
    public final Tensor weight;   // (dim,)
    public final float eps;

    public RMSNorm(int dim) { this(dim, 1e-5f); }

    public RMSNorm(int dim, float eps) {
        this.eps = eps;
        this.weight = param("weight", Tensor.ones(dim));
    }

    @Override
    public Tensor forward(Tensor x) { return Functional.rmsNorm(x, weight, eps); }
}
