package llmbook.kernels;

/**
 * Elementwise activations over n floats, forward overwriting {@code y} and backward accumulating into {@code dx}. Q39.
 *
 * <p>GELU (tanh approximation, as in GPT-2): {@code y = ½·x·(1 + tanh(u))}, {@code u = √(2/π)·(x + 0.044715·x³)};
 * {@code dy/dx = ½(1 + tanh u) + ½·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²)}.
 *
 * <p>GELU, exact form (BERT's, so MiniLM's): {@code y = ½·x·(1 + erf(x/√2))}, erf by Abramowitz & Stegun 7.1.26
 * ({@code erf z = 1 − t(a₁ + t(a₂ + t(a₃ + t(a₄ + t·a₅))))·e^{−z²}}, {@code t = 1/(1 + p|z|)}, odd in z; 1.5e-7 absolute)
 * in float arithmetic. Forward only: the backward of this rarely trained activation stays in {@code Functional}.
 *
 * <p>SiLU (swish, used in SwiGLU): {@code y = x·σ(x)}, {@code dy/dx = σ(x)·(1 + x·(1 − σ(x)))}.
 */
public final class Activations {
    private Activations() {}

    static final float GELU_S = (float) Math.sqrt(2.0 / Math.PI);
    static final float GELU_C = 0.044715f;
    static final float SQRT_HALF = (float) Math.sqrt(0.5), ERF_P = 0.3275911f,
            ERF_A1 = 0.254829592f, ERF_A2 = -0.284496736f, ERF_A3 = 1.421413741f, ERF_A4 = -1.453152027f, ERF_A5 = 1.061405429f;

    public static void geluErfForward(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.geluErfForward", y, yOff, x, xOff, n);
        if (Kernels.usingVector()) ActivationsVector.geluErfForward(y, yOff, x, xOff, n);
        else geluErfUnchecked(y, yOff, x, xOff, n);
    }

    public static void geluErfForwardScalar(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.geluErfForwardScalar", y, yOff, x, xOff, n);
        geluErfUnchecked(y, yOff, x, xOff, n);
    }

    static void geluErfUnchecked(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i], z = v * SQRT_HALF, a = Math.abs(z), t = 1f / (1f + ERF_P * a);
            float poly = t * (ERF_A1 + t * (ERF_A2 + t * (ERF_A3 + t * (ERF_A4 + t * ERF_A5))));
            float erf = 1f - poly * (float) Math.exp(-a * a);
            y[yOff + i] = 0.5f * v * (1f + Math.copySign(erf, z));
        }
    }

    public static void geluTanhForward(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.geluTanhForward", y, yOff, x, xOff, n);
        if (Kernels.usingVector()) ActivationsVector.geluTanhForward(y, yOff, x, xOff, n);
        else geluUnchecked(y, yOff, x, xOff, n);
    }

    /**
     * As {@link #geluTanhForward(float[], int, float[], int, int)}, and {@code slope[i] = dy/dx} at x_i: all the
     * backward needs ({@link #geluTanhBackwardFromSlope}), so a layer that trains computes each tanh once instead of
     * twice and its backward reads two arrays instead of three. The slope has the bits the recomputing backward
     * ({@link #geluTanhBackward(float[], int, float[], int, float[], int, int)}) multiplies by. The inference path above
     * is left as it is.
     */
    public static void geluTanhForward(float[] y, int yOff, float[] x, int xOff, int n, float[] slope) {
        check2("Activations.geluTanhForward", y, yOff, x, xOff, n);
        checkSlope("Activations.geluTanhForward", slope, n);
        if (Kernels.usingVector()) ActivationsVector.geluTanhForwardKeep(y, yOff, x, xOff, n, slope);
        else geluUnchecked(y, yOff, x, xOff, n, slope, 0);
    }

    /** {@code dx += dy · dy/dx}, the slope computed from x. */
    public static void geluTanhBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.geluTanhBackward", dx, dxOff, x, xOff, dy, dyOff, n);
        if (Kernels.usingVector()) ActivationsVector.geluTanhBackward(dx, dxOff, x, xOff, dy, dyOff, n);
        else geluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    /**
     * {@code dx (+)= dy · slope}, the slope kept by {@link #geluTanhForward(float[], int, float[], int, int, float[])}:
     * the bits of the recomputing backward. With {@code add} false dx's old contents are not read: it receives exactly
     * what adding into zeros would give (the same operations on a 0 instead of a load), so a fresh gradient needs no
     * clearing first.
     */
    public static void geluTanhBackwardFromSlope(float[] dx, int dxOff, float[] dy, int dyOff, int n, float[] slope, boolean add) {
        checkFromSlope("Activations.geluTanhBackwardFromSlope", dx, dxOff, dy, dyOff, n, slope);
        if (Kernels.usingVector()) ActivationsVector.geluBackFromSlope(dx, dxOff, dy, dyOff, n, slope, add);
        else geluBackFromSlopeUnchecked(dx, dxOff, dy, dyOff, n, slope, 0, add);
    }

    private static void checkFromSlope(String k, float[] dx, int dxOff, float[] dy, int dyOff, int n, float[] slope) {
        Kernels.checkDim(k, "n", n);
        if (Kernels.outside(dx, dxOff, n)) Kernels.checkArray(k, "dx (n=" + n + ")", dx, dxOff, n);
        if (Kernels.outside(dy, dyOff, n)) Kernels.checkArray(k, "dy (n=" + n + ")", dy, dyOff, n);
        checkSlope(k, slope, n);
    }

    private static void checkSlope(String k, float[] slope, int n) {
        if (slope == null) throw new IllegalArgumentException(k + ": slope array is null (use the overload without it)");
        if (slope.length < n) throw new IllegalArgumentException(k + ": slope array too short: length " + slope.length + " < n=" + n);
    }

    public static void siluForward(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.siluForward", y, yOff, x, xOff, n);
        if (Kernels.usingVector()) ActivationsVector.siluForward(y, yOff, x, xOff, n);
        else siluUnchecked(y, yOff, x, xOff, n);
    }

    public static void siluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.siluBackward", dx, dxOff, x, xOff, dy, dyOff, n);
        if (Kernels.usingVector()) ActivationsVector.siluBackward(dx, dxOff, x, xOff, dy, dyOff, n);
        else siluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    // ---- scalar twins ----

    public static void geluTanhForwardScalar(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.geluTanhForwardScalar", y, yOff, x, xOff, n);
        geluUnchecked(y, yOff, x, xOff, n);
    }

    public static void geluTanhForwardScalar(float[] y, int yOff, float[] x, int xOff, int n, float[] slope) {
        check2("Activations.geluTanhForwardScalar", y, yOff, x, xOff, n);
        checkSlope("Activations.geluTanhForwardScalar", slope, n);
        geluUnchecked(y, yOff, x, xOff, n, slope, 0);
    }

    public static void geluTanhBackwardScalar(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.geluTanhBackwardScalar", dx, dxOff, x, xOff, dy, dyOff, n);
        geluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    public static void geluTanhBackwardFromSlopeScalar(float[] dx, int dxOff, float[] dy, int dyOff, int n, float[] slope, boolean add) {
        checkFromSlope("Activations.geluTanhBackwardFromSlopeScalar", dx, dxOff, dy, dyOff, n, slope);
        geluBackFromSlopeUnchecked(dx, dxOff, dy, dyOff, n, slope, 0, add);
    }

    public static void siluForwardScalar(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.siluForwardScalar", y, yOff, x, xOff, n);
        siluUnchecked(y, yOff, x, xOff, n);
    }

    public static void siluBackwardScalar(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.siluBackwardScalar", dx, dxOff, x, xOff, dy, dyOff, n);
        siluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    private static void geluUnchecked(float[] y, int yOff, float[] x, int xOff, int n) { geluUnchecked(y, yOff, x, xOff, n, null, 0); }

    /** Scalar GELU for i &lt; n; slope (null: not kept) receives dy/dx at {@code sOff + i}. Also the vector kernel's tail. */
    static void geluUnchecked(float[] y, int yOff, float[] x, int xOff, int n, float[] slope, int sOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float t = (float) Math.tanh(GELU_S * (v + GELU_C * v * v * v));
            if (slope != null) slope[sOff + i] = slope(v, t);
            y[yOff + i] = 0.5f * v * (1f + t);
        }
    }

    /** dy/dx of GELU at v, t = tanh(u(v)); the one scalar formula, shared by the forward that keeps it and the backward. */
    private static float slope(float v, float t) {
        return 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_S * (1f + 3f * GELU_C * v * v);
    }

    /** Scalar GELU backward for i &lt; n, the slope computed from x. Also the vector kernel's tail. */
    static void geluBackUnchecked(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            dx[dxOff + i] += dy[dyOff + i] * slope(v, (float) Math.tanh(GELU_S * (v + GELU_C * v * v * v)));
        }
    }

    /** dx (+)= dy·slope[sOff + i] for i &lt; n (written as added to 0 when {@code add} is false). Also the vector kernel's tail. */
    static void geluBackFromSlopeUnchecked(float[] dx, int dxOff, float[] dy, int dyOff, int n, float[] slope, int sOff, boolean add) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = (add ? dx[dxOff + i] : 0f) + dy[dyOff + i] * slope[sOff + i];
    }

    private static void siluUnchecked(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v / (1f + (float) Math.exp(-v));
        }
    }

    private static void siluBackUnchecked(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float s = 1f / (1f + (float) Math.exp(-v));
            dx[dxOff + i] += dy[dyOff + i] * s * (1f + v * (1f - s));
        }
    }

    static void check2(String k, float[] y, int yOff, float[] x, int xOff, int n) {
        Kernels.checkDim(k, "n", n);
        if (Kernels.outside(y, yOff, n)) Kernels.checkArray(k, "y (n=" + n + ")", y, yOff, n);
        if (Kernels.outside(x, xOff, n)) Kernels.checkArray(k, "x (n=" + n + ")", x, xOff, n);
    }

    static void check3(String k, float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        Kernels.checkDim(k, "n", n);
        if (Kernels.outside(dx, dxOff, n)) Kernels.checkArray(k, "dx (n=" + n + ")", dx, dxOff, n);
        if (Kernels.outside(x, xOff, n)) Kernels.checkArray(k, "x (n=" + n + ")", x, xOff, n);
        if (Kernels.outside(dy, dyOff, n)) Kernels.checkArray(k, "dy (n=" + n + ")", dy, dyOff, n);
    }
}
