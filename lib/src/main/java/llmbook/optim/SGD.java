package llmbook.optim;

import java.util.IdentityHashMap;
import java.util.List;
import llmbook.tensor.Tensor;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, PyTorch's form:
 * {@code v ← μ·v + g}, {@code p ← p − lr·v}. With {@code μ = 0} it is plain {@code p ← p − lr·g}.
 */
public final class SGD extends Optimizer {
    private final float momentum;
    private final IdentityHashMap<Tensor, float[]> velocity = new IdentityHashMap<>();

    public SGD(List<Tensor> params, float lr, float momentum) {
        super(List.of(new ParamGroup(params, 0f)), lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        this.momentum = momentum;
    }

    public SGD(List<Tensor> params, float lr) { this(params, lr, 0f); }

    @Override
    public void step() {
        for (Tensor p : params()) {
            Tensor gt = p.grad();
            if (gt == null) continue;
            float[] w = p.data(), g = gt.data();
            if (momentum == 0f) {
                for (int i = 0; i < w.length; i++) w[i] -= lr * g[i];
                continue;
            }
            float[] v = velocity.computeIfAbsent(p, k -> new float[k.numel()]);
            for (int i = 0; i < w.length; i++) {
                v[i] = momentum * v[i] + g[i];
                w[i] -= lr * v[i];
            }
        }
    }
}
