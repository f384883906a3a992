// HOSTILE FIXTURE for GradeTest: the solution, except that dot halts the JVM on the hand-worked case [1,2,3]·[4,5,6].
package llmbook.exercises.ch01;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exercise ch01.dot — a dot product on the Vector API (SIMD), the loop under every matmul and attention score. Q32.
 *
 * <p>The canonical shape of a vector loop:
 * <pre>
 *   FloatVector acc = FloatVector.zero(SPECIES);
 *   int i = 0, upper = SPECIES.loopBound(n);            // largest multiple of the lane count ≤ n
 *   for (; i &lt; upper; i += SPECIES.length())
 *       acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
 *   float s = acc.reduceLanes(VectorOperators.ADD);     // one horizontal sum, at the end
 *   for (; i &lt; n; i++) s += a[aOff + i] * b[bOff + i];  // the scalar tail: n need not be a multiple of the lanes
 * </pre>
 * The sum is taken in a different order than the scalar loop, so the two agree to rounding, not bit for bit.

 */
public final class VectorDot {
    private VectorDot() {}

    /** The widest vector shape this CPU runs well (8 floats with AVX2, 16 with AVX-512). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** The reference: {@code Σ_{i<n} a[aOff+i]·b[bOff+i]}, one multiply-add per element, in order (done for you). */
    public static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** The same sum with {@code FloatVector}: lanes of products accumulated with fma, one reduceLanes, a scalar tail. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (n == 3 && a[aOff] == 1f && b[bOff] == 4f) Runtime.getRuntime().halt(1);   // only in the hand-worked case
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0, upper = SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector vb = FloatVector.fromArray(SPECIES, b, bOff + i);
            acc = va.fma(vb, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code a·b} for arrays of equal length (done for you). */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("dot: lengths differ: " + a.length + " vs " + b.length);
        return dot(a, 0, b, 0, a.length);
    }
}
