package llmbook.objectives;

import java.util.ArrayList;
import java.util.List;
import llmbook.model.transformer.Encoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Embedding;
import llmbook.nn.LayerNorm;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A small BERT: the library {@link Encoder} with BERT's two pre-training heads (Q25, Q27).
 * <pre>
 *   h = bert.hidden(input, types, lengths)                                  (B, T, C)
 *   MLM head, at the M scored positions only:
 *     z = LN(gelu(h[scored] · W_dᵀ + b_d))                                   (M, C)
 *     logits = z · wteᵀ + b_out          ← wte is the encoder's own token table (tied)        (M, V)
 *   pair head, on [CLS] (position 0):
 *     pooled = tanh(h[:, 0] · W_pᵀ + b_p)        logits = pooled · W_cᵀ + b_c                 (B, 2)
 *   loss = CE(MLM) + CE(pair)          (each term only if the batch has targets / labels)
 * </pre>
 * Tying the output to the input table means a word's embedding is also the direction that predicts it; the MLM head
 * adds only C² + 3C + V parameters. Under CLASSIC init the pair head keeps PyTorch's default Linear init (see the
 * constructor: BERT's N(0, 0.02) there leaves the head stuck at chance). Every op is an autograd primitive (no new
 * backward); the tests still check the heads' gradients against finite differences. {@link #config} is the recipe that trains at this size.
 */
public final class MaskedLm extends Module {
    public final Encoder bert;
    private final Linear dense, pooler, classifier;
    private final LayerNorm ln;
    private final Tensor outBias;              // (V)
    private float pairWeight = 1f;
    private boolean meanPool;

    /**
     * What the pair head reads: {@code false} (default) the [CLS] state, as BERT; {@code true} the mean of the real
     * tokens' states (the probe's features), a check on whether [CLS] pooling is what holds a pair head back (Q27).
     * Returns this model.
     */
    public MaskedLm pairMeanPooled(boolean mean) {
        meanPool = mean;
        return this;
    }

    /**
     * Weight of the pair loss in {@link #loss} (default 1, BERT's sum): {@code loss = CE(MLM) + w · CE(pair)}. Returns
     * this model.
     */
    public MaskedLm pairWeight(float w) {
        if (!(w > 0)) throw new IllegalArgumentException("MaskedLm.pairWeight: must be > 0, got " + w);
        pairWeight = w;
        return this;
    }

    /**
     * The chapter's small BERT (Q25): a pre-norm encoder, {@code layers} blocks of {@code width} channels, heads of 16
     * dimensions, an MLP 4× wide, <b>rotary positions</b> and <b>PyTorch-default ("classic") initialisation</b>.
     * <p>Why not the GPT recipe (learned position table, every weight N(0, 0.02))? A masked position holds no
     * evidence about its own word, so everything an MLM learns beyond word frequencies must come through attention to
     * its neighbours. With tiny q and k the attention starts uniform and blind to position, the gradient that would
     * sharpen it is second order, and the model first learns the unigram distribution and stays there: on the State
     * of the Union, a 2-layer encoder with the GPT recipe predicted "the" at every blank for 800 steps, at 15% and at
     * 40% masking. A GPT does not have this problem: the current word sits in its own residual stream, so bigram
     * statistics need no attention at all. Rotary positions make "the word just before me" a property of the
     * relative offset that every query shares, and unit-scale weights make attention non-uniform from step 0; the test
     * {@code MaskedLmTest.beatsUnigramOnAMarkovChain} fails on the GPT recipe and passes on this one.
     * <pre>
     *   MaskedLm.config(vocab, 32, 2, 64)   → 2 layers, 4 heads, width 64, MLP 256, RoPE, LayerNorm, GELU, CLASSIC init
     * </pre>
     * Without a position table the same weights run at any context length (a pair model of 64 tokens can start from a
     * 32-token MLM encoder: {@link #copyFrom}).
     */
    public static TransformerConfig config(int vocab, int context, int layers, int width) {
        if (width < 16 || width % 16 != 0) throw new IllegalArgumentException("MaskedLm.config: width must be a positive multiple of 16 (heads of 16), got " + width);
        return TransformerConfig.small(TransformerConfig.Arch.ENCODER, vocab, context).toBuilder().layers(layers).heads(width / 16).width(width)
                .hidden(4 * width).positions(TransformerConfig.Positions.ROPE).init(TransformerConfig.InitScheme.CLASSIC).build();
    }

    public MaskedLm(TransformerConfig config, Rng rng) {
        bert = module("bert", new Encoder(config, rng));
        if (config.typeVocab() > 0 && config.init() == TransformerConfig.InitScheme.CLASSIC) {
            // the encoder draws its segment table N(0, 0.02), BERT's scale; next to unit-scale token rows (√C · N(0, 1/C))
            // it would be invisible, so under CLASSIC init it is drawn at the token rows' scale
            Tensor w = ((Embedding) bert.get("wtt")).weight;
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        }
        int c = config.width();
        dense = module("mlm_dense", new Linear(c, c, rng).initNormal(rng, 0.02f));
        ln = module("mlm_ln", new LayerNorm(c));
        outBias = param("mlm_bias", Tensor.zeros(config.vocab()));
        // the pair head: BERT draws it N(0, 0.02) (GPT2 init here). Under CLASSIC init it keeps Linear's U(±1/√C): two
        // stacked N(0, 0.02) layers on a [CLS] state that barely varies at the start put the head at the saddle of a
        // deep linear net (each layer's gradient is the other's tiny weights), and it sat at loss ln 2 for 300 steps
        // even on a trivially separable task (PairHeadTest.learnsASeparableTaskFromCls)
        boolean classic = config.init() == TransformerConfig.InitScheme.CLASSIC;
        Linear p = new Linear(c, c, rng), k = new Linear(c, 2, rng);
        pooler = module("pooler", classic ? p : p.initNormal(rng, 0.02f));
        classifier = module("pair", classic ? k : k.initNormal(rng, 0.02f));
    }

    /** The encoder's hidden states for a batch. */
    public Tensor hidden(MlmBatch b) {
        return bert.hidden(b.input(), bert.config.typeVocab() > 0 ? b.types() : null, b.lengths(), b.B(), b.T());
    }

    /** Logits over the vocabulary (M, V) at rows {@code rows} of the flattened hidden states (B·T, C). */
    public Tensor mlmLogits(Tensor hidden, int[] rows) {
        int c = bert.config.width();
        Tensor h = hidden.reshape(hidden.numel() / c, c).indexSelect(rows);            // (M, C)
        Tensor z = ln.forward(dense.forward(h).gelu());                               // (M, C)
        Tensor wte = ((Embedding) bert.get("wte")).weight;                            // (V, C)
        return z.matmul(wte.t()).add(outBias);                                        // (M, V)
    }

    /** Pair logits (B, 2) from the [CLS] position. */
    public Tensor pairLogits(Tensor hidden) { return pairLogits(hidden, null); }

    /**
     * Pair logits (B, 2) from the [CLS] position, or, if {@link #pairMeanPooled}, from the mean over each sequence's
     * first {@code lengths[b]} positions (null = all T).
     */
    public Tensor pairLogits(Tensor hidden, int[] lengths) {
        int[] s = hidden.shape();
        Tensor pooled = meanPool ? Encoder.meanPool(hidden, lengths)                   // (B, C)
                : hidden.slice(1, 0, 1).reshape(s[0], s[2]);
        return classifier.forward(pooler.forward(pooled).tanh());                     // (B, 2)
    }

    /** The scored rows of a batch and their targets. */
    static int[][] scored(int[] targets) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) if (targets[i] >= 0) rows.add(i);
        int[] r = rows.stream().mapToInt(Integer::intValue).toArray(), t = new int[r.length];
        for (int i = 0; i < r.length; i++) t[i] = targets[r[i]];
        return new int[][] {r, t};
    }

    /** The pre-training loss of the class comment: MLM over the scored positions plus the pair loss if labelled. */
    public Tensor loss(MlmBatch b) {
        Tensor h = hidden(b);
        Tensor loss = null;
        int[][] s = scored(b.targets());
        if (s[0].length > 0) loss = Functional.crossEntropy(mlmLogits(h, s[0]), s[1]);
        if (b.labels() != null) {
            Tensor p = Functional.crossEntropy(pairLogits(h, b.lengths()), b.labels());
            if (pairWeight != 1f) p = p.mul(pairWeight);
            loss = loss == null ? p : loss.add(p);
        }
        if (loss == null) throw new IllegalArgumentException("MaskedLm.loss: the batch has neither masked targets nor pair labels");
        return loss;
    }

    /**
     * Accuracy of the pair head (argmax of its two logits vs the label) on {@code batches} batches of {@code size}
     * drawn from {@code source} with {@code new Rng(seed)}: NSP or SOP accuracy, whichever task the source builds (Q27).
     */
    public double pairAccuracy(llmbook.data.Batches<MlmBatch> source, int batches, int size, long seed) {
        Rng rng = new Rng(seed);
        int ok = 0, n = 0;
        boolean was = isTraining();
        train(false);
        try (var g = Tensor.noGrad()) {
            for (int i = 0; i < batches; i++) {
                MlmBatch b = source.next(rng, size);
                if (b.labels() == null) throw new IllegalArgumentException("MaskedLm.pairAccuracy: the source gives no pair labels");
                float[] z = pairLogits(hidden(b), b.lengths()).toArray();                  // (B, 2)
                for (int k = 0; k < b.B(); k++, n++) if ((z[2 * k + 1] > z[2 * k] ? 1 : 0) == b.labels()[k]) ok++;
            }
        } finally {
            train(was);
        }
        return (double) ok / n;
    }

    /**
     * Copies every parameter of {@code other} whose path and shape exist here (the encoder's blocks, the token table,
     * the MLM head; a new segment table or pair head keeps its own initial values): a pair model starting from a
     * pre-trained MLM encoder. Returns the number of tensors copied.
     */
    public int copyFrom(MaskedLm other) {
        var mine = namedParameters();
        int n = 0;
        for (var e : other.namedParameters().entrySet()) {
            Tensor t = mine.get(e.getKey());
            if (t == null || !java.util.Arrays.equals(t.shape(), e.getValue().shape())) continue;
            System.arraycopy(e.getValue().toArray(), 0, t.data(), 0, t.numel());
            n++;
        }
        return n;
    }

    /** Mean-pooled hidden states (B, C) of unmasked sequences: the frozen features of a linear probe (Q26). */
    public Tensor features(int[] ids, int[] lengths, int b, int t) {
        return bert.pooled(ids, lengths, b, t);
    }
}
