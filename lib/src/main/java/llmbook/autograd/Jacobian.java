package llmbook.autograd;

import java.util.function.Function;
import llmbook.tensor.Tensor;

/**
 * The full Jacobian {@code J[i][j] = ∂yᵢ/∂xⱼ} by reverse mode: one backward per output, seeded with the unit
 * vector {@code eᵢ}, gives row i. Q36.
 *
 * <p>Reverse mode computes a vector–Jacobian product {@code vᵀJ} per pass, so a full Jacobian costs one pass per
 * OUTPUT; a scalar loss needs only one — which is why training uses reverse mode.
 */
public final class Jacobian {
    private Jacobian() {}

    /** {@code J} with shape (numel(y), numel(x)) for {@code y = f(x)}; {@code x} must be a leaf that requires grad. */
    public static float[][] of(Function<Tensor, Tensor> f, Tensor x) {
        if (!x.requiresGrad()) throw new IllegalArgumentException("Jacobian: x must require grad (call requiresGrad(true))");
        Tensor y = f.apply(x);
        int m = y.numel(), n = x.numel();
        float[][] jac = new float[m][n];
        for (int i = 0; i < m; i++) {
            x.zeroGrad();
            float[] seed = new float[m];
            seed[i] = 1f;
            y.backward(seed);   // intermediate gradients are reset by each backward; x's we zeroed above
            Tensor g = x.grad();
            if (g != null) jac[i] = g.toArray();
        }
        return jac;
    }
}
