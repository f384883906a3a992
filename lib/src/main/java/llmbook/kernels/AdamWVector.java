package llmbook.kernels;

final class AdamWVector {
    private AdamWVector() {}
    static void step(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1, float beta2, float eps, float weightDecay, int t) { AdamW.stepScalar(p, g, m, v, off, n, lr, beta1, beta2, eps, weightDecay, t); }
}
