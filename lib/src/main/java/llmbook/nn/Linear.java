package llmbook.nn;

import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * {@code y = x·Wᵀ + b}. Weight stored (out, in) as in PyTorch, so a row of W is one output unit's weights.
 * Initialised U(−1/√in, 1/√in) (PyTorch's default); re-initialise with {@link #initNormal} for GPT-2's N(0, 0.02).
 */
public final class Linear extends Module implements Layer {
    public final Tensor weight;   // (out, in)
    public final Tensor bias;     // (out,) or null
    public final int in, out;

    public Linear(int in, int out, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be > 0, got in=" + in + ", out=" + out);
        this.in = in;
        this.out = out;
        this.weight = param("weight", Init.fanInUniform(rng, in, out, in));
        this.bias = bias ? param("bias", Init.fanInUniform(rng, in, out)) : null;
    }

    public Linear(int in, int out, Rng rng) { this(in, out, true, rng); }

    /** Overwrites the weight with N(0, std²) samples and the bias with zeros. */
    public Linear initNormal(Rng rng, float std) {
        float[] w = weight.data();
        for (int i = 0; i < w.length; i++) w[i] = std * rng.nextGaussian();
        if (bias != null) java.util.Arrays.fill(bias.data(), 0f);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) { return LinAlg.linear(x, weight, bias); }  // (..., in) -> (..., out)
}
