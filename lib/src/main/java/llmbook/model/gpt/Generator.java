package llmbook.model.gpt;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.nn.Module;
import llmbook.sample.Sampler;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The former GPT generator, now {@link llmbook.sample.Generator} (window logic, sampling) running a {@link Gpt} with
 * its {@link KvDecoder} as the KV cache. Goes away with {@code KvDecoder} once the decoder model has its own
 * {@link DecodeCache}; new code uses {@code llmbook.sample.Generator} and {@link Sampler}.
 */
@Deprecated
public final class Generator {
    private final Gpt model;
    private final Cached cached;
    private long positionsComputed;

    public Generator(Gpt model) {
        this.model = model;
        this.cached = new Cached(model);
    }

    /** Greedy decoding (temperature 0): the most likely token every step. */
    public int[] greedy(int[] prompt, int maxNew, boolean useCache) {
        return generate(prompt, maxNew, 0f, 0, 1f, null, useCache);
    }

    /** {@code Sampler.of(temperature, topK, topP, rng)} with or without the KV cache. */
    public int[] generate(int[] prompt, int maxNew, float temperature, int topK, float topP, Rng rng, boolean useCache) {
        Sampler sampler = Sampler.of(temperature, topK, topP, rng);
        llmbook.sample.Generator g = useCache ? new llmbook.sample.Generator(cached) : new llmbook.sample.Generator(model);
        int[] out = g.generate(prompt, maxNew, sampler);
        positionsComputed += g.positionsComputed();
        return out;
    }

    /** Positions pushed through the model so far (by all calls): the work the cache saves. */
    public long positionsComputed() { return positionsComputed; }

    /**
     * The GPT with {@link KvDecoder} as its cache, for {@link llmbook.sample.Generator} only: KvDecoder computes just the
     * logits of the last position, so the other rows of the {@code (1, T, V)} result of the cached forward are NaN.
     */
    private record Cached(Gpt gpt) implements LanguageModel {
        @Override public int vocab() { return gpt.vocab(); }
        @Override public int context() { return gpt.context(); }
        @Override public Tensor logits(int[] ids, int B, int T) { return gpt.logits(ids, B, T); }
        @Override public boolean supportsCache() { return true; }
        @Override public DecodeCache newCache(int batch) {
            if (batch != 1) throw new IllegalArgumentException("KvDecoder decodes one sequence, not " + batch);
            return new KvCache(new KvDecoder(gpt));
        }
        @Override public Tensor logits(int[] ids, int B, int T, DecodeCache cache) {
            if (B != 1 || ids.length != T) throw new IllegalArgumentException("KvDecoder decodes one sequence of T ids");
            float[] rows = new float[T * vocab()];
            Arrays.fill(rows, Float.NaN);
            float[] last = ((KvCache) cache).decoder.append(ids);
            System.arraycopy(last, 0, rows, (T - 1) * vocab(), vocab());
            return Tensor.of(rows, 1, T, vocab());
        }
        @Override public Map<String, Tensor> namedParameters() { return gpt.namedParameters(); }
        @Override public List<Tensor> parameters() { return gpt.parameters(); }
        @Override public Module train(boolean on) { return gpt.train(on); }
        @Override public boolean isTraining() { return gpt.isTraining(); }
        @Override public void zeroGrad() { gpt.zeroGrad(); }
    }

    private record KvCache(KvDecoder decoder) implements DecodeCache {
        @Override public int length() { return decoder.length(); }
        @Override public int batch() { return 1; }
        @Override public int capacity() { return decoder.capacity(); }
        @Override public void reset() { decoder.reset(); }
        @Override public long bytes() { return decoder.cacheBytes() * decoder.length() / decoder.capacity(); }
        @Override public long bytesPerToken() { return decoder.cacheBytes() / decoder.capacity(); }
        @Override public void reorder(int[] rows) {
            for (int r : rows) if (r != 0) throw new IllegalArgumentException("KvDecoder holds one sequence; cannot reorder to row " + r);
        }
    }
}
