package llmbook.kernels;

/**
 * One AdamW update over {@code n} parameters starting at {@code off} in all four arrays. Q39.
 *
 * <pre>
 *   m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 *   m̂ = m / (1−β1ᵗ)              v̂ = v / (1−β2ᵗ)          (bias correction, t ≥ 1 is the step count)
 *   p ← p − lr·(m̂ / (√v̂ + ε) + wd·p)                      (decoupled weight decay)
 * </pre>
 * Modifies {@code p}, {@code m}, {@code v}; reads {@code g}.
 */
public final class AdamW {
    private AdamW() {}

    public static void step(float[] p, float[] g, float[] m, float[] v, int off, int n,
                            float lr, float beta1, float beta2, float eps, float weightDecay, int t) {
        check("AdamW.step", p, g, m, v, off, n, t);
        // Large tensors are split across threads: every element is independent, and the vector and scalar paths
        // make the same IEEE operations, so the split changes no bit.
        if (Kernels.usingVector())
            Kernels.parallelRange(n, 1 << 15, (a, b) -> AdamWVector.step(p, g, m, v, off + a, b - a, lr, beta1, beta2, eps, weightDecay, t));
        else stepUnchecked(p, g, m, v, off, n, lr, beta1, beta2, eps, weightDecay, t);
    }

    /**
     * {@link #step} on several tensors at once, tensor i being {@code n[i]} floats from 0 of {@code p[i]}, {@code g[i]},
     * {@code m[i]}, {@code v[i]} with weight decay {@code weightDecay[i]}: all their elements in one parallel region, in
     * chunks shared out with stealing. A model's many small tensors (biases, norms, 128×128 weights) each ran on one
     * thread before. Elements are independent, so the bits are those of {@link #step} tensor by tensor.
     */
    public static void stepAll(float[][] p, float[][] g, float[][] m, float[][] v, int[] n, float[] weightDecay,
                               float lr, float beta1, float beta2, float eps, int t) {
        int k = p.length;
        if (g.length != k || m.length != k || v.length != k || n.length != k || weightDecay.length != k)
            throw new IllegalArgumentException("AdamW.stepAll: p, g, m, v, n, weightDecay must have one entry per tensor, got "
                    + k + ", " + g.length + ", " + m.length + ", " + v.length + ", " + n.length + ", " + weightDecay.length);
        for (int i = 0; i < k; i++) check("AdamW.stepAll (tensor " + i + ")", p[i], g[i], m[i], v[i], 0, n[i], t);
        if (!Kernels.usingVector()) {
            for (int i = 0; i < k; i++) stepUnchecked(p[i], g[i], m[i], v[i], 0, n[i], lr, beta1, beta2, eps, weightDecay[i], t);
            return;
        }
        long total = 0;
        for (int x : n) total += x;
        Kernels.Pieces.of(n, CHUNK).run(total < 1 << 15 ? 1 : Kernels.threads(),
                (c, i, a, b) -> AdamWVector.step(p[i], g[i], m[i], v[i], a, b - a, lr, beta1, beta2, eps, weightDecay[i], t));
    }

    /** Floats per piece of {@link #stepAll}'s work. */
    private static final int CHUNK = 1 << 14;

    /** The scalar twin. */
    public static void stepScalar(float[] p, float[] g, float[] m, float[] v, int off, int n,
                                  float lr, float beta1, float beta2, float eps, float weightDecay, int t) {
        check("AdamW.stepScalar", p, g, m, v, off, n, t);
        stepUnchecked(p, g, m, v, off, n, lr, beta1, beta2, eps, weightDecay, t);
    }

    private static void stepUnchecked(float[] p, float[] g, float[] m, float[] v, int off, int n,
                                      float lr, float beta1, float beta2, float eps, float weightDecay, int t) {
        float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, t)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, t)));
        for (int i = off; i < off + n; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + (1f - beta1) * gi;
            float vi = beta2 * v[i] + (1f - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= lr * (mi * c1 / ((float) Math.sqrt(vi * c2) + eps) + weightDecay * p[i]);
        }
    }

    static void check(String k, float[] p, float[] g, float[] m, float[] v, int off, int n, int t) {
        Kernels.checkDim(k, "n", n);
        if (t < 1) throw new IllegalArgumentException(k + ": step count t must be >= 1, got t=" + t);
        if (Kernels.outside(p, off, n)) Kernels.checkArray(k, "p (n=" + n + ")", p, off, n);
        if (Kernels.outside(g, off, n)) Kernels.checkArray(k, "g (n=" + n + ")", g, off, n);
        if (Kernels.outside(m, off, n)) Kernels.checkArray(k, "m (n=" + n + ")", m, off, n);
        if (Kernels.outside(v, off, n)) Kernels.checkArray(k, "v (n=" + n + ")", v, off, n);
    }
}
