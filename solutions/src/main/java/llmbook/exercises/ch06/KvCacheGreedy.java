package llmbook.exercises.ch06;

import java.util.Arrays;

/**
 * Exercise ch06.kv_cache_greedy — greedy decoding with a KV cache (reference solution). Q50.
 *
 * <pre>
 *   for each position t (prompt tokens first, then each generated token):
 *       q, k, v = model.qkv(token, t);  cache.append(k, v)
 *       a = Σ_s softmax_s(q·k_s / √d) · v_s  over s = 0..t;  logits = model.logits(a, token, t)
 *   the next token is the argmax of the logits at the last position
 * </pre>
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
        public int length() { return length; }

        /** Stores the key and value of the next position; throws IllegalStateException when the cache is full. */
        public void append(float[] k, float[] v) {
            if (length == keys.length) throw new IllegalStateException("KV cache full: " + length + " positions");
            keys[length] = k.clone();
            values[length] = v.clone();
            length++;
        }

        public float[] key(int position) { return keys[position]; }

        public float[] value(int position) { return values[position]; }
    }

    /** {@code Σ_s softmax_s(q·k_s/√d)·v_s} over every cached position s (subtract the max score before exp). */
    public static float[] attend(float[] q, Cache cache) {
        int n = cache.length(), d = q.length;
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float[] k = cache.key(i);
            double dot = 0;
            for (int j = 0; j < d; j++) dot += q[j] * k[j];
            s[i] = dot / Math.sqrt(d);
            max = Math.max(max, s[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += s[i] = Math.exp(s[i] - max);
        float[] a = new float[cache.value(0).length];
        for (int i = 0; i < n; i++) {
            float[] v = cache.value(i);
            for (int j = 0; j < a.length; j++) a[j] += (float) (s[i] / sum) * v[j];
        }
        return a;
    }

    /**
     * The prompt followed by {@code maxNew} greedily chosen tokens, calling {@code model.qkv} once per position, in
     * order, with every position's key and value kept in {@code cache} (empty at the start). Throws
     * IllegalArgumentException if the prompt is empty, or if prompt + maxNew tokens do not fit in the context.
     */
    public static int[] greedy(Model model, int[] prompt, int maxNew, Cache cache) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt is empty");
        if (prompt.length + maxNew > model.context())
            throw new IllegalArgumentException("prompt (" + prompt.length + ") + new tokens (" + maxNew + ") exceed the context " + model.context());
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        if (maxNew == 0) return out;
        for (int t = 0; t + 1 < out.length; t++) {                     // the logits at position t choose token t + 1
            float[][] qkv = model.qkv(out[t], t);
            cache.append(qkv[1], qkv[2]);
            float[] logits = model.logits(attend(qkv[0], cache), out[t], t);
            if (t + 1 >= prompt.length) out[t + 1] = argmax(logits);
        }
        return out;
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
