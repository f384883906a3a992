package llmbook.model;

import llmbook.model.transformer.TransformerConfig;

/** Small GPTs for tests: the gpt2 preset at another size. */
public final class TestModels {
    private TestModels() {}

    /** The gpt2 preset with {@code vocab}, {@code context}, {@code layers}, {@code heads}, {@code width} (MLP 4× wide) and dropout. */
    public static TransformerConfig gpt(int vocab, int context, int layers, int heads, int width, float dropout) {
        return TransformerConfig.gpt2(vocab).toBuilder().context(context).layers(layers).heads(heads).width(width).hidden(4 * width)
                .dropout(dropout).build();
    }
}
