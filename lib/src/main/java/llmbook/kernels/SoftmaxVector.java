package llmbook.kernels;

final class SoftmaxVector {
    private SoftmaxVector() {}
    static void softmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) { Softmax.softmaxForwardScalar(y, yOff, x, xOff, rows, cols); }
    static void softmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) { Softmax.softmaxBackwardScalar(dx, dxOff, y, yOff, dy, dyOff, rows, cols); }
    static void logSoftmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) { Softmax.logSoftmaxForwardScalar(y, yOff, x, xOff, rows, cols); }
    static void logSoftmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) { Softmax.logSoftmaxBackwardScalar(dx, dxOff, y, yOff, dy, dyOff, rows, cols); }
}
