package llmbook.nn;

import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;

/** LayerNorm over the last axis: {@code (x − μ)/√(σ² + ε) ⊙ weight + bias}; weight starts at 1, bias at 0. */
public final class LayerNorm extends Module implements Layer {
    public final Tensor weight;   // (dim,)
    public final Tensor bias;     // (dim,) or null
    public final float eps;

    public LayerNorm(int dim) { this(dim, 1e-5f, true); }

    public LayerNorm(int dim, float eps, boolean bias) {
        this.eps = eps;
        this.weight = param("weight", Tensor.ones(dim));
        this.bias = bias ? param("bias", Tensor.zeros(dim)) : null;
    }

    @Override
    public Tensor forward(Tensor x) { return Functional.layerNorm(x, weight, bias, eps); }
}
