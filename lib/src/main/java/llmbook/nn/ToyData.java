package llmbook.nn;

import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/** Small synthetic classification problems for testing and teaching networks. */
public final class ToyData {
    private ToyData() {}

    /** Inputs (n, d) and integer class labels (n). */
    public record Labelled(Tensor x, int[] y) {}

    /**
     * Interleaved spirals: class c, point i of n: {@code r = i/(n−1)}, {@code θ = 4c + 4r + U(−0.3, 0.3)},
     * {@code x = (r·sin θ, r·cos θ)}. Not linearly separable: a linear model stays near chance, an MLP separates them.
     * Every step is float32 so the oracle script {@code oracle/mlp_spiral_torch.py} reproduces it bit for bit.
     */
    public static Labelled spiral(Rng rng, int classes, int perClass) {
        float[] x = new float[classes * perClass * 2];
        int[] y = new int[classes * perClass];
        for (int c = 0, k = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++, k++) {
                float r = (float) i / (float) (perClass - 1);
                float theta = (float) (4 * c) + 4f * r + rng.uniform(-0.3f, 0.3f);
                x[2 * k] = r * (float) Math.sin(theta);
                x[2 * k + 1] = r * (float) Math.cos(theta);
                y[k] = c;
            }
        return new Labelled(Tensor.wrap(x, classes * perClass, 2), y);
    }
}
