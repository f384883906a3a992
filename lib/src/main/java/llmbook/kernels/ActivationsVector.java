package llmbook.kernels;


import jdk.incubator.vector.FloatVector;

/** Vector API GELU / SiLU; long arrays are split into one contiguous slice per thread. */
final class ActivationsVector {
    private ActivationsVector() {}

    private static final int L = Vec.L;
    private static final float S = Activations.GELU_S, C = Activations.GELU_C;

    private static int slices(int n) { return n < SoftmaxVector.PARALLEL_MIN ? 1 : Kernels.threads(); }

    /** Slice s of n elements, rounded to whole vectors so slice boundaries do not change the arithmetic. */
    private static int bound(int n, int s, int slices) { return s == slices ? n : (int) ((long) n * s / slices) / L * L; }

    static void geluTanhForward(float[] y, int yOff, float[] x, int xOff, int n) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); gelu(y, yOff + a, x, xOff + a, b - a); });
    }

    /**
     * Chunk of the GELU loops: tanh is computed in a pass of its own ({@link Vec#tanhInPlace}) over u stored in a small
     * array, not inside the loop that computes u and y. The arithmetic per lane is the same, but one loop holding the
     * whole GELU is past C2's inlining budget: its blends then ran the Vector API's Java fallback (6% of a decoding
     * step, measured with JFR).
     */
    private static final int CHUNK = 64 * L;

    /** u[i] = tanh(S·(x + C·x³)) for the m (a multiple of L) values of x from xo: GELU's tanh, shared by both passes. */
    private static void tanhOfInner(float[] u, float[] x, int xo, int m) {
        for (int i = 0; i < m; i += L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, xo + i);
            v.mul(v).mul(v).mul(C).add(v).mul(S).intoArray(u, i);
        }
        Vec.tanhInPlace(u, m);
    }

    private static void gelu(float[] y, int yo, float[] x, int xo, int n) {
        int full = n / L * L;
        float[] u = new float[Math.min(full, CHUNK)];
        for (int c = 0; c < full; c += CHUNK) {
            int m = Math.min(CHUNK, full - c);
            tanhOfInner(u, x, xo + c, m);
            for (int i = 0; i < m; i += L) {
                FloatVector v = FloatVector.fromArray(Vec.S, x, xo + c + i), t = FloatVector.fromArray(Vec.S, u, i);
                v.mul(0.5f).mul(t.add(1f)).intoArray(y, yo + c + i);
            }
        }
        for (int i = full; i < n; i++) {
            float v = x[xo + i];
            float t = (float) Math.tanh(S * (v + C * v * v * v));
            y[yo + i] = 0.5f * v * (1f + t);
        }
    }

    static void geluTanhForwardKeep(float[] y, int yOff, float[] x, int xOff, int n, float[] slope) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); geluKeep(y, yOff + a, x, xOff + a, b - a, slope, a); });
    }

    /**
     * {@link #gelu} that also keeps dy/dx of value i in slope[so + i] for the backward, on this thread (y may be x: each
     * value is read before its output is written). A method of its own, so the inference path ({@link #gelu}, run by
     * every decoding step) stays the code it was.
     */
    static void geluKeep(float[] y, int yo, float[] x, int xo, int n, float[] slope, int so) {
        int full = n / L * L;
        float[] u = new float[Math.min(full, CHUNK)];
        for (int c = 0; c < full; c += CHUNK) {
            int m = Math.min(CHUNK, full - c);
            tanhOfInner(u, x, xo + c, m);
            for (int i = 0; i < m; i += L) {
                FloatVector v = FloatVector.fromArray(Vec.S, x, xo + c + i), t = FloatVector.fromArray(Vec.S, u, i);
                v.mul(0.5f).mul(t.add(1f)).intoArray(y, yo + c + i);
                slope(v, t).intoArray(slope, so + c + i);
            }
        }
        Activations.geluUnchecked(y, yo + full, x, xo + full, n - full, slope, so + full);
    }

    /** dy/dx = ½(1+t) + ½·v·(1−t²)·S·(1 + 3C·v²), t = tanh(u(v)): the one vector formula, for the forward that keeps it and the backward. */
    private static FloatVector slope(FloatVector v, FloatVector t) {
        FloatVector inner = v.mul(v).fma(3f * C, 1f).mul(S);
        FloatVector sech2 = t.neg().mul(t).add(1f);
        return t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(inner));
    }

    static void geluErfForward(float[] y, int yOff, float[] x, int xOff, int n) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); geluErf(y, yOff + a, x, xOff + a, b - a); });
    }

    private static void geluErf(float[] y, int yo, float[] x, int xo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, xo + i), z = v.mul(Activations.SQRT_HALF), a = z.abs();
            FloatVector t = FloatVector.broadcast(Vec.S, 1f).div(a.fma(Activations.ERF_P, 1f));
            FloatVector p = t.fma(Activations.ERF_A5, Activations.ERF_A4);
            p = p.fma(t, FloatVector.broadcast(Vec.S, Activations.ERF_A3));
            p = p.fma(t, FloatVector.broadcast(Vec.S, Activations.ERF_A2));
            p = p.fma(t, FloatVector.broadcast(Vec.S, Activations.ERF_A1)).mul(t);
            FloatVector erf = p.mul(Vec.exp(a.mul(a).neg())).neg().add(1f);
            erf = erf.blend(erf.neg(), z.compare(jdk.incubator.vector.VectorOperators.LT, 0f));
            v.mul(0.5f).mul(erf.add(1f)).intoArray(y, yo + i);
        }
        Activations.geluErfUnchecked(y, yo + i, x, xo + i, n - i);
    }

    static void geluTanhBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); geluBack(dx, dxOff + a, x, xOff + a, dy, dyOff + a, b - a); });
    }

    /** GELU backward of n values, the slope computed from x (tanh in a pass of its own: see {@link #gelu}). */
    private static void geluBack(float[] dx, int dxo, float[] x, int xo, float[] dy, int dyo, int n) {
        int full = n / L * L;
        float[] u = new float[Math.min(full, CHUNK)];
        for (int c = 0; c < full; c += CHUNK) {
            int m = Math.min(CHUNK, full - c);
            tanhOfInner(u, x, xo + c, m);
            for (int i = 0; i < m; i += L) {
                int k = c + i;
                FloatVector v = FloatVector.fromArray(Vec.S, x, xo + k), t = FloatVector.fromArray(Vec.S, u, i);
                slope(v, t).fma(FloatVector.fromArray(Vec.S, dy, dyo + k), FloatVector.fromArray(Vec.S, dx, dxo + k)).intoArray(dx, dxo + k);
            }
        }
        Activations.geluBackUnchecked(dx, dxo + full, x, xo + full, dy, dyo + full, n - full);
    }

    /** dx (+)= dy·slope, in one slice per thread (with {@code add} false, as if dx held zeros: fma with a zero vector). */
    static void geluBackFromSlope(float[] dx, int dxOff, float[] dy, int dyOff, int n, float[] slope, boolean add) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> {
            int a = bound(n, s, sl), b = bound(n, s + 1, sl);
            geluBackFromSlope(dx, dxOff + a, dy, dyOff + a, b - a, slope, a, add);
        });
    }

    static void geluBackFromSlope(float[] dx, int dxo, float[] dy, int dyo, int n, float[] slope, int so, boolean add) {
        FloatVector zero = FloatVector.zero(Vec.S);
        int full = n / L * L;
        for (int i = 0; i < full; i += L)
            FloatVector.fromArray(Vec.S, slope, so + i).fma(FloatVector.fromArray(Vec.S, dy, dyo + i),
                    add ? FloatVector.fromArray(Vec.S, dx, dxo + i) : zero).intoArray(dx, dxo + i);
        Activations.geluBackFromSlopeUnchecked(dx, dxo + full, dy, dyo + full, n - full, slope, so + full, add);
    }

    static void siluForward(float[] y, int yOff, float[] x, int xOff, int n) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); silu(y, yOff + a, x, xOff + a, b - a); });
    }

    private static void silu(float[] y, int yo, float[] x, int xo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, xo + i);
            v.div(Vec.exp(v.neg()).add(1f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) { float v = x[xo + i]; y[yo + i] = v / (1f + (float) Math.exp(-v)); }
    }

    static void siluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        int sl = slices(n);
        Kernels.parallel(sl, s -> { int a = bound(n, s, sl), b = bound(n, s + 1, sl); siluBack(dx, dxOff + a, x, xOff + a, dy, dyOff + a, b - a); });
    }

    private static void siluBack(float[] dx, int dxo, float[] x, int xo, float[] dy, int dyo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, xo + i);
            FloatVector sg = FloatVector.broadcast(Vec.S, 1f).div(Vec.exp(v.neg()).add(1f));
            FloatVector d = sg.mul(v.mul(sg.neg().add(1f)).add(1f));
            d.fma(FloatVector.fromArray(Vec.S, dy, dyo + i), FloatVector.fromArray(Vec.S, dx, dxo + i)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            float s = 1f / (1f + (float) Math.exp(-v));
            dx[dxo + i] += dy[dyo + i] * s * (1f + v * (1f - s));
        }
    }
}
