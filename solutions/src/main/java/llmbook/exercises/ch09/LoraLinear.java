package llmbook.exercises.ch09;

/** Reference solution of ch09.lora_linear (see the starter for the statement). Q13. */
public final class LoraLinear {
    private LoraLinear() {}

    public static float[] forward(float[] x, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        float s = alpha / r;
        float[] h = project(x, rows, a, in, r), y = new float[rows * out];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                float acc = 0;
                for (int k = 0; k < in; k++) acc += x[i * in + k] * w[o * in + k];
                for (int k = 0; k < r; k++) acc += s * h[i * r + k] * b[o * r + k];
                y[i * out + o] = acc;
            }
        return y;
    }

    public static float[][] backward(float[] x, float[] dy, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        float s = alpha / r;
        float[] h = project(x, rows, a, in, r);
        float[] dx = new float[rows * in], da = new float[r * in], db = new float[out * r], dh = new float[rows * r];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                float g = dy[i * out + o];
                for (int k = 0; k < r; k++) { db[o * r + k] += s * g * h[i * r + k]; dh[i * r + k] += s * g * b[o * r + k]; }
                for (int k = 0; k < in; k++) dx[i * in + k] += g * w[o * in + k];
            }
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < r; k++)
                for (int j = 0; j < in; j++) { da[k * in + j] += dh[i * r + k] * x[i * in + j]; dx[i * in + j] += dh[i * r + k] * a[k * in + j]; }
        return new float[][] {dx, da, db};
    }

    private static float[] project(float[] x, int rows, float[] a, int in, int r) {
        float[] h = new float[rows * r];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < r; k++) {
                float acc = 0;
                for (int j = 0; j < in; j++) acc += x[i * in + j] * a[k * in + j];
                h[i * r + k] = acc;
            }
        return h;
    }
}
