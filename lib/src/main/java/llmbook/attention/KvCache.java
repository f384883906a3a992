package llmbook.attention;

import java.util.Arrays;
import llmbook.tensor.Shape;
import llmbook.tensor.Tensor;

/**
 * What one attention layer keeps from past tokens so each new token costs one row of work instead of re-running the
 * prefix. Q9 (what MHA, GQA, MQA and MLA each cache), and the decoding chapter (Q50).
 *
 * <p>Preallocated for {@code batch} sequences and {@code capacity} positions (the model's context); {@code append}
 * writes the new rows in place, nothing is concatenated or copied per token. Two layouts:
 * <ul>
 *   <li>{@link #grouped} (MHA, GQA, MQA): parts {@code k} and {@code v}, each {@code (B, G, capacity, d)}:
 *       {@code 2·G·d} floats per token.</li>
 *   <li>{@link #latent} (MLA): one row {@code [c_KV ; k^R]} of {@code d_c + d_R} floats per token, shown as the parts
 *       {@code c_kv (B, T, d_c)} and {@code k_rope (B, 1, T, d_R)}. Decoding treats the row as the key of ONE shared
 *       head and its first d_c floats as the value (the absorbed form, see {@link MultiHeadLatentAttention}).</li>
 * </ul>
 * Storage is feature-major (transposed): for each sequence and K/V head, one row of {@code capacity} positions per
 * feature, so a decoding step reads every cached key as vectors across positions ({@link
 * llmbook.kernels.Attention#cachedForward}); an append writes one column per new token. {@link #part} shows the usual
 * (…, T, width) views.
 * {@link #bytesPerToken()} is measured from the arrays actually allocated, to compare with
 * {@link SelfAttention#kvCacheBytesPerToken()}. {@link #reorder} keeps chosen batch rows (beam search).
 * A cache made without a batch and capacity ({@link SelfAttention#newCache()}) takes the batch from its first append
 * and doubles its capacity when full (amortised: a copy per doubling, not per token).
 */
public final class KvCache {
    private final boolean latent;
    private final int groups, keyWidth, valueWidth, dRope;   // latent: groups 1, keyWidth d_c + d_R, valueWidth d_c
    private final boolean fixed;
    private int batch, capacity, length;
    private float[] keys, values;      // (B, G, keyWidth, cap) and (B, G, valueWidth, cap); values == keys when latent

    private KvCache(boolean latent, int groups, int keyWidth, int valueWidth, int dRope, int batch, int capacity, boolean fixed) {
        this.latent = latent;
        this.groups = groups;
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.dRope = dRope;
        this.fixed = fixed;
        if (fixed) {
            if (batch < 1) throw new IllegalArgumentException("KvCache: batch must be >= 1, got " + batch);
            if (capacity < 1) throw new IllegalArgumentException("KvCache: capacity must be >= 1, got " + capacity);
            allocate(batch, capacity);
        }
    }

    /** K and V of {@code groups} heads of size {@code headDim}, for {@code batch} sequences of up to {@code capacity} positions. */
    public static KvCache grouped(int groups, int headDim, int batch, int capacity) {
        checkWidths(groups, headDim);
        return new KvCache(false, groups, headDim, headDim, 0, batch, capacity, true);
    }

    /** The latent c_KV (d_c) and the shared RoPE key (d_R) of latent attention, for {@code batch} × {@code capacity}. */
    public static KvCache latent(int dLatent, int dRope, int batch, int capacity) {
        checkWidths(dLatent, dRope);
        return new KvCache(true, 1, dLatent + dRope, dLatent, dRope, batch, capacity, true);
    }

    /** A growing grouped cache (batch from the first append). */
    static KvCache grouped(int groups, int headDim) { return new KvCache(false, groups, headDim, headDim, 0, 0, 0, false); }

    /** A growing latent cache (batch from the first append). */
    static KvCache latent(int dLatent, int dRope) { return new KvCache(true, 1, dLatent + dRope, dLatent, dRope, 0, 0, false); }

    private static void checkWidths(int a, int b) {
        if (a < 1 || b < 1) throw new IllegalArgumentException("KvCache: widths must be >= 1, got " + a + " and " + b);
    }

    private void allocate(int b, int cap) {
        float[] k = new float[b * groups * cap * keyWidth];
        float[] v = latent ? k : new float[b * groups * cap * valueWidth];
        if (keys != null) {                             // keep the cached positions (growing)
            copyRows(keys, k, keyWidth, b, capacity, cap);
            if (!latent) copyRows(values, v, valueWidth, b, capacity, cap);
        }
        keys = k;
        values = v;
        batch = b;
        capacity = cap;
    }

    /** Copies positions 0 … length−1 of every feature row from a cache of capacity c0 to one of capacity c1. */
    private void copyRows(float[] from, float[] to, int w, int b, int c0, int c1) {
        for (int r = 0; r < b * groups * w; r++) System.arraycopy(from, r * c0, to, r * c1, length);
    }

    /** Positions cached so far (the next token goes to this position). */
    public int length() { return length; }

    /** Sequences held (0 for a growing cache before its first append). */
    public int batch() { return batch; }

    /** Positions it can hold now. */
    public int capacity() { return capacity; }

    /** K/V heads G (1 for latent attention). */
    public int groups() { return groups; }

    /** Floats of a cached key row: d (grouped) or d_c + d_R (latent). */
    public int keyWidth() { return keyWidth; }

    /** Floats of a cached value row: d (grouped) or d_c (latent: the first d_c floats of the key row). */
    public int valueWidth() { return valueWidth; }

    /** Whether this is a latent-attention cache. */
    public boolean isLatent() { return latent; }

    /** Empties the cache (the next token is position 0 again); keeps the storage. */
    public void reset() { length = 0; }

    /** Keeps positions 0 … n−1 only (speculative decoding drops rejected draft tokens); keeps the storage. */
    public void truncate(int n) {
        if (n < 0 || n > length) throw new IllegalArgumentException("KvCache.truncate: " + n + " outside 0 … " + length);
        length = n;
    }

    /** fp32 bytes allocated (all of the capacity, every sequence). */
    public long bytes() {
        if (keys == null) return 0;
        return ((long) keys.length + (latent ? 0 : values.length)) * Float.BYTES;
    }

    /** Bytes per position per sequence, measured from the allocation: {@code bytes() / (batch · capacity)}. */
    public long bytesPerToken() {
        if (keys == null) throw new IllegalStateException("KvCache.bytesPerToken: the cache has no storage yet (nothing appended)");
        return bytes() / ((long) batch * capacity);
    }

    /**
     * Keeps the batch rows {@code rows} in that order: row i of the new cache is row {@code rows[i]} of the old one
     * (repeats allowed, so the batch may change size). Beam search calls this after pruning.
     */
    public void reorder(int[] rows) {
        if (keys == null) throw new IllegalStateException("KvCache.reorder: the cache has no storage yet");
        if (rows.length == 0) throw new IllegalArgumentException("KvCache.reorder: need at least one row");
        for (int r : rows)
            if (r < 0 || r >= batch) throw new IllegalArgumentException("KvCache.reorder: row " + r + " outside the batch [0, " + batch + ")");
        float[] k = new float[rows.length * groups * capacity * keyWidth];
        float[] v = latent ? k : new float[rows.length * groups * capacity * valueWidth];
        int gk = groups * capacity * keyWidth, gv = groups * capacity * valueWidth;   // floats per sequence
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(keys, rows[i] * gk, k, i * gk, gk);
            if (!latent) System.arraycopy(values, rows[i] * gv, v, i * gv, gv);
        }
        keys = k;
        values = v;
        batch = rows.length;
    }

    /** Makes room for {@code n} more positions of {@code b} sequences; returns the first new position. */
    private int reserve(String who, int b, int n) {
        if (keys == null) allocate(b, Math.max(16, n));
        if (b != batch)
            throw new IllegalArgumentException(who + ": the cache holds " + batch + " sequences, the new tokens are for " + b);
        if (length + n > capacity) {
            if (fixed)
                throw new IllegalArgumentException(who + ": " + length + " cached + " + n + " new positions exceed the capacity " + capacity
                        + " (reset the cache, or make it with a larger capacity)");
            allocate(batch, Math.max(length + n, 2 * capacity));
        }
        return length;
    }

    /** Writes k (B, G, T_new, d) and v (B, G, T_new, d) at positions {@code length() …} and advances the length. */
    void append(Tensor k, Tensor v) {
        if (latent) throw new IllegalStateException("KvCache.append: this is a latent (MLA) cache; it stores c_kv and k_rope");
        int[] ks = k.shape(), vs = v.shape();
        if (ks.length != 4 || ks[1] != groups || ks[3] != keyWidth || !Arrays.equals(ks, vs))
            throw new IllegalArgumentException("KvCache.append: k and v must both be (B, " + groups + ", T_new, " + keyWidth + "), got k "
                    + Shape.str(ks) + ", v " + Shape.str(vs));
        int b = ks[0], n = ks[2], start = reserve("KvCache.append", b, n);
        write(keys, keyWidth, 0, k.contiguous(), keyWidth, b * groups, n, start);
        write(values, valueWidth, 0, v.contiguous(), valueWidth, b * groups, n, start);
        length += n;
    }

    /** Writes c_kv (B, T_new, d_c) and k_rope (B, 1, T_new, d_R) at positions {@code length() …} and advances the length. */
    void appendLatent(Tensor cKv, Tensor kRope) {
        if (!latent) throw new IllegalStateException("KvCache.appendLatent: this is a grouped (K, V) cache");
        int[] cs = cKv.shape(), rs = kRope.shape();
        int dc = valueWidth;
        if (cs.length != 3 || cs[2] != dc || rs.length != 4 || rs[0] != cs[0] || rs[1] != 1 || rs[2] != cs[1] || rs[3] != dRope)
            throw new IllegalArgumentException("KvCache.appendLatent: need c_kv (B, T_new, " + dc + ") and k_rope (B, 1, T_new, " + dRope
                    + "), got " + Shape.str(cs) + " and " + Shape.str(rs));
        int b = cs[0], n = cs[1], start = reserve("KvCache.appendLatent", b, n);
        write(keys, keyWidth, 0, cKv.contiguous(), dc, b, n, start);
        write(keys, keyWidth, dc, kRope.contiguous(), dRope, b, n, start);
        length += n;
    }

    /** Element (u, t, c) of src (units, n, w) goes to feature row {@code row0 + c} of unit u, position start + t. */
    private void write(float[] dst, int rowsPerUnit, int row0, Tensor src, int w, int units, int n, int start) {
        float[] s = src.data();
        int so = src.offset();
        for (int u = 0; u < units; u++)
            for (int t = 0; t < n; t++)
                for (int c = 0, from = so + (u * n + t) * w; c < w; c++)
                    dst[(u * rowsPerUnit + row0 + c) * capacity + start + t] = s[from + c];
    }

    // the storage, for the decoding kernel: (B, G, rows, capacity)
    float[] keyArray() { return keys; }
    float[] valueArray() { return values; }
    int keyRows() { return keyWidth; }
    int valueRows() { return latent ? keyWidth : valueWidth; }

    /**
     * The cached positions of part {@code name} as a view (no copy, no gradient): {@code k}, {@code v} (B, G, T, d) for
     * a grouped cache; {@code c_kv} (B, T, d_c) and {@code k_rope} (B, 1, T, d_R) for a latent one. Null while empty.
     */
    public Tensor part(String name) {
        String[] names = latent ? new String[] {"c_kv", "k_rope"} : new String[] {"k", "v"};
        if (!Arrays.asList(names).contains(name))
            throw new IllegalArgumentException("KvCache.part: no part '" + name + "'; parts are " + String.join(", ", names));
        if (keys == null || length == 0) return null;
        if (!latent) return name.equals("k") ? keysView() : valuesView();
        if (name.equals("c_kv")) return Tensor.wrap(keys, batch, keyWidth, capacity).slice(2, 0, length).slice(1, 0, valueWidth).transpose(1, 2);
        return keysView().slice(3, valueWidth, keyWidth);
    }

    /** The cached keys as one (B, G, T, keyWidth) view (latent: the rows [c_KV ; k^R] as one shared head). */
    Tensor keysView() { return Tensor.wrap(keys, batch, groups, keyWidth, capacity).slice(3, 0, length).transpose(2, 3); }

    /** The cached values as one (B, G, T, valueWidth) view (latent: the c_KV part of the rows). */
    Tensor valuesView() {
        if (!latent) return Tensor.wrap(values, batch, groups, valueWidth, capacity).slice(3, 0, length).transpose(2, 3);
        return keysView().slice(3, 0, valueWidth);
    }

    @Override
    public String toString() {
        return "KvCache(" + (latent ? "latent d_c=" + valueWidth + " d_R=" + dRope : "grouped G=" + groups + " d=" + keyWidth) + ", "
                + length + "/" + capacity + " positions, batch " + batch + ")";
    }
}
