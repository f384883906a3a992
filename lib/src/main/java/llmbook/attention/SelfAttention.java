package llmbook.attention;

import java.util.List;
import llmbook.tensor.Tensor;

/**
 * A self-attention layer: every position of x attends to the positions of x the mask lets it see. Q2, Q9.
 * Implemented by {@link MultiHeadAttention}, {@link GroupedQueryAttention} (MHA, GQA, MQA) and
 * {@link MultiHeadLatentAttention} (MLA): they differ in what a decoder must cache per token, and so in memory
 * at inference.
 */
public interface SelfAttention {
    /** x (B, T, C) → (B, T, C). */
    Tensor forward(Tensor x, Mask mask);

    /**
     * Incremental causal forward for decoding: x (B, T_new, C) holds the tokens at positions
     * {@code cache.length() …}; what they contribute to later tokens is appended to {@code cache}. Feeding a sequence
     * in pieces gives the same outputs as one {@code forward(x, Mask.CAUSAL)}. For inference: the cache stores
     * detached tensors, so no gradient reaches the projections through cached keys and values.
     */
    Tensor forward(Tensor x, KvCache cache);

    /** An empty cache for {@link #forward(Tensor, KvCache)} that takes its batch from the first tokens and grows. */
    KvCache newCache();

    /**
     * An empty cache preallocated for {@code batch} sequences of up to {@code capacity} positions (the model's context):
     * appending writes in place and never copies.
     */
    KvCache newCache(int batch, int capacity);

    /**
     * Whether later forwards keep their attention weights for {@link #lastWeights()} (default off). Capturing takes the
     * composed path, which stores the (B, H, T, T) weights; off, a causal forward runs the fused op. Returns this.
     */
    SelfAttention captureWeights(boolean on);

    /** fp32 bytes this layer caches per generated token (keys and values, or whatever stands in for them). */
    long kvCacheBytesPerToken();

    /**
     * The attention weights of the last forward, (B, H, T_query, T_key), detached; null before the first forward since
     * capturing was turned on. Throws unless {@link #captureWeights}(true) was called.
     */
    Tensor lastWeights();

    /** {@link #lastWeights()} of an implementation's {@code sdpa}, with the error when capturing is off. */
    static Tensor lastWeights(String layer, ScaledDotProductAttention sdpa) {
        if (!sdpa.capturesWeights())
            throw new IllegalStateException(layer + ".lastWeights: weights are not captured; call captureWeights(true) before the forward");
        return sdpa.lastWeights();
    }

    /** The trainable parameters (implementations are {@link llmbook.nn.Module}s). */
    List<Tensor> parameters();

    /** Checks that x is (B, T, C) for this layer's C; names the layer and the shape. */
    static void checkInput(String layer, Tensor x, int c) {
        int[] s = x.shape();
        if (s.length != 3 || s[2] != c)
            throw new IllegalArgumentException(layer + ".forward: x must be (B, T, " + c + "), got " + ScaledDotProductAttention.str(s));
    }
}
