package llmbook.vision;

import llmbook.attention.Mask;
import llmbook.model.transformer.Block;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Layer;
import llmbook.nn.LayerNorm;
import llmbook.nn.ModuleList;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A vision transformer (ViT): patch embeddings and a learned [CLS] vector, plus learned positions, through the same
 * pre-norm encoder {@link Block}s as the text models; the [CLS] position's final state is the image's vector. Q44.
 * <pre>
 *   x = [cls; patch(img)] + pos            (B, 1 + P, C)
 *   x = ln_f(h.L−1(… h.0(x, no mask)))     every patch sees every patch
 *   out = x[:, 0]                          (B, C)
 * </pre>
 * {@code config}: an ENCODER config (its width, heads, layers, MLP and norm are used; vocab and context are not).
 */
public final class VisionTransformer extends Module {
    public final TransformerConfig config;
    private final int patches;

    public VisionTransformer(TransformerConfig config, int imageSize, int patch, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.ENCODER)
            throw new IllegalArgumentException("VisionTransformer: config.arch must be ENCODER, got " + config.arch());
        this.config = config;
        int c = config.width();
        PatchEmbedding pe = module("patch", new PatchEmbedding(imageSize, patch, 3, c, rng));
        patches = pe.patches();
        param("cls", Tensor.normal(rng, 0f, 0.02f, 1, c));
        param("pos", Tensor.normal(rng, 0f, 0.02f, 1 + patches, c));
        ModuleList h = module("h", new ModuleList());
        for (int l = 0; l < config.layers(); l++) h.add(new Block(config, false, rng));
        module("ln_f", new LayerNorm(c));
    }

    /** Every position's final state (B, 1 + P, C); position 0 is [CLS]. */
    public Tensor hidden(float[] images, int b) {
        Tensor p = this.<PatchEmbedding>child("patch").forward(images, b);              // (B, P, C)
        Tensor[] cls = new Tensor[b];
        java.util.Arrays.fill(cls, namedParameters().get("cls"));
        Tensor x = Tensor.concat(1, Tensor.stack(0, cls), p).add(namedParameters().get("pos"));   // (B, 1 + P, C)
        ModuleList h = child("h");
        for (int l = 0; l < h.size(); l++) x = h.<Block>get(l).forward(x, Mask.NONE);
        return this.<Layer>child("ln_f").forward(x);
    }

    /** The image vectors (B, C): the [CLS] states. */
    public Tensor forward(float[] images, int b) {
        return hidden(images, b).slice(1, 0, 1).reshape(b, config.width());
    }
}
