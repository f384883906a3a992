package llmbook.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Small Vector API leaf loops over one row, shared by the row kernels (softmax, norms, attention).
 *
 * <p>Every method takes only arrays, offsets, lengths and scalars, and returns a scalar or nothing, so its
 * {@code FloatVector}s live in registers (a vector passed across a call that is not inlined becomes a heap
 * object). Reductions keep four accumulators to hide FMA latency and call {@code reduceLanes} once.
 * Remainders are handled by scalar loops, the same arithmetic as the scalar twins.
 */
final class Vec {
    private Vec() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** max of x[o .. o+n); −∞ when n = 0. */
    static float max(float[] x, int o, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= 4 * L) {
            FloatVector m0 = FloatVector.fromArray(S, x, o), m1 = FloatVector.fromArray(S, x, o + L);
            FloatVector m2 = FloatVector.fromArray(S, x, o + 2 * L), m3 = FloatVector.fromArray(S, x, o + 3 * L);
            for (i = 4 * L; i <= n - 4 * L; i += 4 * L) {
                m0 = m0.max(FloatVector.fromArray(S, x, o + i));
                m1 = m1.max(FloatVector.fromArray(S, x, o + i + L));
                m2 = m2.max(FloatVector.fromArray(S, x, o + i + 2 * L));
                m3 = m3.max(FloatVector.fromArray(S, x, o + i + 3 * L));
            }
            m = m0.max(m1).max(m2.max(m3)).reduceLanes(MAX);
        }
        for (; i <= n - L; i += L) m = Math.max(m, FloatVector.fromArray(S, x, o + i).reduceLanes(MAX));
        for (; i < n; i++) m = Math.max(m, x[o + i]);
        return m;
    }

    /** Σ x[o .. o+n). */
    static float sum(float[] x, int o, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, o + i));
            s1 = s1.add(FloatVector.fromArray(S, x, o + i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, o + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, o + i + 3 * L));
        }
        for (; i <= n - L; i += L) s0 = s0.add(FloatVector.fromArray(S, x, o + i));
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        for (; i < n; i++) s += x[o + i];
        return s;
    }

    /** Σ a[ao+i]·b[bo+i] over i < n. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
            s1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), s1);
            s2 = FloatVector.fromArray(S, a, ao + i + 2 * L).fma(FloatVector.fromArray(S, b, bo + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, ao + i + 3 * L).fma(FloatVector.fromArray(S, b, bo + i + 3 * L), s3);
        }
        for (; i <= n - L; i += L) s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** Σ (x[o+i] − mu)² over i < n. */
    static float sumSqDev(float[] x, int o, int n, float mu) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, o + i).sub(mu), d1 = FloatVector.fromArray(S, x, o + i + L).sub(mu);
            FloatVector d2 = FloatVector.fromArray(S, x, o + i + 2 * L).sub(mu), d3 = FloatVector.fromArray(S, x, o + i + 3 * L).sub(mu);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
            s2 = d2.fma(d2, s2);
            s3 = d3.fma(d3, s3);
        }
        for (; i <= n - L; i += L) { FloatVector d = FloatVector.fromArray(S, x, o + i).sub(mu); s0 = d.fma(d, s0); }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        for (; i < n; i++) { float d = x[o + i] - mu; s += d * d; }
        return s;
    }

    /** y[yo+i] = exp(x[xo+i] − shift); returns Σ y. */
    static float expShift(float[] y, int yo, float[] x, int xo, int n, float shift) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector e0 = FloatVector.fromArray(S, x, xo + i).sub(shift).lanewise(EXP);
            FloatVector e1 = FloatVector.fromArray(S, x, xo + i + L).sub(shift).lanewise(EXP);
            e0.intoArray(y, yo + i);
            e1.intoArray(y, yo + i + L);
            s0 = s0.add(e0);
            s1 = s1.add(e1);
        }
        for (; i <= n - L; i += L) {
            FloatVector e0 = FloatVector.fromArray(S, x, xo + i).sub(shift).lanewise(EXP);
            e0.intoArray(y, yo + i);
            s0 = s0.add(e0);
        }
        float s = s0.add(s1).reduceLanes(ADD);
        for (; i < n; i++) { float e = (float) Math.exp(x[xo + i] - shift); y[yo + i] = e; s += e; }
        return s;
    }

    /** Σ exp(x[xo+i] − shift), storing nothing. */
    static float expShiftSum(float[] x, int xo, int n, float shift) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xo + i).sub(shift).lanewise(EXP));
            s1 = s1.add(FloatVector.fromArray(S, x, xo + i + L).sub(shift).lanewise(EXP));
        }
        for (; i <= n - L; i += L) s0 = s0.add(FloatVector.fromArray(S, x, xo + i).sub(shift).lanewise(EXP));
        float s = s0.add(s1).reduceLanes(ADD);
        for (; i < n; i++) s += (float) Math.exp(x[xo + i] - shift);
        return s;
    }

    /** y[yo+i] = x[xo+i]·a + b. */
    static void scaleShift(float[] y, int yo, float[] x, int xo, int n, float a, float b) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).fma(a, b).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = x[xo + i] * a + b;
    }

    /** y[yo+i] += x[xo+i]. */
    static void addTo(float[] y, int yo, float[] x, int xo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += x[xo + i];
    }
}
