package llmbook.optim;

import java.util.ArrayList;
import java.util.List;
import llmbook.kernels.Blas;
import llmbook.kernels.Kernels;
import llmbook.tensor.Tensor;

/**
 * Gradient clipping by global norm: {@code n = √(Σ_params Σ g²)}; if {@code n > max}, every gradient is scaled by
 * {@code max/n}, so the update keeps its direction but not its size.
 */
public final class GradClip {
    private GradClip() {}

    /** Clips in place and returns the norm BEFORE clipping (log it: spikes show instability). */
    public static double clipGlobalNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : params) if (p.hasGrad()) grads.add(p.grad().data());
        double norm = Math.sqrt(Blas.sumOfSquares(grads.toArray(new float[0][])));
        if (norm > maxNorm) {
            float s = (float) (maxNorm / (norm + 1e-6));
            Tensor[] ps = params.toArray(new Tensor[0]);                 // each gradient scaled on its own: any split
            Kernels.parallelRange(ps.length, 1, (from, to) -> {
                for (int j = from; j < to; j++) {
                    Tensor g = ps[j].grad();
                    if (g == null) continue;
                    float[] d = g.data();
                    for (int i = 0; i < d.length; i++) d[i] *= s;
                }
            });
        }
        return norm;
    }
}
