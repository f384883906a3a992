package llmbook.kernels;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Small Vector API leaf loops over one row, shared by the row kernels (softmax, norms, attention).
 *
 * <p>Every method takes only arrays, offsets, lengths and scalars, and returns a scalar or nothing, so its
 * {@code FloatVector}s live in registers (a vector passed across a call that is not inlined becomes a heap
 * object). Reductions keep four accumulators to hide FMA latency and sum the lanes once, with
 * {@link #sumLanes} rather than {@code reduceLanes(ADD)}, whose order differs between compiled and
 * interpreted code.
 * Remainders are handled by scalar loops, the same arithmetic as the scalar twins.
 */
final class Vec {
    private Vec() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    // e^x, Cephes-style: x = n·ln2 + r with |r| ≤ ½ln2, e^r by a degree-7 polynomial, 2^n by building
    // the exponent bits. Only IEEE-exact steps (fma, mul, add, compares, bit moves), so the result has
    // the same bits whether the JIT has compiled the loop or not. lanewise(EXP) does not: its compiled
    // intrinsic and its Java fallback differ in the last bit, which broke "one thread is bitwise
    // reproducible" (a run that starts interpreted and ends compiled). Max error ≈ 2 ulp (tested).
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float MAGIC = 12582912f;              // 1.5·2²³: x + MAGIC − MAGIC rounds x to an integer
    private static final int MAGIC_BITS = 0x4B400000;
    private static final float EXP_HI = 88.3762626647949f;     // e^x for larger x would need 2¹²⁸
    private static final float EXP_OVERFLOW = 88.72283905206835f, EXP_UNDERFLOW = -87.33654475055310898657f;

    /** e^x lane-wise, bit-identical compiled or interpreted: +∞ above ≈88.72, 0 below ≈−87.34, NaN stays NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector y = expClamped(x);
        y = y.blend(0f, x.compare(LT, EXP_UNDERFLOW));
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(GT, EXP_OVERFLOW));
        return y.blend(x, x.compare(NE, x));
    }

    /**
     * {@link #exp} for arguments ≤ 0 or NaN (a row minus its max, or minus its log-sum-exp): the same bits with one
     * blend instead of three (below ≈−87.34, e.g. a masked −∞, it is exactly 0; a NaN stays NaN), so the unrolled
     * loops that call it stay small enough for C2 to keep every vector op compiled.
     */
    static FloatVector expNonPositive(FloatVector x) {
        return expClamped(x).blend(0f, x.compare(LT, EXP_UNDERFLOW));
    }

    /**
     * {@link #exp} without its three special-case blends: arguments are clamped to [≈−87.34, ≈88.38], so it is finite
     * and positive for every number (NaN stays NaN). For callers that need no infinities: every extra blend makes the
     * caller bigger, and past C2's inlining budget a blend runs the Vector API's Java fallback (seen in {@link #tanh}).
     */
    static FloatVector expClamped(FloatVector x) {
        FloatVector c = x.max(EXP_UNDERFLOW).min(EXP_HI);
        FloatVector t = c.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, MAGIC));
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500E-4f);
        p = p.fma(r, FloatVector.broadcast(S, 1.3981999507E-3f));
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073E-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894E-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459E-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201E-1f));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127).lanewise(LSHL, 23);
        return er.mul((FloatVector) bits.reinterpretAsFloats());
    }

    /**
     * tanh(x) lane-wise, bit-identical compiled or interpreted: an odd polynomial for |x| < 0.625
     * (Cephes tanhf), else sign(x)·(1 − 2/(e^{2|x|} + 1)) with {@link #exp}.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.lanewise(ABS);
        // e^{2|x|} clamped rather than infinite past ≈88.7: 2/(e + 1) is then a subnormal and 1 − it rounds to 1, the
        // same float as with +∞; a NaN is put back by the last blend. So tanh keeps its bits with half the blends.
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(expClamped(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, -5.70498872745E-3f);
        p = p.fma(z, FloatVector.broadcast(S, 2.06390887954E-2f));
        p = p.fma(z, FloatVector.broadcast(S, -5.37397155531E-2f));
        p = p.fma(z, FloatVector.broadcast(S, 1.33314422036E-1f));
        p = p.fma(z, FloatVector.broadcast(S, -3.33332819422E-1f));
        FloatVector small = p.mul(z).fma(x, x);
        return big.blend(small, a.compare(LT, 0.625f)).blend(x, x.compare(NE, x));
    }

    /** a[i] = tanh(a[i]) for i < n, n a multiple of L: a loop of its own, small enough for C2 to compile every blend. */
    static void tanhInPlace(float[] a, int n) {
        for (int i = 0; i < n; i += L) tanh(FloatVector.fromArray(S, a, i)).intoArray(a, i);
    }

    /** Rotations by L/2, L/4, …, 1 lanes: the fixed tree of {@link #sumLanes}. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] FOLD = new VectorShuffle[Integer.numberOfTrailingZeros(L)];
    static {
        for (int k = 0, h = L / 2; h >= 1; h /= 2, k++) {
            int half = h;
            FOLD[k] = VectorShuffle.fromOp(S, i -> (i + half) % L);
        }
    }

    /**
     * The sum of the lanes, always added in lane order. {@code reduceLanes(ADD)} leaves the order open,
     * and its compiled form adds in a tree while the Java fallback adds in sequence: the last bit of a
     * row sum then depends on whether the JIT has compiled the loop yet.
     */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    /**
     * The sum of the lanes in a fixed tree of rotations (lane i plus lane i + L/2, then L/4, … down to lane 0): also
     * the same arithmetic compiled or interpreted, and log₂L shuffles instead of L lane extractions. Used by the
     * decoding path ({@link #matvec}); training keeps {@link #sumLanes}, so its loss curves are unchanged.
     */
    static float sumLanesTree(FloatVector v) {
        for (VectorShuffle<Float> f : FOLD) v = v.add(v.rearrange(f));
        return v.lane(0);
    }

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
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
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
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
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
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) { float d = x[o + i] - mu; s += d * d; }
        return s;
    }

    /** y[yo+i] = exp(x[xo+i] − shift) for a shift ≥ every x (a max, a log-sum-exp); returns Σ y. */
    static float expShift(float[] y, int yo, float[] x, int xo, int n, float shift) {
        // Two sums, of the even and of the odd vectors, swapped at every vector (one body calling the exponential once;
        // see expShiftSum); a + b = b + a exactly, so the order of the final sum does not matter.
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector e = expNonPositive(FloatVector.fromArray(S, x, xo + i).sub(shift));
            e.intoArray(y, yo + i);
            FloatVector t = a.add(e);
            a = b;
            b = t;
        }
        FloatVector ab = a.add(b);
        float s = 0f;
        for (int l = 0; l < L; l++) s += ab.lane(l);                   // sumLanes, written here: see expShiftSum
        for (; i < n; i++) { float e = (float) Math.exp(x[xo + i] - shift); y[yo + i] = e; s += e; }
        return s;
    }

    /**
     * {@link #expShift} for n a multiple of L that leaves its sum unfinished: the vector whose lanes expShift adds in
     * lane order is stored at lanes[lo .. lo + L), for {@link #sumLanes4} to finish four rows' sums side by side (one
     * row's sixteen dependent additions were a fifth of attention's forward). Same values, same sums, same bits.
     */
    static void expShiftLanes(float[] y, int yo, float[] x, int xo, int n, float shift, float[] lanes, int lo) {
        if (n % L != 0) throw new IllegalArgumentException("expShiftLanes: n = " + n + " is not a multiple of " + L);
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            FloatVector e = expNonPositive(FloatVector.fromArray(S, x, xo + i).sub(shift));
            e.intoArray(y, yo + i);
            FloatVector t = a.add(e);
            a = b;
            b = t;
        }
        a.add(b).intoArray(lanes, lo);
    }

    /** max[r] = the maximum of row r for four rows ld apart from o, n a multiple of L (any order gives the same maximum). */
    static void max4(float[] x, int o, int ld, int n, float[] max) {
        if (n % L != 0 || n == 0) throw new IllegalArgumentException("max4: n = " + n + " is not a positive multiple of " + L);
        FloatVector m0 = FloatVector.fromArray(S, x, o), m1 = FloatVector.fromArray(S, x, o + ld);
        FloatVector m2 = FloatVector.fromArray(S, x, o + 2 * ld), m3 = FloatVector.fromArray(S, x, o + 3 * ld);
        for (int i = L; i < n; i += L) {
            int i0 = o + i;
            m0 = m0.max(FloatVector.fromArray(S, x, i0));
            m1 = m1.max(FloatVector.fromArray(S, x, i0 + ld));
            m2 = m2.max(FloatVector.fromArray(S, x, i0 + 2 * ld));
            m3 = m3.max(FloatVector.fromArray(S, x, i0 + 3 * ld));
        }
        max[0] = m0.reduceLanes(MAX); max[1] = m1.reduceLanes(MAX); max[2] = m2.reduceLanes(MAX); max[3] = m3.reduceLanes(MAX);
    }

    /**
     * {@link #dot}'s vector for n a multiple of L, stored at lanes[lo .. lo + L) instead of summed: {@link #sumLanes4}
     * then gives dot's value for four rows at once. Its loop repeats dot's on purpose: a shared helper returning the
     * vector is boxed wherever C2 does not inline it (see {@link #expShiftSum}), and dot runs in LayerNorm's backward.
     */
    static void dotLanes(float[] a, int ao, float[] b, int bo, int n, float[] lanes, int lo) {
        if (n % L != 0) throw new IllegalArgumentException("dotLanes: n = " + n + " is not a multiple of " + L);
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
            s1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), s1);
            s2 = FloatVector.fromArray(S, a, ao + i + 2 * L).fma(FloatVector.fromArray(S, b, bo + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, ao + i + 3 * L).fma(FloatVector.fromArray(S, b, bo + i + 3 * L), s3);
        }
        for (; i < n; i += L) s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
        s0.add(s1).add(s2.add(s3)).intoArray(lanes, lo);
    }

    /**
     * sums[r] = the lanes of lanes[r·L .. r·L + L) added in lane order from 0 ({@link #sumLanes}'s order), for r < 4:
     * four independent chains interleaved, so the processor overlaps them instead of waiting on each addition.
     */
    static void sumLanes4(float[] lanes, float[] sums) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int l = 0; l < L; l++) {
            s0 += lanes[l];
            s1 += lanes[L + l];
            s2 += lanes[2 * L + l];
            s3 += lanes[3 * L + l];
        }
        sums[0] = s0; sums[1] = s1; sums[2] = s2; sums[3] = s3;
    }

    /** y[yo+i] = exp(x[xo+i] − shift) for a shift ≥ every x: {@link #expShift}'s values, without the sum nobody reads. */
    static void expShiftStore(float[] y, int yo, float[] x, int xo, int n, float shift) {
        int i = 0;
        for (; i <= n - L; i += L) expNonPositive(FloatVector.fromArray(S, x, xo + i).sub(shift)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (float) Math.exp(x[xo + i] - shift);
    }

    /**
     * Σ exp(x[xo+i] − shift), storing nothing. Like {@link #expShift} it calls the exponential from one place and sums
     * the lanes inline: with a second or third call site C2 reached its inlining node budget before the last calls,
     * and a call that is not inlined takes and returns boxed vectors — an allocation on every call of this method.
     */
    static float expShiftSum(float[] x, int xo, int n, float shift) {
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector t = a.add(expNonPositive(FloatVector.fromArray(S, x, xo + i).sub(shift)));
            a = b;
            b = t;
        }
        FloatVector ab = a.add(b);
        float s = 0f;
        for (int l = 0; l < L; l++) s += ab.lane(l);
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

    /** Columns per register block of {@link #addRows}: four vectors. */
    static final int ADD_ROWS_BLOCK = 4 * L;

    /**
     * y[yo + j] += Σ_r x[xo + r·n + j] for j0 ≤ j &lt; j1, rows added in order (the same additions as row after row):
     * four vectors of columns stay in registers over all the rows, so y is read and written once.
     */
    static void addRows(float[] x, int xo, int rows, int n, float[] y, int yo, int j0, int j1) {
        int j = j0;
        for (; j <= j1 - 4 * L; j += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, y, yo + j), a1 = FloatVector.fromArray(S, y, yo + j + L);
            FloatVector a2 = FloatVector.fromArray(S, y, yo + j + 2 * L), a3 = FloatVector.fromArray(S, y, yo + j + 3 * L);
            for (int r = 0, o = xo + j; r < rows; r++, o += n) {
                a0 = a0.add(FloatVector.fromArray(S, x, o));
                a1 = a1.add(FloatVector.fromArray(S, x, o + L));
                a2 = a2.add(FloatVector.fromArray(S, x, o + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, x, o + 3 * L));
            }
            a0.intoArray(y, yo + j); a1.intoArray(y, yo + j + L); a2.intoArray(y, yo + j + 2 * L); a3.intoArray(y, yo + j + 3 * L);
        }
        for (; j <= j1 - L; j += L) {
            FloatVector a = FloatVector.fromArray(S, y, yo + j);
            for (int r = 0, o = xo + j; r < rows; r++, o += n) a = a.add(FloatVector.fromArray(S, x, o));
            a.intoArray(y, yo + j);
        }
        if (j < j1) {                                         // the last j1 − j < L columns: one masked vector
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector a = FloatVector.fromArray(S, y, yo + j, m);
            for (int r = 0, o = xo + j; r < rows; r++, o += n) a = a.add(FloatVector.fromArray(S, x, o, m));
            a.intoArray(y, yo + j, m);
        }
    }

    /** y[yo+i] += alpha·x[xo+i] over i < n. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - L; i += L)
            FloatVector.fromArray(S, x, xo + i).fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /**
     * y[yo + r] = scale·(W_r·x) for r < rows, where row r of W starts at {@code wo + r·ldw} (cols floats) and x at xo.
     * Four rows share every load of x (a matrix-vector product is bound by reading W once).
     */
    // Eight rows reduced together (matvec8): level k folds pairs of vectors by h = L/2, L/4, L/8 lanes; the left
    // vector of a pair keeps the lanes i with (i / h) even, the right one the odd ones.
    private static final boolean EIGHT = L >= 8;
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] ODD = new VectorMask[3];
    private static final FloatVector[] PICK = new FloatVector[3];     // lane i's partner: left[i + h] (i/h even) or right[i − h]
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] TAIL = new VectorShuffle[Math.max(0, Integer.numberOfTrailingZeros(L) - 3)];
    private static final VectorShuffle<Float> GATHER8;   // lanes of the row sums, in row order, into lanes 0..7
    private static final VectorMask<Float> FIRST8;
    static {
        int[][] label = new int[8][L];                                 // which row's partial sum each lane holds
        for (int r = 0; r < 8; r++) java.util.Arrays.fill(label[r], r);
        int vectors = 8;
        for (int k = 0; k < 3 && EIGHT; k++) {
            int h = L >> (k + 1);
            boolean[] odd = new boolean[L];
            for (int i = 0; i < L; i++) odd[i] = (i / h) % 2 == 1;
            ODD[k] = VectorMask.fromArray(S, odd, 0);
            float[] pick = new float[L];
            for (int i = 0; i < L; i++) pick[i] = odd[i] ? L + i - h : i + h;      // selectFrom: 0 … L−1 from left, L … 2L−1 from right
            PICK[k] = FloatVector.fromArray(S, pick, 0);
            for (int p = 0; p < vectors / 2; p++)
                for (int i = 0; i < L; i++) label[p][i] = odd[i] ? label[2 * p + 1][i] : label[2 * p][i];
            vectors /= 2;
        }
        for (int t = 0, h = L / 16; h >= 1; h /= 2, t++) {
            int hh = h;
            TAIL[t] = VectorShuffle.fromOp(S, i -> (i + hh) % L);
        }
        int[] src = new int[L];
        boolean[] first = new boolean[L];
        int step = EIGHT ? L / 8 : 1;                                   // after the three folds a row fills L/8 lanes
        for (int r = 0; r < 8 && EIGHT; r++) {
            for (int i = 0; i < L; i += step) if (label[0][i] == r) src[r] = i;
            first[r] = true;
        }
        GATHER8 = VectorShuffle.fromArray(S, src, 0);
        FIRST8 = VectorMask.fromArray(S, first, 0);
    }

    /** Folds a left and a right vector at level k: the left's lanes (i / h) even, the right's odd, each summed over h lanes. */
    private static FloatVector fold(FloatVector left, FloatVector right, int k) {
        return left.blend(right, ODD[k]).add(PICK[k].selectFrom(left, right));   // one two-source permute (vpermt2ps)
    }

    /**
     * Eight rows of {@code y = scale·W·x} at once, their eight row sums reduced together: three levels of folds turn
     * eight accumulators into one vector (instead of one reduction tree per row), a last fold adds the L/8 lanes a
     * row still spans, and one shuffle puts the sums in row order. The same arithmetic compiled or interpreted.
     */
    private static void matvec8(float[] y, int yo, float[] w, int wo, int ldw, float[] x, int xo, int cols, float scale) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S),
                a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        int w0 = wo, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw, w4 = w3 + ldw, w5 = w4 + ldw, w6 = w5 + ldw, w7 = w6 + ldw;
        for (int j = 0; j < cols; j += L) {                            // cols is a multiple of L
            FloatVector xv = FloatVector.fromArray(S, x, xo + j);
            a0 = FloatVector.fromArray(S, w, w0 + j).fma(xv, a0);
            a1 = FloatVector.fromArray(S, w, w1 + j).fma(xv, a1);
            a2 = FloatVector.fromArray(S, w, w2 + j).fma(xv, a2);
            a3 = FloatVector.fromArray(S, w, w3 + j).fma(xv, a3);
            a4 = FloatVector.fromArray(S, w, w4 + j).fma(xv, a4);
            a5 = FloatVector.fromArray(S, w, w5 + j).fma(xv, a5);
            a6 = FloatVector.fromArray(S, w, w6 + j).fma(xv, a6);
            a7 = FloatVector.fromArray(S, w, w7 + j).fma(xv, a7);
        }
        FloatVector b0 = fold(a0, a1, 0), b1 = fold(a2, a3, 0), b2 = fold(a4, a5, 0), b3 = fold(a6, a7, 0);
        FloatVector c0 = fold(b0, b1, 1), c1 = fold(b2, b3, 1);
        FloatVector d = fold(c0, c1, 2);
        for (VectorShuffle<Float> t : TAIL) d = d.add(d.rearrange(t));   // a row still spans L/8 neighbouring lanes
        d = d.rearrange(GATHER8);
        if (scale != 1f) d = d.mul(scale);
        if (yo + L <= y.length) d.intoArray(y, yo, FIRST8);
        else for (int r = 0; r < 8; r++) y[yo + r] = d.lane(r);     // a masked store reaching past the array's end takes
    }                                                                  // the JDK's lane-by-lane checked path: far slower

    /**
     * {@code y[yo + r] = scale · W[r, :]·x} for r < rows, W row-major with leading dimension {@code ldw}: one token
     * through a linear layer (decoding), where the row reductions dominate: eight rows at a time reduced together
     * ({@link #matvec8}), the rest in fours with {@link #sumLanesTree}.
     */
    static void matvec(float[] y, int yo, float[] w, int wo, int ldw, float[] x, int xo, int rows, int cols, float scale) {
        matvec(y, yo, w, wo, ldw, x, xo, rows, cols, scale, null, 0);
    }

    /** As above, then {@code y[yo + r] += bias[bo + r]} (a linear layer's bias, added while y is still in L1). */
    static void matvec(float[] y, int yo, float[] w, int wo, int ldw, float[] x, int xo, int rows, int cols, float scale, float[] bias, int bo) {
        int r = 0;
        if (EIGHT && cols % L == 0 && cols > 0)
            for (; r + 8 <= rows; r += 8) matvec8(y, yo + r, w, wo + r * ldw, ldw, x, xo, cols, scale);
        for (; r + 4 <= rows; r += 4) {
            int w0 = wo + r * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            int j = 0;
            for (; j <= cols - L; j += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xo + j);
                a0 = FloatVector.fromArray(S, w, w0 + j).fma(xv, a0);
                a1 = FloatVector.fromArray(S, w, w1 + j).fma(xv, a1);
                a2 = FloatVector.fromArray(S, w, w2 + j).fma(xv, a2);
                a3 = FloatVector.fromArray(S, w, w3 + j).fma(xv, a3);
            }
            float s0 = sumLanesTree(a0), s1 = sumLanesTree(a1), s2 = sumLanesTree(a2), s3 = sumLanesTree(a3);
            for (; j < cols; j++) {
                float xj = x[xo + j];
                s0 += w[w0 + j] * xj; s1 += w[w1 + j] * xj; s2 += w[w2 + j] * xj; s3 += w[w3 + j] * xj;
            }
            y[yo + r] = s0 * scale; y[yo + r + 1] = s1 * scale; y[yo + r + 2] = s2 * scale; y[yo + r + 3] = s3 * scale;
        }
        for (; r < rows; r++) {
            FloatVector a = FloatVector.zero(S);
            int j = 0, wr = wo + r * ldw;
            for (; j <= cols - L; j += L) a = FloatVector.fromArray(S, w, wr + j).fma(FloatVector.fromArray(S, x, xo + j), a);
            float sum = sumLanesTree(a);
            for (; j < cols; j++) sum += w[wr + j] * x[xo + j];
            y[yo + r] = sum * scale;
        }
        if (bias != null) for (r = 0; r < rows; r++) y[yo + r] += bias[bo + r];
    }

}
