package llmbook.attention;

import llmbook.tensor.Tensor;

/**
 * What a decoder keeps from past tokens so each new token costs one row of work instead of re-running the prefix.
 * Q9 (what MHA, GQA, MQA and MLA each cache), and the decoding chapter.
 *
 * <p>A cache holds named parts, each with a time axis: K and V {@code (B, G, T, d)} for grouped-query attention;
 * the latent {@code c_KV (B, T, d_c)} and the shared RoPE key {@code (B, 1, T, d_R)} for latent attention.
 * {@link #bytesPerToken()} measures what is actually stored, to compare with
 * {@link SelfAttention#kvCacheBytesPerToken()}. Appending copies (concat), which keeps the code short; a production
 * cache preallocates. Use it under {@link Tensor#noGrad()}: decoding needs no graph.
 */
public final class KvCache {
    private final String[] names;
    private final int[] timeAxes;
    private final Tensor[] parts;

    KvCache(String[] names, int[] timeAxes) {
        this.names = names.clone();
        this.timeAxes = timeAxes.clone();
        this.parts = new Tensor[names.length];
    }

    /** Tokens cached so far (0 when empty). */
    public int length() { return parts[0] == null ? 0 : parts[0].size(timeAxes[0]); }

    /** Part {@code name}, or null while empty. */
    public Tensor part(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return parts[i];
        throw new IllegalArgumentException("KvCache.part: no part '" + name + "'; parts are " + String.join(", ", names));
    }

    /** Appends {@code x} to part {@code i} along its time axis and returns the whole part. */
    Tensor append(int i, Tensor x) {
        parts[i] = parts[i] == null ? x.detach().contiguous() : Tensor.concat(timeAxes[i], parts[i], x).detach();
        return parts[i];
    }

    /** fp32 bytes held by all parts. */
    public long bytes() {
        long n = 0;
        for (Tensor p : parts) if (p != null) n += (long) p.numel() * Float.BYTES;
        return n;
    }

    /** {@link #bytes()} per cached token per sequence of the batch. */
    public long bytesPerToken() {
        if (length() == 0) throw new IllegalStateException("KvCache.bytesPerToken: the cache is empty");
        return bytes() / ((long) parts[0].size(0) * length());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KvCache(").append(length()).append(" tokens");
        for (int i = 0; i < names.length; i++)
            sb.append(", ").append(names[i]).append(' ').append(parts[i] == null ? "empty" : ScaledDotProductAttention.str(parts[i].shape()));
        return sb.append(')').toString();
    }
}
