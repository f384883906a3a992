package llmbook.nn;

import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/** Parameter initialisations, all drawing from the one seeded {@link Rng}. Each returns a fresh tensor. */
public final class Init {
    private Init() {}

    /** U(−1/√fanIn, 1/√fanIn): PyTorch's default for {@code nn.Linear} weights and biases. */
    public static Tensor fanInUniform(Rng rng, int fanIn, int... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return Tensor.uniform(rng, -bound, bound, shape);
    }

    /** N(0, std²): GPT-2 uses std 0.02 for every weight matrix and embedding. */
    public static Tensor normal(Rng rng, float std, int... shape) { return Tensor.normal(rng, 0f, std, shape); }
}
