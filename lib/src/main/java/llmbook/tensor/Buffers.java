package llmbook.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycled {@code float[]} storage for op outputs, gradients and the scratch a backward keeps.
 *
 * <p>A training step builds the same graph every time: the same ops with the same shapes. Allocating every
 * activation and gradient afresh cost the reference GPT about 230 MB per step, which the JVM must zero and its
 * young collections must copy while the graph is alive. {@link Tensor#releaseGraph()} hands a finished graph's
 * arrays back here, and the next step's ops take them again: after the first step a training loop allocates
 * almost nothing. Arrays are matched by exact length (ops rely on {@code array.length}); small ones are not
 * kept, and the pool holds at most {@link #MAX_FLOATS} floats, beyond which released arrays are left to the GC.
 *
 * <p>Without {@code releaseGraph()} nothing is ever returned, and {@link #zeroed}/{@link #dirty} are just
 * {@code new float[n]}.
 */
public final class Buffers {
    private Buffers() {}

    /** Arrays shorter than this are not pooled (allocating them is cheaper than the bookkeeping). */
    static final int MIN_LENGTH = 1024;
    /** The most floats the pool keeps (256 MB). */
    static final long MAX_FLOATS = 64L << 20;

    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long held;

    /** A {@code float[n]} of zeros: a recycled array cleared, or a new one. */
    public static float[] zeroed(int n) {
        float[] a = take(n);
        if (a == null) return new float[n];
        if (n < 1 << 16) java.util.Arrays.fill(a, 0f);
        else llmbook.kernels.Kernels.parallelRange(n, 1 << 15, (from, to) -> java.util.Arrays.fill(a, from, to, 0f));
        return a;
    }

    /** A {@code float[n]} with ARBITRARY contents, for an output the caller overwrites completely. */
    public static float[] dirty(int n) {
        float[] a = take(n);
        return a == null ? new float[n] : a;
    }

    private static synchronized float[] take(int n) {
        if (n < MIN_LENGTH) return null;
        ArrayDeque<float[]> q = FREE.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a != null) held -= n;
        return a;
    }

    /** Returns an array nobody uses any more. The caller guarantees no live tensor or closure still reads it. */
    public static synchronized void recycle(float[] a) {
        if (a == null || a.length < MIN_LENGTH || held + a.length > MAX_FLOATS) return;
        FREE.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
        held += a.length;
    }

    /** Floats currently held for reuse (for tests and memory reports). */
    public static synchronized long heldFloats() { return held; }

    /** Drops every pooled array (the GC reclaims them). */
    public static synchronized void clear() {
        FREE.clear();
        held = 0;
    }
}
