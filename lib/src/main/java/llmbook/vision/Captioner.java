package llmbook.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.sample.Generator;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.Tokenizer;

/**
 * An image captioner: a vision transformer's states, projected to the decoder's width, are the first P "tokens" the
 * library's {@link Decoder} reads, and the decoder writes the caption after them (the prefix design of LLaVA and
 * Flamingo's simpler cousins; the same hook as chapter 9's prompt tuning, with one prefix per picture). Q44.
 * <pre>
 *   prefix = proj(vision.hidden(pixels))                        (B, 1 + patches, C)   [CLS] and every patch
 *   logits = decoder(prefix, [end, w_0 … w_{T−1}])              (B, T + 1, V + 1)     the prefix is not scored
 *   loss   = CE(logits, [w_0 … w_{T−1}, end])                   one trainer, like any model
 * </pre>
 * The caption vocabulary is a tokenizer's plus one id, {@code end}, which both starts a caption and ends it (GPT's
 * {@code <|endoftext|>}). Captions are written greedily by the library's {@link Generator} on {@link #conditioned}: a
 * language model whose every call sees the picture first. Paths: {@code vision}, {@code proj}, {@code decoder}.
 */
public final class Captioner extends Module {
    private final Tokenizer tokenizer;
    private final int end, prefix;

    public Captioner(VisionTransformer vision, Decoder decoder, Tokenizer tokenizer, Rng rng) {
        if (decoder.vocab() != tokenizer.vocabSize() + 1)
            throw new IllegalArgumentException("Captioner: the decoder's vocabulary must be the tokenizer's " + tokenizer.vocabSize()
                    + " + 1 (the end token), got " + decoder.vocab());
        this.tokenizer = tokenizer;
        this.end = tokenizer.vocabSize();
        this.prefix = 1 + ((PatchEmbedding) module("vision", vision).get("patch")).patches();
        if (prefix >= decoder.context())
            throw new IllegalArgumentException("Captioner: " + prefix + " image positions leave no room in a context of " + decoder.context());
        module("proj", new Linear(vision.config.width(), decoder.config.width(), true, rng));
        module("decoder", decoder);
    }

    /** Standard deviation of the ViT's initial position vectors in {@link #small} (GPT-2's default is 0.02). */
    public static final float POSITION_STD = 0.5f;

    /**
     * A small captioner for S×S pictures in p×p patches: a ViT and a decoder of the given width and layers (4 heads),
     * the decoder's context just long enough for the picture and a caption of {@code captionTokens}. The ViT's
     * position vectors start at N(0, {@link #POSITION_STD}²): with GPT-2's 0.02 every patch starts with almost no
     * idea where it is, and on the shape pictures the caption's position word stayed at chance after 500 steps
     * (0.20, against 0.99 with this start, same seed), while colour and size were perfect.
     */
    public static Captioner small(int imageSize, int patch, Tokenizer tokenizer, int captionTokens, int width, int layers, Rng rng) {
        int patches = (imageSize / patch) * (imageSize / patch);
        var dec = TransformerConfig.gpt2(tokenizer.vocabSize() + 1).toBuilder().context(1 + patches + captionTokens + 1)
                .layers(layers).heads(4).width(width).hidden(4 * width).build();
        var vis = dec.toBuilder().arch(TransformerConfig.Arch.ENCODER).vocab(1).context(1 + patches).build();
        VisionTransformer vit = new VisionTransformer(vis, imageSize, patch, rng);
        float[] pos = vit.namedParameters().get("pos").data();
        for (int i = 0; i < pos.length; i++) pos[i] = POSITION_STD * (float) rng.nextGaussian();
        return new Captioner(vit, new Decoder(dec, rng), tokenizer, rng);
    }

    public VisionTransformer vision() { return child("vision"); }

    public Decoder decoder() { return child("decoder"); }

    /** The id that starts and ends every caption. */
    public int endToken() { return end; }

    /** Image positions in front of the caption: [CLS] and the patches. */
    public int prefixLength() { return prefix; }

    /** The picture as decoder inputs (B, 1 + patches, C). */
    public Tensor prefix(float[] pixels, int b) { return this.<Layer>child("proj").forward(vision().hidden(pixels, b)); }

    /** Mean cross-entropy of the captions of {@code batch} (every word and the end token), given the pictures. */
    public Tensor loss(ShapeImages.Batch batch) {
        int b = batch.B(), t = batch.T();
        int[] in = new int[b * (t + 1)], target = new int[b * (t + 1)];
        for (int i = 0; i < b; i++) {
            in[i * (t + 1)] = end;
            System.arraycopy(batch.ids(), i * t, in, i * (t + 1) + 1, t);
            System.arraycopy(batch.ids(), i * t, target, i * (t + 1), t);
            target[i * (t + 1) + t] = end;
        }
        Tensor logits = decoder().logits(prefix(batch.images(), b), in, b, t + 1);
        return Functional.crossEntropy(logits.reshape(b * (t + 1), decoder().vocab()), target, -1);
    }

    /**
     * A language model that sees {@code pixels} (one picture, 3·S·S) before any tokens: what the {@link Generator}
     * continues. The picture is encoded once, without gradients; its context is the decoder's minus the picture.
     */
    public LanguageModel conditioned(float[] pixels) {
        Tensor pre;
        boolean was = isTraining();
        train(false);
        try (var g = Tensor.noGrad()) {
            pre = prefix(pixels, 1).reshape(prefix, decoder().config.width());
        } finally {
            train(was);
        }
        Captioner self = this;
        return new LanguageModel() {
            @Override public int vocab() { return decoder().vocab(); }
            @Override public int context() { return decoder().context() - prefix; }
            @Override public Tensor logits(int[] ids, int b, int t) { return decoder().logits(pre, ids, b, t); }
            @Override public Map<String, Tensor> namedParameters() { return self.namedParameters(); }
            @Override public List<Tensor> parameters() { return self.parameters(); }
            @Override public Module train(boolean on) { return self.train(on); }
            @Override public boolean isTraining() { return self.isTraining(); }
            @Override public void zeroGrad() { self.zeroGrad(); }
        };
    }

    /** The greedy caption of one picture (3·S·S floats), at most {@code maxTokens} tokens, without the end token. */
    public String caption(float[] pixels, int maxTokens) {
        int[] ids = new Generator(conditioned(pixels)).stopAt(end).greedy(new int[] {end}, maxTokens);
        return tokenizer.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length));
    }

    /** How well generated captions describe the pictures: exact match and each attribute read back from the words. */
    public record Score(int n, double exact, double size, double colour, double shape, double position, double shapeAndColour) {}

    /** Greedy captions of {@code examples} (at most {@code maxTokens} tokens each) scored against their scenes. */
    public Score score(List<ShapeImages.Example> examples, int maxTokens) {
        return score(examples, captions(examples, maxTokens));
    }

    /** The greedy caption of each example. */
    public List<String> captions(List<ShapeImages.Example> examples, int maxTokens) {
        List<String> out = new ArrayList<>(examples.size());
        for (ShapeImages.Example e : examples) out.add(caption(e.pixels(), maxTokens));
        return out;
    }

    /** {@code captions[i]} scored against {@code examples[i]}'s scene (attributes read by {@link ShapeImages#parse}). */
    public static Score score(List<ShapeImages.Example> examples, List<String> captions) {
        if (examples.size() != captions.size() || examples.isEmpty())
            throw new IllegalArgumentException("Captioner.score: " + examples.size() + " pictures but " + captions.size() + " captions");
        int n = examples.size(), exact = 0, size = 0, colour = 0, shape = 0, position = 0, pair = 0;
        for (int i = 0; i < n; i++) {
            ShapeImages.Scene s = examples.get(i).scene(), p = ShapeImages.parse(captions.get(i));
            exact += s.caption().equals(captions.get(i)) ? 1 : 0;
            size += p.size() == s.size() ? 1 : 0;
            colour += p.colour() == s.colour() ? 1 : 0;
            shape += p.shape() == s.shape() ? 1 : 0;
            position += p.position() == s.position() ? 1 : 0;
            pair += p.shape() == s.shape() && p.colour() == s.colour() ? 1 : 0;
        }
        return new Score(n, exact / (double) n, size / (double) n, colour / (double) n, shape / (double) n, position / (double) n, pair / (double) n);
    }
}
