package llmbook.sample;

/**
 * Divides every logit by {@code t}: {@code t < 1} sharpens the distribution toward the most likely tokens, {@code t > 1}
 * flattens it (more entropy, more surprise). {@code t → 0} is greedy decoding, which {@link Sampler#greedy()} does
 * exactly. Q20.
 */
public record Temperature(float t) implements LogitsProcessor {
    public Temperature {
        if (!(t > 0) || Float.isInfinite(t))
            throw new IllegalArgumentException("Temperature must be > 0 and finite, got " + t + " (use Sampler.greedy() for t = 0)");
    }

    @Override
    public void process(float[] logits, int[] history) {
        for (int i = 0; i < logits.length; i++) logits[i] /= t;
    }
}
