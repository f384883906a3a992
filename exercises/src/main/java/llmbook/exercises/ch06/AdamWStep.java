package llmbook.exercises.ch06;

/**
 * Exercise ch06.adamw — one AdamW update, in place. Q16, Q18.
 *
 * <p>For every index i, with gradient g = g[i] and step count t (1 for the first step):
 * <pre>
 *   m ← β1·m + (1−β1)·g                 v ← β2·v + (1−β2)·g²          (moving averages of g and g²)
 *   m̂ = m / (1−β1ᵗ)                     v̂ = v / (1−β2ᵗ)               (bias correction: m and v start at 0)
 *   p ← p − lr·( m̂ / (√v̂ + ε)  +  wd·p )                              (decoupled weight decay)
 * </pre>
 * The decay is "decoupled": {@code wd·p} is added to the update, never to the gradient, so it does not pass
 * through m and v (plain Adam with L2 would add {@code wd·p} to g instead). With {@code wd = 0} this is Adam.
 *
 * <p>Worked example: p = 1, g = 0.5, m = v = 0, t = 1, lr = 0.1, β = (0.9, 0.999), ε = 1e-8:
 * m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, the step is 0.5/0.5 = 1, so p becomes 0.9 (and 0.89 with wd = 0.1).
 * Run {@code ./llmbook grade 6} to see your score.
 */
public final class AdamWStep {
    private AdamWStep() {}

    /** Updates {@code p}, {@code m} and {@code v} in place from the gradient {@code g}; {@code t ≥ 1} is the step count. */
    public static void step(float[] p, float[] g, float[] m, float[] v, int t,
                            float lr, float beta1, float beta2, float eps, float weightDecay) {
        throw new UnsupportedOperationException("TODO ch06.adamw: update m and v, bias-correct them, then p -= lr·(m̂/(√v̂+ε) + wd·p)");
    }
}
