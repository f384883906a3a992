package llmbook.vision;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * An image cut into p×p patches, each flattened and projected to the model width: the "tokens" of a vision
 * transformer. Q44.
 * <pre>
 *   images (B, 3, S, S)  →  patches (B, (S/p)², 3·p·p)   row-major over the patch grid, channel-major inside a patch
 *                        →  proj     (B, (S/p)², C)       one Linear, the same matrix for every patch
 * </pre>
 * Example: S = 16, p = 4 → 16 patches of 48 numbers each. The rearrangement is a copy of the input pixels (they need
 * no gradient); the projection {@code proj} learns.
 */
public final class PatchEmbedding extends Module {
    public final int size, patch, channels, width;

    public PatchEmbedding(int size, int patch, int channels, int width, Rng rng) {
        if (patch < 1 || size % patch != 0) throw new IllegalArgumentException("PatchEmbedding: patch " + patch + " must divide the image size " + size);
        this.size = size;
        this.patch = patch;
        this.channels = channels;
        this.width = width;
        module("proj", new Linear(channels * patch * patch, width, true, rng));
    }

    /** Patches per image, {@code (S/p)²}. */
    public int patches() { return (size / patch) * (size / patch); }

    /** {@code images} (B, 3, S, S) flattened → (B, P, 3·p·p). */
    public float[] patchify(float[] images, int b) {
        int s = size, p = patch, g = s / p, d = channels * p * p;
        if (images.length != b * channels * s * s)
            throw new IllegalArgumentException("PatchEmbedding: " + images.length + " pixels for " + b + " images of " + channels + "×" + s + "×" + s);
        float[] out = new float[b * g * g * d];
        for (int i = 0; i < b; i++)
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++) {
                    int o = ((i * g + gy) * g + gx) * d;
                    for (int c = 0; c < channels; c++)
                        for (int y = 0; y < p; y++)
                            for (int x = 0; x < p; x++)
                                out[o++] = images[((i * channels + c) * s + gy * p + y) * s + gx * p + x];
                }
        return out;
    }

    /** (B, 3·S·S) pixels → (B, P, C) patch embeddings. */
    public Tensor forward(float[] images, int b) {
        Tensor x = Tensor.wrap(patchify(images, b), b, patches(), channels * patch * patch);   // (B, P, 3p²)
        return this.<Layer>child("proj").forward(x);                                             // (B, P, C)
    }
}
