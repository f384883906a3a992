package llmbook.model.transformer;

import llmbook.attention.Mask;
import llmbook.nn.Dropout;
import llmbook.nn.Embedding;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.nn.ModuleList;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * An encoder-only transformer (BERT-like): every token sees every other token of its sequence, padding excepted.
 * Q8, Q11.
 * <pre>
 *   h = ln_f(h.L−1(… h.0(drop(wte[ids] + positions), padding mask)))      (B, T, C)
 *   logits = h·wteᵀ (token-level head, e.g. masked language modelling)     pooled = mean of h over the real tokens (B, C)
 * </pre>
 * Without positions ({@link TransformerConfig.Positions#NONE}) an encoder is permutation-equivariant: shuffling the
 * tokens shuffles the outputs the same way, so the pooled vector of "dog bites man" equals that of "man bites dog".
 * Same blocks ({@link Block}) and paths as the {@link Decoder}.
 *
 * <p>BERT's variant ({@link TransformerConfig#postNorm()}, {@link TransformerConfig#typeVocab()}): a token-type
 * (segment) table {@code wtt} joins the embeddings, which are normalised ({@code ln_emb}) before the post-norm blocks,
 * and nothing is normalised after the last block:
 * {@code h = h.L−1(… h.0(drop(ln_emb(wte[ids] + wpe + wtt[types])), mask))}. {@code llmbook.model.MiniLm} loads a
 * pretrained one.
 */
public final class Encoder extends Module {
    public final TransformerConfig config;
    private final Embedder embed;

    public Encoder(TransformerConfig config, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.ENCODER)
            throw new IllegalArgumentException("Encoder: config.arch must be ENCODER, got " + config.arch());
        this.config = config;
        embed = new Embedder(config);
        module("wte", Embedder.tokens(config, rng));
        Embedding wpe = Embedder.positions(config, rng);
        if (wpe != null) module("wpe", wpe);
        if (config.typeVocab() > 0) module("wtt", new Embedding(config.typeVocab(), config.width(), rng, 0.02f));
        if (config.postNorm() && config.normalize()) module("ln_emb", Block.newNorm(config));
        module("drop", new Dropout(config.dropout(), rng));
        ModuleList h = module("h", new ModuleList());
        for (int l = 0; l < config.layers(); l++) h.add(new Block(config, false, rng));
        if (config.normalize() && !config.postNorm()) module("ln_f", Block.newNorm(config));
    }

    /** Hidden states (B, T, C); {@code lengths} (one per sequence, or null) hides the padding after each sequence's end. */
    public Tensor hidden(int[] ids, int[] lengths, int b, int t) { return hidden(ids, null, lengths, b, t); }

    /** Hidden states (B, T, C) with token types {@code types} (B·T, or null for all 0) when the config has a type table. */
    public Tensor hidden(int[] ids, int[] types, int[] lengths, int b, int t) {
        Tensor x = embed.forward("Encoder", child("wte"), wpe(), ids, b, t, 0);        // (B, T, C)
        return trunk(x, types, b, t, lengths == null ? Mask.NONE : Mask.padding(lengths));
    }

    /**
     * Hidden states of a ragged batch (1, T, C): the ids (and types, or null) of several sequences stored one after
     * another, T = Σ lengths, no padding ({@link Mask#segments}); each sequence sees only itself and its positions
     * start at 0. Under {@link Tensor#noGrad()} attention runs one fused kernel per sequence, so nothing is spent on
     * padding; the padded layout's result, row for row. Q9.
     */
    public Tensor hiddenRagged(int[] ids, int[] types, int[] lengths) {
        TransformerConfig.Positions p = config.positions();
        if (p == TransformerConfig.Positions.ROPE || p == TransformerConfig.Positions.ALIBI)
            throw new IllegalArgumentException("Encoder: a ragged batch needs positions added to the embeddings (learned, sinusoidal or none); "
                    + p + " is applied inside attention, where positions would run on across the sequences");
        Tensor x = embed.forwardRagged("Encoder", child("wte"), wpe(), ids, lengths);   // (1, T, C)
        return trunk(x, types, 1, ids.length, Mask.segments(lengths));
    }

    /** Mean of each sequence's hidden states in a ragged batch ({@link #hiddenRagged}): (sequences, C). */
    public Tensor pooledRagged(int[] ids, int[] types, int[] lengths) {
        Tensor h = hiddenRagged(ids, types, lengths).reshape(ids.length, config.width());   // (T, C)
        float[] avg = new float[lengths.length * ids.length];                           // row s: 1/n over sequence s's positions
        for (int s = 0, at = 0; s < lengths.length; at += lengths[s++])
            java.util.Arrays.fill(avg, s * ids.length + at, s * ids.length + at + lengths[s], 1f / lengths[s]);
        return Tensor.wrap(avg, lengths.length, ids.length).matmul(h);                 // (sequences, C)
    }

    private Embedding wpe() { return config.positions() == TransformerConfig.Positions.LEARNED ? child("wpe") : null; }

    /** Token types, the embedding norm, dropout, the blocks under {@code mask} and the final norm, on embedded x (B, T, C). */
    private Tensor trunk(Tensor x, int[] types, int b, int t, Mask mask) {
        if (config.typeVocab() > 0) {
            int[] ty = types == null ? new int[b * t] : types;
            if (ty.length != b * t) throw new IllegalArgumentException("Encoder: " + ty.length + " token types for a (" + b + ", " + t + ") batch");
            for (int v : ty)
                if (v < 0 || v >= config.typeVocab()) throw new IllegalArgumentException("Encoder: token type " + v + " outside [0, " + config.typeVocab() + ")");
            x = x.add(this.<Embedding>child("wtt").forward(ty, b, t));              // (B, T, C)
        } else if (types != null) {
            throw new IllegalArgumentException("Encoder: token types given, but the config has no type table (typeVocab 0)");
        }
        if (config.postNorm() && config.normalize()) x = this.<Layer>child("ln_emb").forward(x);
        x = this.<Layer>child("drop").forward(x);
        ModuleList h = child("h");
        for (int l = 0; l < h.size(); l++) x = h.<Block>get(l).forward(x, mask);
        return config.normalize() && !config.postNorm() ? this.<Layer>child("ln_f").forward(x) : x;
    }

    /** Token logits (B, T, V) through the tied output layer. */
    public Tensor logits(int[] ids, int[] lengths, int b, int t) { return Embedder.logits(hidden(ids, lengths, b, t), child("wte")); }

    /** Mean of the hidden states over each sequence's real tokens: (B, C). */
    public Tensor pooled(int[] ids, int[] lengths, int b, int t) { return pooled(ids, null, lengths, b, t); }

    /** As {@link #pooled(int[], int[], int, int)}, with token types (or null). */
    public Tensor pooled(int[] ids, int[] types, int[] lengths, int b, int t) {
        return meanPool(hidden(ids, types, lengths, b, t), lengths);
    }

    /** The mean of hidden states h (B, T, C) over each sequence's first {@code lengths[b]} positions (null: all T): (B, C). */
    public static Tensor meanPool(Tensor h, int[] lengths) {
        int b = h.size(0), t = h.size(1);
        float[] w = new float[b * t];
        for (int s = 0; s < b; s++) {
            int n = lengths == null ? t : lengths[s];
            for (int i = 0; i < n; i++) w[s * t + i] = 1f / n;
        }
        return h.mul(Tensor.wrap(w, b, t, 1)).sum(1, false);             // (B, C)
    }

    /** Masked-LM style loss: mean cross-entropy of {@code targets} (B·T, −1 = not scored). */
    public Tensor loss(int[] ids, int[] lengths, int[] targets, int b, int t) {
        return Functional.crossEntropy(logits(ids, lengths, b, t).reshape(b * t, config.vocab()), targets, -1);
    }
}
