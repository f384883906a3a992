package llmbook.vision;

import llmbook.model.transformer.Encoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * CLIP: an image encoder and a text encoder projected into one space, trained with {@link ClipLoss} so an image and
 * its caption point the same way. Q44.
 * <pre>
 *   img  = img_proj(vision(pixels))                 (B, D)   vision: a {@link VisionTransformer}, its [CLS] state
 *   txt  = txt_proj(text.pooled(caption ids))       (B, D)   text: the library {@link Encoder}, mean over tokens
 *   loss = ClipLoss(img, txt, logit_scale)
 * </pre>
 * Zero-shot classification: embed one caption per class (or several and average them: "prompt ensembling"), and give
 * each image the class whose text vector is closest. Retrieval is the same similarity read the other way.
 */
public final class Clip extends Module {
    public final int dim;

    public Clip(VisionTransformer vision, Encoder text, int dim, Rng rng) {
        this.dim = dim;
        module("vision", vision);
        module("text", text);
        module("img_proj", new Linear(vision.config.width(), dim, false, rng));
        module("txt_proj", new Linear(text.config.width(), dim, false, rng));
        param("logit_scale", Tensor.full((float) Math.log(1 / 0.07), 1));
    }

    /** A small CLIP for S×S images in p×p patches and a caption vocabulary of {@code vocab} tokens, T per caption. */
    public static Clip small(int imageSize, int patch, int vocab, int T, int width, int layers, int dim, Rng rng) {
        var enc = new TransformerConfig(TransformerConfig.Arch.ENCODER, vocab, T, layers, 4, width, 4 * width, TransformerConfig.Positions.LEARNED,
                TransformerConfig.Norm.LAYER_NORM, TransformerConfig.Ffn.GELU, 0f, true, true);
        var vis = enc.toBuilder().vocab(1).context(1 + (imageSize / patch) * (imageSize / patch)).build();
        return new Clip(new VisionTransformer(vis, imageSize, patch, rng), new Encoder(enc, rng), dim, rng);
    }

    public VisionTransformer vision() { return child("vision"); }

    public Encoder text() { return child("text"); }

    /** The learned log-temperature s (S = e^s · cos). */
    public Tensor logitScale() { return namedParameters().get("logit_scale"); }

    /** Image embeddings (B, D), not normalised. */
    public Tensor images(float[] pixels, int b) { return this.<Layer>child("img_proj").forward(vision().forward(pixels, b)); }

    /** Caption embeddings (B, D), not normalised. */
    public Tensor texts(int[] ids, int[] lengths, int b, int t) { return this.<Layer>child("txt_proj").forward(text().pooled(ids, lengths, b, t)); }

    /** The contrastive loss of a batch of matching pairs. */
    public Tensor loss(ShapeImages.Batch batch) {
        return ClipLoss.loss(images(batch.images(), batch.B()), texts(batch.ids(), batch.lengths(), batch.B(), batch.T()), logitScale());
    }

    /** Unit-length vectors (rows) as plain arrays, computed without gradients: for zero-shot and retrieval. */
    public float[][] embedImages(float[] pixels, int b) {
        try (var g = Tensor.noGrad()) { return rows(ClipLoss.normalize(images(pixels, b))); }
    }

    /** Unit-length caption vectors (B, D) as arrays. */
    public float[][] embedTexts(int[] ids, int b, int t) {
        int[] len = new int[b];
        java.util.Arrays.fill(len, t);
        try (var g = Tensor.noGrad()) { return rows(ClipLoss.normalize(texts(ids, len, b, t))); }
    }

    /** For each image vector, the index of the most similar class vector (cosine; both unit length). */
    public static int[] classify(float[][] images, float[][] classes) {
        int[] out = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes.length; c++) {
                double s = dot(images[i], classes[c]);
                if (s > best) { best = s; out[i] = c; }
            }
        }
        return out;
    }

    /** Average of unit vectors, renormalised: one class vector from several prompts. */
    public static float[] mean(float[][] vs) {
        float[] m = new float[vs[0].length];
        for (float[] v : vs) for (int i = 0; i < m.length; i++) m[i] += v[i];
        double n = Math.sqrt(dot(m, m));
        for (int i = 0; i < m.length; i++) m[i] /= (float) n;
        return m;
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static float[][] rows(Tensor x) {
        int b = x.size(0), d = x.size(1);
        float[] a = x.contiguous().toArray();
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) out[i] = java.util.Arrays.copyOfRange(a, i * d, (i + 1) * d);
        return out;
    }
}
