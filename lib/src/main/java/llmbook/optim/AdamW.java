package llmbook.optim;

import java.util.IdentityHashMap;
import java.util.List;
import llmbook.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), one {@link llmbook.kernels.AdamW#step} call per parameter:
 * <pre>
 *   m ← β1·m + (1−β1)·g     v ← β2·v + (1−β2)·g²     p ← p − lr·(m̂/(√v̂ + ε) + wd·p)
 * </pre>
 * with bias-corrected {@code m̂ = m/(1−β1ᵗ)}, {@code v̂ = v/(1−β2ᵗ)}. Weight decay is per {@link ParamGroup}
 * (usually none on biases and norm gains).
 */
public final class AdamW extends Optimizer {
    public final float beta1, beta2, eps;
    private final IdentityHashMap<Tensor, float[][]> state = new IdentityHashMap<>();
    private int t = 0;

    public AdamW(List<ParamGroup> groups, float lr, float beta1, float beta2, float eps) {
        super(groups, lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got " + beta1 + ", " + beta2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8. */
    public AdamW(List<ParamGroup> groups, float lr) { this(groups, lr, 0.9f, 0.999f, 1e-8f); }

    /** Steps taken so far. */
    public int steps() { return t; }

    /**
     * The first and second moments {@code {m, v}} of {@code p} (live arrays, created as zeros if the parameter has
     * not been stepped yet), for checkpoints: saving them with {@link #steps()} lets a run resume exactly.
     */
    public float[][] moments(Tensor p) {
        if (!params().contains(p)) throw new IllegalArgumentException("AdamW: " + p.name() + " is not one of this optimizer's parameters");
        return state.computeIfAbsent(p, k -> new float[][] {new float[k.numel()], new float[k.numel()]});
    }

    /** Restores the step counter t (it sets the bias corrections 1 − β1ᵗ, 1 − β2ᵗ of the next step). */
    public void setSteps(int t) {
        if (t < 0) throw new IllegalArgumentException("AdamW: steps must be >= 0, got " + t);
        this.t = t;
    }

    @Override
    public void step() {
        t++;
        int k = 0;                                      // tensors with a gradient
        for (ParamGroup group : groups) for (Tensor p : group.params()) if (p.hasGrad()) k++;
        float[][] pd = new float[k][], gd = new float[k][], m = new float[k][], v = new float[k][];
        int[] n = new int[k];
        float[] decay = new float[k];
        int i = 0;
        for (ParamGroup group : groups)
            for (Tensor p : group.params()) {
                if (!p.hasGrad()) continue;
                float[][] mv = state.computeIfAbsent(p, x -> new float[][] {new float[x.numel()], new float[x.numel()]});
                pd[i] = p.data(); gd[i] = p.grad().data(); m[i] = mv[0]; v[i] = mv[1]; n[i] = p.numel(); decay[i++] = group.weightDecay();
            }
        llmbook.kernels.AdamW.stepAll(pd, gd, m, v, n, decay, lr, beta1, beta2, eps, t);   // all tensors in one parallel region
    }
}
