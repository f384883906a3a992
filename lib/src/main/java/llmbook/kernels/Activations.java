package llmbook.kernels;

/**
 * Elementwise activations over n floats, forward overwriting {@code y} and backward accumulating into {@code dx}. Q39.
 *
 * <p>GELU (tanh approximation, as in GPT-2): {@code y = ½·x·(1 + tanh(u))}, {@code u = √(2/π)·(x + 0.044715·x³)};
 * {@code dy/dx = ½(1 + tanh u) + ½·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²)}.
 *
 * <p>SiLU (swish, used in SwiGLU): {@code y = x·σ(x)}, {@code dy/dx = σ(x)·(1 + x·(1 − σ(x)))}.
 */
public final class Activations {
    private Activations() {}

    static final float GELU_S = (float) Math.sqrt(2.0 / Math.PI);
    static final float GELU_C = 0.044715f;

    public static void geluTanhForward(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.geluTanhForward", y, yOff, x, xOff, n);
        if (Kernels.usingVector()) ActivationsVector.geluTanhForward(y, yOff, x, xOff, n);
        else geluUnchecked(y, yOff, x, xOff, n);
    }

    public static void geluTanhBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.geluTanhBackward", dx, dxOff, x, xOff, dy, dyOff, n);
        if (Kernels.usingVector()) ActivationsVector.geluTanhBackward(dx, dxOff, x, xOff, dy, dyOff, n);
        else geluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
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

    public static void geluTanhBackwardScalar(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.geluTanhBackwardScalar", dx, dxOff, x, xOff, dy, dyOff, n);
        geluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    public static void siluForwardScalar(float[] y, int yOff, float[] x, int xOff, int n) {
        check2("Activations.siluForwardScalar", y, yOff, x, xOff, n);
        siluUnchecked(y, yOff, x, xOff, n);
    }

    public static void siluBackwardScalar(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        check3("Activations.siluBackwardScalar", dx, dxOff, x, xOff, dy, dyOff, n);
        siluBackUnchecked(dx, dxOff, x, xOff, dy, dyOff, n);
    }

    private static void geluUnchecked(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float t = (float) Math.tanh(GELU_S * (v + GELU_C * v * v * v));
            y[yOff + i] = 0.5f * v * (1f + t);
        }
    }

    private static void geluBackUnchecked(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float t = (float) Math.tanh(GELU_S * (v + GELU_C * v * v * v));
            float d = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_S * (1f + 3f * GELU_C * v * v);
            dx[dxOff + i] += dy[dyOff + i] * d;
        }
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
