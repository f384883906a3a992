package llmbook.kernels;

final class ActivationsVector {
    private ActivationsVector() {}
    static void geluTanhForward(float[] y, int yOff, float[] x, int xOff, int n) { Activations.geluTanhForwardScalar(y, yOff, x, xOff, n); }
    static void geluTanhBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) { Activations.geluTanhBackwardScalar(dx, dxOff, x, xOff, dy, dyOff, n); }
    static void siluForward(float[] y, int yOff, float[] x, int xOff, int n) { Activations.siluForwardScalar(y, yOff, x, xOff, n); }
    static void siluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) { Activations.siluBackwardScalar(dx, dxOff, x, xOff, dy, dyOff, n); }
}
