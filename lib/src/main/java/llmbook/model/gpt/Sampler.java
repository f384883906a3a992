package llmbook.model.gpt;

import llmbook.tensor.Rng;

/**
 * The former GPT sampler: {@link Generator} with its KV cache and {@code llmbook.sample.Sampler.of(temperature, topK,
 * topP, rng)}. New code uses {@link llmbook.sample.Generator} and {@link llmbook.sample.Sampler}. Q19–Q21.
 */
@Deprecated
public final class Sampler {
    private final Gpt model;

    public Sampler(Gpt model) { this.model = model; }

    /** The prompt followed by {@code maxNew} generated ids (KV-cached). */
    public int[] generate(int[] prompt, int maxNew, float temperature, int topK, float topP, Rng rng) {
        return new Generator(model).generate(prompt, maxNew, temperature, topK, topP, rng, true);
    }
}
