package llmbook.exercises.ch06;

/**
 * Exercise ch06.adamw — one AdamW update, in place (reference solution). Q16, Q18.
 *
 * <p>For every index i, with gradient g = g[i] and step count t (1 for the first step):
 * <pre>
 *   m ← β1·m + (1−β1)·g                 v ← β2·v + (1−β2)·g²          (moving averages of g and g²)
 *   m̂ = m / (1−β1ᵗ)                     v̂ = v / (1−β2ᵗ)               (bias correction: m and v start at 0)
 *   p ← p − lr·( m̂ / (√v̂ + ε)  +  wd·p )                              (decoupled weight decay)
 * </pre>
 */
public final class AdamWStep {
    private AdamWStep() {}

    /** Updates {@code p}, {@code m} and {@code v} in place from the gradient {@code g}; {@code t ≥ 1} is the step count. */
    public static void step(float[] p, float[] g, float[] m, float[] v, int t,
                            float lr, float beta1, float beta2, float eps, float weightDecay) {
        if (t < 1) throw new IllegalArgumentException("AdamW: the step count t starts at 1, got " + t);
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            double mHat = m[i] / c1, vHat = v[i] / c2;
            p[i] -= (float) (lr * (mHat / (Math.sqrt(vHat) + eps) + weightDecay * p[i]));
        }
    }
}
