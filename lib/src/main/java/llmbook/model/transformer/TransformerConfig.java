package llmbook.model.transformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbook.attention.Rope;

/**
 * The shape of a transformer: one immutable record for the three architectures of chapter 5 and every decoder variant
 * of chapters 6–13 (GPT-2, LLaMA, MQA/GQA/MLA attention, adaptive softmax). Q4, Q8, Q9, Q10, Q11, Q42.
 *
 * <pre>{@code
 * var gpt2  = TransformerConfig.gpt2(65);                                 // the book's reference model
 * var llama = TransformerConfig.llama(65);                                // RMSNorm, SwiGLU, RoPE, GQA, no biases, untied
 * var mqa   = gpt2.withAttention(Attention.MQA);                          // every other field kept
 * var mla   = gpt2.toBuilder().mla(32, 8).positions(Positions.NONE).build();
 * System.out.println(gpt2);                                               // the fields and the parameter count
 * }</pre>
 *
 * @param arch      {@link Arch#ENCODER} (bidirectional, BERT-like), {@link Arch#DECODER} (causal, GPT-like) or
 *                  {@link Arch#SEQ2SEQ} (encoder + decoder with cross-attention, as in the original Transformer)
 * @param vocab     tokens V (shared by source and target)
 * @param context   longest sequence accepted, T (also the size of a learned position table)
 * @param layers    blocks L (for SEQ2SEQ: L encoder blocks and L decoder blocks)
 * @param heads     query heads H; must divide the width
 * @param width     model width C
 * @param hidden    inner width h of the feed-forward network (usually 4C; SwiGLU about 8C/3)
 * @param positions how order enters the model (Q8)
 * @param norm      LayerNorm or RMSNorm (Q10)
 * @param ffn       GELU / ReLU MLP, or SwiGLU
 * @param dropout   dropout on embeddings and on each sub-layer's output (0 = off)
 * @param residual  {@code x + f(norm(x))} if true, {@code f(norm(x))} if false (only to study Q10)
 * @param normalize norms before each sub-layer and at the end if true, none if false (only to study Q10)
 * @param attention MHA, GQA, MQA or MLA (Q9)
 * @param kvHeads   key/value heads G: H for MHA, 1 for MQA, a divisor of H for GQA (set from {@code attention})
 * @param latent    MLA only: d_c, the joint key/value latent cached per token (0 otherwise)
 * @param ropeDim   MLA only: d_R, the decoupled RoPE width of queries and of the shared key (0 otherwise)
 * @param bias      biases in the attention and MLP linears and in LayerNorm (GPT-2: yes; LLaMA: no). MLA's
 *                  projections and the cross-attention of SEQ2SEQ keep their fixed choice (none; all)
 * @param tied      the output layer reuses the token embedding (decoder with a full softmax head only)
 * @param head      output layer: full softmax over V, or adaptive softmax (decoder only, untied)
 * @param cutoffs   adaptive softmax cluster boundaries (increasing, in (0, V)); empty for a full softmax
 * @param init      how the weights are drawn: chapter 5's {@link InitScheme#CLASSIC} or {@link InitScheme#GPT2}
 * @param postNorm  ENCODER only: BERT's post-norm blocks {@code x = ln(x + f(x))}, the embeddings normalised
 *                  ({@code ln_emb}) instead of the final output ({@code ln_f}); false: pre-norm {@code x + f(ln(x))}
 * @param normEps   ε of every LayerNorm/RMSNorm (GPT-2 1e-5, BERT 1e-12)
 * @param typeVocab ENCODER only: token types (segments) with a learned table {@code wtt} added to the embeddings
 *                  (BERT: 2, sentence A and B); 0 for none
 * @param experts   mixture of experts (Q46): E expert MLPs per block instead of one ({@code llmbook.moe.MixtureOfExperts});
 *                  0 = a dense MLP (every model before chapter 11)
 * @param topK      MoE only: experts per token k (1 = Switch, 2 = Mixtral); 0 for a dense MLP
 * @param ropeScaling RoPE positions only: how the rotation is stretched past the trained context (position
 *                  interpolation, NTK-aware, YaRN; chapter 13); {@link Rope.Scaling#NONE} by default
 */
public record TransformerConfig(Arch arch, int vocab, int context, int layers, int heads, int width, int hidden,
                                Positions positions, Norm norm, Ffn ffn, float dropout, boolean residual, boolean normalize,
                                Attention attention, int kvHeads, int latent, int ropeDim, boolean bias, boolean tied,
                                Head head, List<Integer> cutoffs, InitScheme init, boolean postNorm, float normEps, int typeVocab,
                                int experts, int topK, Rope.Scaling ropeScaling) {

    public enum Arch { ENCODER, DECODER, SEQ2SEQ }

    /**
     * Q8: sinusoidal table added to the embeddings, learned table added, RoPE rotation of q and k, or nothing; ALIBI
     * (chapter 13): no vectors, a per-head linear distance penalty on the attention logits ({@code attention.Alibi}).
     */
    public enum Positions { SINUSOIDAL, LEARNED, ROPE, NONE, ALIBI }

    public enum Norm { LAYER_NORM, RMS_NORM }

    /**
     * {@code W₂·act(W₁x + b₁) + b₂} with GELU (tanh form, GPT-2), GELU_ERF (exact {@code x·Φ(x)}, BERT) or ReLU;
     * SwiGLU {@code W₂·(silu(W₁x) ⊙ W₃x)}.
     */
    public enum Ffn { GELU, RELU, SWIGLU, GELU_ERF }

    /** Q9: what a decoder caches per token: MHA {@code 2C}, GQA {@code 2G·C/H}, MQA {@code 2C/H}, MLA {@code d_c + d_R} floats. */
    public enum Attention { MHA, GQA, MQA, MLA }

    /** Output layer: logits over the whole vocabulary, or adaptive softmax's head + tail clusters (Q42). */
    public enum Head { FULL, ADAPTIVE }

    /**
     * CLASSIC (chapter 5): linears at PyTorch's default U(±1/√in), token table N(0, 1/C) read ×√C, learned positions
     * N(0, 1). GPT2 (nanoGPT): every weight N(0, 0.02), the projections writing into the residual stream
     * N(0, 0.02/√(2L)), biases 0, embeddings N(0, 0.02) read as they are.
     */
    public enum InitScheme { CLASSIC, GPT2 }

    public TransformerConfig {
        if (arch == null || positions == null || norm == null || ffn == null || attention == null || head == null || init == null)
            throw new IllegalArgumentException("TransformerConfig: arch, positions, norm, ffn, attention, head and init must not be null");
        if (vocab < 1) throw new IllegalArgumentException("TransformerConfig: vocab must be >= 1, got " + vocab);
        if (context < 1) throw new IllegalArgumentException("TransformerConfig: context must be >= 1, got " + context);
        if (layers < 0) throw new IllegalArgumentException("TransformerConfig: layers must be >= 0, got " + layers);
        if (heads < 1 || width < 1 || width % heads != 0)
            throw new IllegalArgumentException("TransformerConfig: heads (" + heads + ") must divide width (" + width + ")");
        if (hidden < 1) throw new IllegalArgumentException("TransformerConfig: hidden must be >= 1, got " + hidden);
        if (positions == Positions.SINUSOIDAL && width % 2 != 0)
            throw new IllegalArgumentException("TransformerConfig: sinusoidal positions need an even width, got " + width);
        if (positions == Positions.ROPE && attention != Attention.MLA && (width / heads) % 2 != 0)
            throw new IllegalArgumentException("TransformerConfig: RoPE needs an even head size, got width/heads = " + width / heads);
        if (positions == Positions.ALIBI && attention == Attention.MLA)
            throw new IllegalArgumentException("TransformerConfig: ALiBi positions are for MHA/GQA/MQA attention; MLA has its own decoupled RoPE");
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("TransformerConfig: dropout must be in [0, 1), got " + dropout);
        switch (attention) {
            case MHA -> kvHeads = heads;
            case MQA -> kvHeads = 1;
            case GQA -> {
                if (kvHeads < 1 || heads % kvHeads != 0)
                    throw new IllegalArgumentException("TransformerConfig: GQA needs key/value heads G dividing the " + heads + " query heads, got G = " + kvHeads);
            }
            case MLA -> {
                kvHeads = 0;
                if (latent < 1) throw new IllegalArgumentException("TransformerConfig: MLA needs a latent width d_c >= 1, got " + latent);
                if (ropeDim < 2 || ropeDim % 2 != 0)
                    throw new IllegalArgumentException("TransformerConfig: MLA needs an even decoupled-RoPE width d_R >= 2, got " + ropeDim);
            }
        }
        if (attention != Attention.MLA) { latent = 0; ropeDim = 0; }
        cutoffs = cutoffs == null ? List.of() : List.copyOf(cutoffs);
        if (head == Head.FULL && !cutoffs.isEmpty())
            throw new IllegalArgumentException("TransformerConfig: cutoffs " + cutoffs + " given for a FULL softmax head; use Head.ADAPTIVE");
        if (head == Head.ADAPTIVE) {
            if (tied) throw new IllegalArgumentException("TransformerConfig: an adaptive softmax head has its own weights; set tied = false");
            for (int i = 0; i < cutoffs.size(); i++)
                if (cutoffs.get(i) <= (i == 0 ? 0 : cutoffs.get(i - 1)) || cutoffs.get(i) >= vocab)
                    throw new IllegalArgumentException("TransformerConfig: adaptive softmax cutoffs must increase strictly within (0, " + vocab + "), got " + cutoffs);
        }
        if (!(normEps > 0f) || Float.isInfinite(normEps)) throw new IllegalArgumentException("TransformerConfig: normEps must be > 0, got " + normEps);
        if (typeVocab < 0) throw new IllegalArgumentException("TransformerConfig: typeVocab must be >= 0, got " + typeVocab);
        if (experts < 0 || (experts == 0 ? topK != 0 : topK < 1 || topK > experts))
            throw new IllegalArgumentException("TransformerConfig: a mixture of experts needs 1 <= topK <= experts (experts 0 = dense, topK 0), got experts="
                    + experts + ", topK=" + topK);
        if (ropeScaling == null) ropeScaling = Rope.Scaling.NONE;
        if (ropeScaling.kind() != Rope.Scaling.Kind.NONE && (positions != Positions.ROPE || attention == Attention.MLA))
            throw new IllegalArgumentException("TransformerConfig: RoPE scaling " + ropeScaling + " needs RoPE positions and MHA/GQA/MQA attention, got "
                    + positions + " and " + attention);
        if (arch != Arch.ENCODER && (postNorm || typeVocab > 0))
            throw new IllegalArgumentException("TransformerConfig: post-norm and token types are implemented for ENCODER (BERT) models, not " + arch);
        if (arch != Arch.DECODER && (!tied || head != Head.FULL))
            throw new IllegalArgumentException("TransformerConfig: untied and adaptive output layers are for DECODER models; " + arch + " reuses the token embedding");
    }

    /** Every field but the mixture of experts and the RoPE scaling: a dense MLP, RoPE as trained. */
    public TransformerConfig(Arch arch, int vocab, int context, int layers, int heads, int width, int hidden, Positions positions, Norm norm,
                             Ffn ffn, float dropout, boolean residual, boolean normalize, Attention attention, int kvHeads, int latent,
                             int ropeDim, boolean bias, boolean tied, Head head, List<Integer> cutoffs, InitScheme init, boolean postNorm,
                             float normEps, int typeVocab) {
        this(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize, attention, kvHeads,
                latent, ropeDim, bias, tied, head, cutoffs, init, postNorm, normEps, typeVocab, 0, 0, Rope.Scaling.NONE);
    }

    /** Every field but BERT's three: pre-norm, ε 1e-5, no token types. */
    public TransformerConfig(Arch arch, int vocab, int context, int layers, int heads, int width, int hidden, Positions positions, Norm norm,
                             Ffn ffn, float dropout, boolean residual, boolean normalize, Attention attention, int kvHeads, int latent,
                             int ropeDim, boolean bias, boolean tied, Head head, List<Integer> cutoffs, InitScheme init) {
        this(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize, attention, kvHeads,
                latent, ropeDim, bias, tied, head, cutoffs, init, false, DEFAULT_EPS, 0);
    }

    /** ε of the norms unless a config says otherwise (GPT-2's). */
    public static final float DEFAULT_EPS = 1e-5f;

    /** Chapter 5's shape (13 fields): MHA with biases, tied output, CLASSIC initialisation. */
    public TransformerConfig(Arch arch, int vocab, int context, int layers, int heads, int width, int hidden, Positions positions, Norm norm,
                             Ffn ffn, float dropout, boolean residual, boolean normalize) {
        this(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize,
                Attention.MHA, heads, 0, 0, true, true, Head.FULL, List.of(), InitScheme.CLASSIC);
    }

    /** A small model: 2 layers, 4 heads, width 64, hidden 256, sinusoidal positions, LayerNorm, GELU, no dropout. */
    public static TransformerConfig small(Arch arch, int vocab, int context) {
        return new TransformerConfig(arch, vocab, context, 2, 4, 64, 256, Positions.SINUSOIDAL, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
    }

    /**
     * The book's reference GPT (chapter 6): 4 layers, 4 heads, width 128, context 128, learned positions, LayerNorm,
     * GELU MLP 4C wide, biases, output tied to the token embedding, no dropout, GPT-2 initialisation.
     */
    public static TransformerConfig gpt2(int vocab) {
        return new TransformerConfig(Arch.DECODER, vocab, 128, 4, 4, 128, 512, Positions.LEARNED, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true,
                Attention.MHA, 4, 0, 0, true, true, Head.FULL, List.of(), InitScheme.GPT2);
    }

    /**
     * The LLaMA recipe at the reference size: RMSNorm, SwiGLU, RoPE, grouped-query attention (4 query heads share 2
     * key/value heads), no biases, untied output, GPT-2 initialisation. The SwiGLU width is chosen (a multiple of 8)
     * so the parameter count is as close as possible to {@link #gpt2}'s for the same vocabulary.
     */
    public static TransformerConfig llama(int vocab) {
        var c = gpt2(vocab).toBuilder().positions(Positions.ROPE).norm(Norm.RMS_NORM).ffn(Ffn.SWIGLU).gqa(2).bias(false).tied(false);
        long target = gpt2(vocab).parameterCount(), without = c.hidden(8).build().parameterCount() - 3L * 128 * 8 * 4;   // all but the MLPs
        long h = Math.round((target - without) / (3.0 * 128 * 4 * 8)) * 8;
        return c.hidden((int) Math.max(8, h)).build();
    }

    public Builder toBuilder() { return new Builder(this); }

    public TransformerConfig withArch(Arch a) { return toBuilder().arch(a).build(); }
    public TransformerConfig withVocab(int v) { return toBuilder().vocab(v).build(); }
    public TransformerConfig withContext(int t) { return toBuilder().context(t).build(); }
    public TransformerConfig withLayers(int l) { return toBuilder().layers(l).build(); }
    /** Heads H, width C and feed-forward width h at once (they constrain each other). */
    public TransformerConfig withShape(int h, int c, int hid) { return toBuilder().heads(h).width(c).hidden(hid).build(); }
    public TransformerConfig withPositions(Positions p) { return toBuilder().positions(p).build(); }
    public TransformerConfig withNorm(Norm n) { return toBuilder().norm(n).build(); }
    public TransformerConfig withFfn(Ffn f) { return toBuilder().ffn(f).build(); }
    public TransformerConfig withDropout(float d) { return toBuilder().dropout(d).build(); }
    public TransformerConfig withResidual(boolean r) { return toBuilder().residual(r).build(); }
    public TransformerConfig withNormalize(boolean n) { return toBuilder().normalize(n).build(); }
    /** MHA or MQA (for GQA use {@link #withGqa}, for MLA {@link #withMla}). */
    public TransformerConfig withAttention(Attention a) { return toBuilder().attention(a).build(); }
    public TransformerConfig withGqa(int kvHeads) { return toBuilder().gqa(kvHeads).build(); }
    public TransformerConfig withMla(int latent, int ropeDim) { return toBuilder().mla(latent, ropeDim).build(); }
    public TransformerConfig withBias(boolean b) { return toBuilder().bias(b).build(); }
    public TransformerConfig withTied(boolean t) { return toBuilder().tied(t).build(); }
    /** An untied adaptive softmax head with these cutoffs (Q42). */
    public TransformerConfig withAdaptiveHead(int... cutoffs) { return toBuilder().adaptive(cutoffs).build(); }
    public TransformerConfig withInit(InitScheme i) { return toBuilder().init(i).build(); }
    public TransformerConfig withPostNorm(boolean p) { return toBuilder().postNorm(p).build(); }
    public TransformerConfig withNormEps(float e) { return toBuilder().normEps(e).build(); }
    public TransformerConfig withTypeVocab(int t) { return toBuilder().typeVocab(t).build(); }
    /** Every block's MLP becomes a mixture of {@code experts} MLPs, {@code topK} per token (Q46); {@code (0, 0)}: dense again. */
    public TransformerConfig withMoe(int experts, int topK) { return toBuilder().moe(experts, topK).build(); }
    /** The same model read at another context with RoPE stretched by {@code s} (chapter 13): e.g. {@code withContext(512).withRopeScaling(Rope.Scaling.ntk(4))}. */
    public TransformerConfig withRopeScaling(Rope.Scaling s) { return toBuilder().ropeScaling(s).build(); }

    /** Head size C/H. */
    public int headDim() { return width / heads; }

    /** Parameters of one norm: LayerNorm {@code 2C} (scale and shift; {@code C} without biases), RMSNorm {@code C}, none 0. */
    public long normParameters() { return !normalize ? 0 : norm == Norm.LAYER_NORM && bias ? 2L * width : width; }

    /**
     * One self-attention layer. MHA/GQA/MQA: q and o are C×C, k and v are C×(G·d), {@code 2C² + 2C·Gd} (+ {@code 2C + 2Gd}
     * biases). MLA: {@code C·d_c} (down), {@code 2·d_c·C} (key and value up-projections), {@code C·d_R} (shared RoPE
     * key), {@code C²} (content queries), {@code C·H·d_R} (RoPE queries), {@code C²} (output); no biases.
     */
    public long attentionParameters() {
        long c = width;
        if (attention == Attention.MLA) return c * latent + 2L * latent * c + c * ropeDim + c * c + c * (long) heads * ropeDim + c * c;
        long kv = (long) kvHeads * headDim();
        return 2 * c * c + 2 * c * kv + (bias ? 2 * c + 2 * kv : 0);
    }

    /** Cross-attention of a seq2seq decoder block: four C×C projections with biases, {@code 4C² + 4C}. */
    public long crossAttentionParameters() { return 4L * width * width + 4L * width; }

    /**
     * Feed-forward: {@code 2Ch} (+ {@code h + C} biases), SwiGLU {@code 3Ch} (+ {@code 2h + C}); a mixture of experts
     * holds E of them and a router {@code C·E}.
     */
    public long ffnParameters() {
        long c = width, h = hidden;
        long one = ffn == Ffn.SWIGLU ? 3 * c * h + (bias ? 2 * h + c : 0) : 2 * c * h + (bias ? h + c : 0);
        return experts == 0 ? one : experts * one + c * experts;
    }

    /** A self-attention block: two norms, attention, feed-forward. */
    public long blockParameters() { return 2 * normParameters() + attentionParameters() + ffnParameters(); }

    /** A decoder block of a seq2seq model: three norms, self-attention, cross-attention, feed-forward. */
    public long crossBlockParameters() { return 3 * normParameters() + attentionParameters() + crossAttentionParameters() + ffnParameters(); }

    /** Token embedding {@code V·C}, plus a learned position table {@code T·C} and a token-type table {@code types·C} if any. */
    public long embeddingParameters() {
        return (long) vocab * width + (positions == Positions.LEARNED ? (long) context * width : 0) + (long) typeVocab * width;
    }

    /**
     * The output layer's own parameters: 0 when tied, {@code V·C} untied, adaptive softmax {@code C·(c₀ + k)} for the
     * head plus {@code C·d_i + d_i·|cluster i|} per tail cluster with {@code d_i = C / 4ⁱ}.
     */
    public long headParameters() {
        if (head == Head.FULL) return tied ? 0 : (long) vocab * width;
        int k = cutoffs.size();
        long n = (long) width * (cutoffs.get(0) + k);
        for (int i = 1; i <= k; i++) {
            long d = adaptiveWidth(i), size = (i == k ? vocab : cutoffs.get(i)) - cutoffs.get(i - 1);
            n += width * d + d * size;
        }
        return n;
    }

    /** Projection width of adaptive softmax cluster i (1-based): {@code max(1, C / 4ⁱ)}. */
    public int adaptiveWidth(int i) { return Math.max(1, (int) (width / Math.pow(ADAPTIVE_DIV, i))); }

    /** Each adaptive softmax cluster projects {@code 4×} narrower than the previous one. */
    public static final float ADAPTIVE_DIV = 4f;

    /**
     * The formula, checked against the counted tensors in the tests:
     * <pre>
     *   ENCODER, DECODER:  V·C [+ T·C] [+ types·C] + L·block + norm [+ head]     (post-norm: ln_emb instead of ln_f)
     *   SEQ2SEQ:           V·C [+ T·C] + L·block + norm + L·crossBlock + norm      (embeddings shared)
     * </pre>
     */
    public long parameterCount() {
        long stack = embeddingParameters() + layers * blockParameters() + normParameters() + headParameters();
        return arch == Arch.SEQ2SEQ ? stack + layers * crossBlockParameters() + normParameters() : stack;
    }

    /** fp32 bytes a decoder caches per token, all layers: {@code L · 2·G·d · 4} (MHA/GQA/MQA) or {@code L · (d_c + d_R) · 4} (MLA). */
    public long kvCacheBytesPerToken() {
        long perLayer = attention == Attention.MLA ? (long) latent + ropeDim : 2L * kvHeads * headDim();
        return layers * perLayer * Float.BYTES;
    }

    /** What {@link #attention} prints: {@code MHA}, {@code GQA(G=2)}, {@code MQA}, {@code MLA(d_c=32, d_R=8)}. */
    public String attentionName() {
        return switch (attention) {
            case MHA, MQA -> attention.name();
            case GQA -> "GQA(G=" + kvHeads + ")";
            case MLA -> "MLA(d_c=" + latent + ", d_R=" + ropeDim + ")";
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Transformer %s(vocab=%d, context=%d, layers=%d, heads=%d, width=%d, hidden=%d, positions=%s, norm=%s, ffn=%s, "
                        + "dropout=%.2f%s%s%s%s%s%s%s%s): %,d parameters", arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout,
                attention == Attention.MHA ? "" : ", attention=" + attentionName(), bias ? "" : ", no biases", tied ? "" : ", untied",
                head == Head.FULL ? "" : ", adaptive head " + cutoffs, init == InitScheme.CLASSIC ? "" : ", init=" + init,
                residual ? "" : ", NO RESIDUAL", normalize ? "" : ", NO NORM",
                (postNorm ? ", post-norm" : "") + (normEps != DEFAULT_EPS ? ", eps=" + normEps : "") + (typeVocab > 0 ? ", types=" + typeVocab : "") + (experts > 0 ? ", moe=" + experts + ":" + topK : "") + (ropeScaling.kind() == Rope.Scaling.Kind.NONE ? "" : ", RoPE " + ropeScaling),
                parameterCount());
    }

    /** The config as a JSON object (what {@code config.json} holds); {@link #fromJson} reads it back. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", arch.name());
        m.put("vocab", vocab);
        m.put("context", context);
        m.put("layers", layers);
        m.put("heads", heads);
        m.put("width", width);
        m.put("hidden", hidden);
        m.put("positions", positions.name());
        m.put("norm", norm.name());
        m.put("ffn", ffn.name());
        m.put("dropout", (double) dropout);
        m.put("residual", residual);
        m.put("normalize", normalize);
        m.put("attention", attention.name());
        m.put("kv_heads", kvHeads);
        m.put("latent", latent);
        m.put("rope_dim", ropeDim);
        m.put("bias", bias);
        m.put("tied", tied);
        m.put("head", head.name());
        m.put("cutoffs", new ArrayList<>(cutoffs));
        m.put("init", init.name());
        m.put("post_norm", postNorm);
        m.put("norm_eps", (double) normEps);
        m.put("type_vocab", typeVocab);
        if (experts > 0) { m.put("experts", experts); m.put("top_k", topK); }   // dense configs keep their old fields only
        if (ropeScaling.kind() != Rope.Scaling.Kind.NONE)        // written only when set: older configs stay byte-identical
            m.put("rope_scaling", List.of(ropeScaling.kind().name(), ropeScaling.factor(), ropeScaling.originalContext()));
        return m;
    }

    /**
     * Reads {@link #toJson}'s object; a missing or malformed field is refused with its name, except BERT's three
     * (post_norm, norm_eps, type_vocab), which configs written before them lack: absent, they take their defaults.
     */
    public static TransformerConfig fromJson(Map<String, Object> m) {
        List<Integer> cut = new ArrayList<>();
        if (!(m.get("cutoffs") instanceof List<?> l)) throw new IllegalArgumentException("config: 'cutoffs' is missing or not a list");
        for (Object o : l) {
            if (!(o instanceof Integer || o instanceof Long)) throw new IllegalArgumentException("config: 'cutoffs' must hold integers, got " + l);
            cut.add(((Number) o).intValue());
        }
        if (!(m.get("dropout") instanceof Number d)) throw new IllegalArgumentException("config: 'dropout' is missing or not a number");
        return new TransformerConfig(enumOf(Arch.class, m, "arch"), num(m, "vocab"), num(m, "context"), num(m, "layers"), num(m, "heads"),
                num(m, "width"), num(m, "hidden"), enumOf(Positions.class, m, "positions"), enumOf(Norm.class, m, "norm"),
                enumOf(Ffn.class, m, "ffn"), d.floatValue(), bool(m, "residual"), bool(m, "normalize"), enumOf(Attention.class, m, "attention"),
                num(m, "kv_heads"), num(m, "latent"), num(m, "rope_dim"), bool(m, "bias"), bool(m, "tied"), enumOf(Head.class, m, "head"), cut,
                enumOf(InitScheme.class, m, "init"), m.containsKey("post_norm") && bool(m, "post_norm"),
                m.containsKey("norm_eps") ? eps(m) : DEFAULT_EPS, m.containsKey("type_vocab") ? num(m, "type_vocab") : 0,
                m.containsKey("experts") ? num(m, "experts") : 0, m.containsKey("top_k") ? num(m, "top_k") : 0, ropeScaling(m));
    }

    private static Rope.Scaling ropeScaling(Map<String, Object> m) {
        if (!m.containsKey("rope_scaling")) return Rope.Scaling.NONE;
        if (!(m.get("rope_scaling") instanceof List<?> l) || l.size() != 3 || !(l.get(1) instanceof Number f) || !(l.get(2) instanceof Number c))
            throw new IllegalArgumentException("config: 'rope_scaling' must be [kind, factor, original context], got " + m.get("rope_scaling"));
        for (Rope.Scaling.Kind k : Rope.Scaling.Kind.values())
            if (k.name().equals(l.get(0))) return new Rope.Scaling(k, f.doubleValue(), c.intValue());
        throw new IllegalArgumentException("config: 'rope_scaling' kind must be one of " + java.util.Arrays.toString(Rope.Scaling.Kind.values()) + ", got " + l.get(0));
    }

    private static float eps(Map<String, Object> m) {
        if (!(m.get("norm_eps") instanceof Number n)) throw new IllegalArgumentException("config: 'norm_eps' is not a number (got " + m.get("norm_eps") + ")");
        return n.floatValue();
    }

    private static int num(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n) || !(n instanceof Integer || n instanceof Long) || n.longValue() != n.intValue())
            throw new IllegalArgumentException("config: '" + key + "' is missing or not an integer (got " + m.get(key) + ")");
        return n.intValue();
    }

    private static boolean bool(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Boolean b)) throw new IllegalArgumentException("config: '" + key + "' is missing or not true/false (got " + m.get(key) + ")");
        return b;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Map<String, Object> m, String key) {
        Object v = m.get(key);
        for (E e : type.getEnumConstants()) if (e.name().equals(v)) return e;
        throw new IllegalArgumentException("config: '" + key + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got " + v);
    }

    /** A mutable copy of a config, for changing several fields at once: {@code cfg.toBuilder().gqa(2).bias(false).build()}. */
    public static final class Builder {
        private Arch arch;
        private int vocab, context, layers, heads, width, hidden, kvHeads, latent, ropeDim, typeVocab, experts, topK;
        private boolean postNorm;
        private float normEps;
        private Positions positions;
        private Norm norm;
        private Ffn ffn;
        private float dropout;
        private boolean residual, normalize, bias, tied;
        private Attention attention;
        private Head head;
        private List<Integer> cutoffs;
        private InitScheme init;
        private Rope.Scaling ropeScaling;

        private Builder(TransformerConfig c) {
            arch = c.arch; vocab = c.vocab; context = c.context; layers = c.layers; heads = c.heads; width = c.width; hidden = c.hidden;
            positions = c.positions; norm = c.norm; ffn = c.ffn; dropout = c.dropout; residual = c.residual; normalize = c.normalize;
            attention = c.attention; kvHeads = c.kvHeads; latent = c.latent; ropeDim = c.ropeDim; bias = c.bias; tied = c.tied;
            head = c.head; cutoffs = c.cutoffs; init = c.init; postNorm = c.postNorm; normEps = c.normEps; typeVocab = c.typeVocab;
            experts = c.experts; topK = c.topK;
            ropeScaling = c.ropeScaling;
        }

        public Builder arch(Arch a) { arch = a; return this; }
        public Builder vocab(int v) { vocab = v; return this; }
        public Builder context(int t) { context = t; return this; }
        public Builder layers(int l) { layers = l; return this; }
        public Builder heads(int h) { heads = h; return this; }
        public Builder width(int c) { width = c; return this; }
        public Builder hidden(int h) { hidden = h; return this; }
        public Builder positions(Positions p) { positions = p; return this; }
        public Builder norm(Norm n) { norm = n; return this; }
        public Builder ffn(Ffn f) { ffn = f; return this; }
        public Builder dropout(float d) { dropout = d; return this; }
        public Builder residual(boolean r) { residual = r; return this; }
        public Builder normalize(boolean n) { normalize = n; return this; }
        /** MHA or MQA; GQA and MLA need their sizes ({@link #gqa}, {@link #mla}). */
        public Builder attention(Attention a) {
            if (a == Attention.GQA || a == Attention.MLA)
                throw new IllegalArgumentException("TransformerConfig: " + a + " needs its sizes: use gqa(kvHeads) or mla(latent, ropeDim)");
            attention = a;
            return this;
        }
        public Builder gqa(int g) { attention = Attention.GQA; kvHeads = g; return this; }
        public Builder mla(int dc, int dr) { attention = Attention.MLA; latent = dc; ropeDim = dr; return this; }
        public Builder bias(boolean b) { bias = b; return this; }
        public Builder tied(boolean t) { tied = t; return this; }
        public Builder fullHead() { head = Head.FULL; cutoffs = List.of(); return this; }
        /** Untied adaptive softmax with these cutoffs. */
        public Builder adaptive(int... cut) {
            head = Head.ADAPTIVE;
            tied = false;
            cutoffs = java.util.Arrays.stream(cut).boxed().toList();
            return this;
        }
        public Builder init(InitScheme i) { init = i; return this; }
        public Builder postNorm(boolean p) { postNorm = p; return this; }
        public Builder normEps(float e) { normEps = e; return this; }
        public Builder typeVocab(int t) { typeVocab = t; return this; }
        /** Mixture of experts: E experts, k per token (0, 0 = dense). */
        public Builder moe(int e, int k) { experts = e; topK = k; return this; }

        public Builder ropeScaling(Rope.Scaling s) { ropeScaling = s; return this; }

        public TransformerConfig build() {
            return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize,
                    attention, kvHeads, latent, ropeDim, bias, tied, head, cutoffs, init, postNorm, normEps, typeVocab, experts, topK, ropeScaling);
        }
    }
}
