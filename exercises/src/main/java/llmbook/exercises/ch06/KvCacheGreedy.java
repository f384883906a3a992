package llmbook.exercises.ch06;

/**
 * Exercise ch06.kv_cache_greedy — greedy decoding with a KV cache. Q50.
 *
 * <p>A decoder's attention at position t uses the keys and values of positions 0..t. Those never change once
 * computed (the mask hides the future), so instead of recomputing the whole sequence for every new token, keep
 * them in a cache and compute only the new position:
 * <pre>
 *   for each position t (prompt tokens first, then each generated token):
 *       q, k, v = model.qkv(token, t)           one call per position, never repeated
 *       cache.append(k, v)                       the cache now holds positions 0..t
 *       a = Σ_s softmax_s(q·k_s / √d) · v_s      over s = 0..t          ({@link #attend})
 *       logits = model.logits(a, token, t)
 *   the next token is the argmax of the logits at the last position
 * </pre>
 * The {@link Model} is provided (a one-layer, one-head toy in the tests). Write the {@link Cache} methods,
 * {@link #attend}, and {@link #greedy}. Run {@code ./llmbook grade 6} to see your score.
 */
public final class KvCacheGreedy {
    private KvCacheGreedy() {}

    /** A tiny decoder, as far as generation needs it (provided). */
    public interface Model {
        /** Number of token ids. */
        int vocab();

        /** Longest sequence (positions 0 .. context−1). */
        int context();

        /** Width of queries, keys and values. */
        int headDim();

        /** Query, key and value {@code {q, k, v}} (each {@code headDim} long) of {@code token} at {@code position}. */
        float[][] qkv(int token, int position);

        /** Next-token logits ({@code vocab} long) at {@code position}, from the attention output {@code a} there. */
        float[] logits(float[] a, int token, int position);
    }

    /** Keys and values of positions 0 .. length()−1, at most {@code capacity} of them. */
    public static final class Cache {
        private final float[][] keys, values;
        private int length;

        public Cache(int capacity, int headDim) {
            keys = new float[capacity][];
            values = new float[capacity][];
        }

        /** Number of cached positions. */
        public int length() {
            throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: return how many positions are cached");
        }

        /** Stores the key and value of the next position; throws IllegalStateException when the cache is full. */
        public void append(float[] k, float[] v) {
            throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: store k and v at position length(), refuse when full");
        }

        public float[] key(int position) {
            throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: the cached key of a position");
        }

        public float[] value(int position) {
            throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: the cached value of a position");
        }
    }

    /** {@code Σ_s softmax_s(q·k_s/√d)·v_s} over every cached position s (subtract the max score before exp). */
    public static float[] attend(float[] q, Cache cache) {
        throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: softmax of q·k/√d over the cache, weighted sum of the values");
    }

    /**
     * The prompt followed by {@code maxNew} greedily chosen tokens, calling {@code model.qkv} once per position, in
     * order, with every position's key and value kept in {@code cache} (empty at the start). Throws
     * IllegalArgumentException if the prompt is empty, or if prompt + maxNew tokens do not fit in the context.
     */
    public static int[] greedy(Model model, int[] prompt, int maxNew, Cache cache) {
        throw new UnsupportedOperationException("TODO ch06.kv_cache_greedy: feed the prompt through the cache, then pick the argmax token maxNew times");
    }
}
