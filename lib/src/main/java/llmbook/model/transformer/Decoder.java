package llmbook.model.transformer;

import java.util.Arrays;
import llmbook.attention.KvCache;
import llmbook.attention.Mask;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.nn.AdaptiveSoftmax;
import llmbook.nn.Dropout;
import llmbook.nn.Embedding;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.LmHead;
import llmbook.nn.Module;
import llmbook.nn.ModuleList;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * THE decoder-only language model of the book: GPT-2, LLaMA and every variant between, built from one
 * {@link TransformerConfig}. Position t sees tokens 0 … t only (causal mask), so it is trained to predict token t+1 at
 * every position at once. Q8, Q9, Q11, Q12, Q42.
 * <pre>
 *   x      = drop(wte[ids] + wpe[0 … T−1])                     (B, T, C)    wpe: learned positions only
 *   x      = h.L−1(… h.0(x, causal))                           pre-norm {@link Block}s
 *   logits = ln_f(x) · wteᵀ  |  head(ln_f(x))                   (B, T, V)    tied, untied, or adaptive softmax
 * </pre>
 * <pre>{@code
 * var gpt = new Decoder(TransformerConfig.gpt2(65), new Rng(1337));     // the book's reference model
 * Tensor loss = gpt.loss(ids, targets, B, T);                          // mean cross-entropy
 * gpt.replace("h.*.mlp", old -> new MyMoE(...));                       // every block's MLP swapped in place
 * DecodeCache cache = gpt.newCache(1);                                 // generation: one position of work per token
 * }</pre>
 * Paths follow GPT-2/nanoGPT: {@code wte}, {@code wpe}, {@code h.{i}.ln_1}, {@code h.{i}.attn.*}, {@code h.{i}.ln_2},
 * {@code h.{i}.mlp}, {@code ln_f}, {@code head} (untied only). Every sub-module is read through {@link #child} at forward
 * time, so replacing one by path takes effect.
 */
public final class Decoder extends Module implements LanguageModel {
    public final TransformerConfig config;
    private final Embedder embed;
    private final Rng rng;

    public Decoder(TransformerConfig config, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.DECODER)
            throw new IllegalArgumentException("Decoder: config.arch must be DECODER, got " + config.arch());
        this.config = config;
        this.rng = rng;
        embed = new Embedder(config);
        module("wte", Embedder.tokens(config, rng));
        Embedding wpe = Embedder.positions(config, rng);
        if (wpe != null) module("wpe", wpe);
        ModuleList h = module("h", new ModuleList());
        for (int l = 0; l < config.layers(); l++) h.add(new Block(config, false, rng));
        if (config.normalize()) module("ln_f", Block.newNorm(config));
        module("drop", new Dropout(config.dropout(), rng));
        if (config.head() == TransformerConfig.Head.ADAPTIVE)
            module("head", new AdaptiveSoftmax(config.width(), config.vocab(), config.cutoffs().stream().mapToInt(Integer::intValue).toArray(),
                    TransformerConfig.ADAPTIVE_DIV, rng));
        else if (!config.tied()) {
            Linear head = new Linear(config.width(), config.vocab(), false, rng);
            float std = Block.gpt2Std(config, false);
            module("head", Float.isNaN(std) ? head : head.initNormal(rng, std));
        }
    }

    @Override public int vocab() { return config.vocab(); }

    @Override public int context() { return config.context(); }

    @Override public Rng dropoutRng() { return rng; }

    /** Block {@code l} (as registered or replaced). */
    public Block block(int l) { return this.<ModuleList>child("h").get(l); }

    /** Final hidden states (B, T, C): everything but the output layer. {@code cache} null: a whole sequence from position 0. */
    public Tensor hidden(int[] ids, int b, int t, DecodeCache cache) {
        Cache c = cache == null ? null : own(cache, b);
        int start = c == null ? 0 : c.length;
        Tensor x = embed.forward("Decoder", this.<Embedding>child("wte"), wpe(), ids, b, t, start);   // (B, T, C)
        return trunk(x, c);
    }

    /**
     * Prompt tuning's hook (chapter 9): hidden states (B, P + T, C) of {@code P} vectors {@code prefix} (P, C) — trainable
     * "virtual tokens", not rows of the embedding table — followed by ids laid out (B, T). The prefix takes positions
     * 0 … P−1 (with learned positions their embeddings are added as for a token; sinusoidal ones are not added to the
     * prefix) and every sequence sees the same prefix. A prefix (B, P, C) gives each sequence its own: a captioner's
     * image patches (chapter 11, Q44).
     */
    public Tensor hidden(Tensor prefix, int[] ids, int b, int t) {
        int[] ps = prefix.shape();
        boolean perRow = ps.length == 3;
        if (!(ps.length == 2 || perRow && ps[0] == b) || ps[ps.length - 1] != config.width())
            throw new IllegalArgumentException("Decoder: a prefix must be (P, " + config.width() + ") or (" + b + ", P, " + config.width() + "), got "
                    + java.util.Arrays.toString(ps));
        int p = ps[ps.length - 2];
        if (p + t > config.context())
            throw new IllegalArgumentException("Decoder: " + p + " prefix vectors and " + t + " tokens make " + (p + t)
                    + ", the context window is only " + config.context());
        Tensor x = embed.forward("Decoder", this.<Embedding>child("wte"), wpe(), ids, b, t, p);          // (B, T, C) at positions P …
        Tensor pre = wpe() == null ? prefix : prefix.add(wpe().weight.slice(0, 0, p));                    // (P, C) or (B, P, C)
        if (perRow) return trunk(Tensor.concat(1, pre, x), null);                                         // (B, P + T, C)
        Tensor[] rows = new Tensor[b];
        java.util.Arrays.fill(rows, pre);
        return trunk(Tensor.concat(1, Tensor.stack(0, rows), x), null);                                 // (B, P + T, C)
    }

    /** Logits (B, T, V) of the T tokens after a prefix of P vectors, (P, C) or (B, P, C): the prefix positions are not scored. */
    public Tensor logits(Tensor prefix, int[] ids, int b, int t) {
        int p = prefix.shape()[prefix.shape().length - 2];
        return head(hidden(prefix, ids, b, t).slice(1, p, p + t).contiguous(), b, t);
    }

    /** Dropout, the blocks (causal mask, or the cache's positions) and the final norm on embedded inputs (B, T, C). */
    private Tensor trunk(Tensor x, Cache c) {
        x = this.<Layer>child("drop").forward(x);
        ModuleList h = child("h");
        for (int l = 0; l < h.size(); l++) {
            Block blk = h.get(l);
            x = c == null ? blk.forward(x, Mask.CAUSAL) : blk.forward(x, c.layers[l]);
        }
        return config.normalize() ? this.<Layer>child("ln_f").forward(x) : x;
    }

    private Embedding wpe() { return config.positions() == TransformerConfig.Positions.LEARNED ? child("wpe") : null; }

    /** The output layer on hidden states (B, T, C) → (B, T, V): logits, or log-probabilities for adaptive softmax. */
    private Tensor head(Tensor hidden, int b, int t) {
        if (config.head() == TransformerConfig.Head.ADAPTIVE)
            return this.<LmHead>child("head").logProbs(hidden).reshape(b, t, config.vocab());
        return config.tied() ? Embedder.logits(hidden, child("wte")) : this.<Layer>child("head").forward(hidden);
    }

    /** Logits (B, T, V) for ids laid out (B, T). */
    @Override public Tensor logits(int[] ids, int b, int t) { return head(hidden(ids, b, t, null), b, t); }

    /** Chapter 5's name for {@link #logits(int[], int, int)}. */
    public Tensor forward(int[] ids, int b, int t) { return logits(ids, b, t); }

    /**
     * Mean cross-entropy of next-token {@code targets} (B·T; −1 = not scored). With adaptive softmax the loss runs
     * through the head's own {@link LmHead#loss}, which visits a tail cluster only for the rows whose target is there.
     * While training, the auxiliary losses of sub-modules ({@link llmbook.nn.AuxiliaryLoss}: a mixture of experts'
     * load-balancing and z-losses) are added, so any trainer optimises them; in eval mode it is the cross-entropy alone.
     */
    @Override
    public Tensor loss(int[] ids, int[] targets, int b, int t) {
        Tensor ce = crossEntropy(ids, targets, b, t);
        Tensor aux = isTraining() ? llmbook.nn.AuxiliaryLoss.collect(this) : null;   // MoE routers' losses (Q46), training only
        return aux == null ? ce : ce.add(aux);
    }

    private Tensor crossEntropy(int[] ids, int[] targets, int b, int t) {
        if (targets.length != b * t)
            throw new IllegalArgumentException("Decoder.loss: " + targets.length + " targets for a (" + b + ", " + t + ") batch");
        if (config.head() != TransformerConfig.Head.ADAPTIVE)
            return Functional.crossEntropy(logits(ids, b, t).reshape(b * t, config.vocab()), targets, -1);
        Tensor h = hidden(ids, b, t, null).reshape(b * t, config.width());
        int scored = (int) Arrays.stream(targets).filter(y -> y != -1).count();
        if (scored == b * t) return this.<LmHead>child("head").loss(h, targets);
        int[] rows = new int[scored], ys = new int[scored];
        for (int r = 0, j = 0; r < targets.length; r++) if (targets[r] != -1) { rows[j] = r; ys[j++] = targets[r]; }
        return this.<LmHead>child("head").loss(h.indexSelect(rows), ys);
    }

    @Override public boolean supportsCache() { return true; }

    @Override public DecodeCache newCache(int batch) {
        if (batch < 1) throw new IllegalArgumentException("Decoder.newCache: batch must be >= 1, got " + batch);
        return new Cache(batch);
    }

    /** Logits (B, T, V) of the tokens at positions {@code cache.length() …}, appending their keys and values to {@code cache}. */
    @Override
    public Tensor logits(int[] ids, int b, int t, DecodeCache cache) {
        Cache c = own(cache, b);
        try (var ng = Tensor.noGrad()) {
            Tensor out = head(hidden(ids, b, t, c), b, t);
            c.length += t;
            return out;
        }
    }

    private Cache own(DecodeCache cache, int b) {
        if (!(cache instanceof Cache c) || c.owner() != this)
            throw new IllegalArgumentException("Decoder: this cache was not made by this model's newCache");
        if (b != c.batch) throw new IllegalArgumentException("Decoder: a batch of " + b + " sequences, but the cache holds " + c.batch);
        return c;
    }

    /**
     * One attention {@link KvCache} per layer, preallocated to the context; {@link #reorder} moves the batch rows of
     * every layer's cache (beam search).
     */
    private final class Cache implements DecodeCache {
        private int batch;
        private KvCache[] layers;
        private int length;

        Cache(int batch) {
            this.batch = batch;
            reset();
        }

        Decoder owner() { return Decoder.this; }

        @Override public int length() { return length; }
        @Override public int batch() { return batch; }
        @Override public int capacity() { return config.context(); }

        @Override public void reset() {
            ModuleList h = child("h");
            layers = new KvCache[h.size()];
            for (int l = 0; l < layers.length; l++) layers[l] = h.<Block>get(l).attention().newCache(batch, config.context());   // preallocated
            length = 0;
        }

        @Override public long bytes() {
            long n = 0;
            for (KvCache k : layers) n += k.bytes();
            return n;
        }

        @Override public long bytesPerToken() {
            long n = 0;
            ModuleList h = child("h");
            for (int l = 0; l < h.size(); l++) n += h.<Block>get(l).attention().kvCacheBytesPerToken();
            return n;
        }

        @Override public void truncate(int n) {
            if (n < 0 || n > length) throw new IllegalArgumentException("DecodeCache.truncate: " + n + " outside 0 … " + length);
            for (KvCache k : layers) k.truncate(n);
            length = n;
        }

        /** Row i becomes old row {@code rows[i]} (repeats allowed; the batch takes the size of {@code rows}): every layer's cache rows move. */
        @Override public void reorder(int[] rows) {
            if (rows.length == 0) throw new IllegalArgumentException("DecodeCache.reorder: no rows to keep");
            for (int r : rows) if (r < 0 || r >= batch) throw new IllegalArgumentException("DecodeCache.reorder: row " + r + " outside 0 … " + (batch - 1));
            for (KvCache k : layers) k.reorder(rows);
            batch = rows.length;
        }
    }
}
