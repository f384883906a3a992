package llmbook.exercises.ch01;


/**
 * Exercise ch01.dot — a dot product on the Vector API (SIMD), the loop under every matmul and attention score. Q32.
 *
 * <p>Goal: the same sum as {@link #dotScalar}, but computed SPECIES.length() products at a time in the lanes of a
 * {@code FloatVector}, with a single horizontal sum at the end. Decide how to handle the elements left over when n is
 * not a multiple of the lane count (and n smaller than one vector), and where the offsets go. The sum is taken in a
 * different order than the scalar loop, so the two agree to rounding, not bit for bit.
 *
 * <p>Worked example: a = (1, 2, 3), b = (4, 5, 6): 32 — shorter than one vector on any machine. With 8 lanes and
 * n = 19: two full vectors (16 elements), then 3 more. The grader tries sizes around the lane count and offsets.
 *
 * <p>Pieces of the API you will need: {@code FloatVector.SPECIES_PREFERRED}, {@code SPECIES.loopBound},
 * {@code FloatVector.zero}, {@code FloatVector.fromArray}, {@code fma}, {@code reduceLanes(VectorOperators.ADD)};
 * imports from {@code jdk.incubator.vector}. Run {@code ./llmbook grade 1} to see your score.
 */
public final class VectorDot {
    private VectorDot() {}

    /** The reference: {@code Σ_{i<n} a[aOff+i]·b[bOff+i]}, one multiply-add per element, in order (done for you). */
    public static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** The same sum with {@code FloatVector}: lanes of products accumulated with fma, one reduceLanes, a scalar tail. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        throw new UnsupportedOperationException("TODO ch01.dot: whole vectors of lanes first, one horizontal sum, then what is left");
    }

    /** {@code a·b} for arrays of equal length (done for you). */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("dot: lengths differ: " + a.length + " vs " + b.length);
        return dot(a, 0, b, 0, a.length);
    }
}
