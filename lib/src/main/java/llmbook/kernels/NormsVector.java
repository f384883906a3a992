package llmbook.kernels;

final class NormsVector {
    private NormsVector() {}
    static void layerNormForward(float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff, float[] w, float[] b, int rows, int cols, float eps) { Norms.layerNormForwardScalar(y, yOff, mean, rstd, x, xOff, w, b, rows, cols, eps); }
    static void layerNormBackward(float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff, float[] x, int xOff, float[] mean, float[] rstd, float[] w, int rows, int cols) { Norms.layerNormBackwardScalar(dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols); }
    static void rmsNormForward(float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols, float eps) { Norms.rmsNormForwardScalar(y, yOff, rstd, x, xOff, w, rows, cols, eps); }
    static void rmsNormBackward(float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff, float[] rstd, float[] w, int rows, int cols) { Norms.rmsNormBackwardScalar(dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols); }
}
