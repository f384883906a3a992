package llmbook.model.transformer;

import java.util.Arrays;
import llmbook.attention.Mask;
import llmbook.model.Seq2SeqModel;
import llmbook.nn.Dropout;
import llmbook.nn.Embedding;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.nn.ModuleList;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * An encoder–decoder transformer, the architecture of "Attention Is All You Need". Q4, Q7, Q11.
 * <pre>
 *   memory = enc_norm(enc.L−1(… enc.0(embed(src), padding(srcLengths))))              (B, Ts, C)
 *   h      = dec_norm(dec.L−1(… dec.0(embed(tgtIn), causal, memory)))                 (B, Tt, C)
 *   logits = h · wteᵀ                                                                    (B, Tt, V)
 * </pre>
 * The encoder reads the whole source in both directions; each decoder block attends causally to the output so far
 * and, through cross-attention, to every source position. Source and target share the vocabulary and the token
 * embedding (which is also the output layer). Unlike an RNN, no single vector has to carry the whole source, and all
 * positions of a sequence are processed in parallel during training.
 */
public final class Seq2Seq extends Module implements Seq2SeqModel {
    public final TransformerConfig config;
    private final Embedder embedder;

    public Seq2Seq(TransformerConfig config, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.SEQ2SEQ)
            throw new IllegalArgumentException("Seq2Seq: config.arch must be SEQ2SEQ, got " + config.arch());
        this.config = config;
        embedder = new Embedder(config);
        module("wte", Embedder.tokens(config, rng));
        Embedding wpe = Embedder.positions(config, rng);
        if (wpe != null) module("wpe", wpe);
        module("drop", new Dropout(config.dropout(), rng));
        ModuleList enc = module("enc", new ModuleList());
        for (int l = 0; l < config.layers(); l++) enc.add(new Block(config, false, rng));
        if (config.normalize()) module("enc_norm", Block.newNorm(config));
        ModuleList dec = module("dec", new ModuleList());
        for (int l = 0; l < config.layers(); l++) dec.add(new Block(config, true, rng));
        if (config.normalize()) module("dec_norm", Block.newNorm(config));
    }

    /** Embedded ids (B, T, C) after dropout; {@code layer} names the caller in errors. */
    private Tensor embed(String layer, int[] ids, int b, int t) {
        Embedding wpe = config.positions() == TransformerConfig.Positions.LEARNED ? child("wpe") : null;
        return this.<Layer>child("drop").forward(embedder.forward(layer, child("wte"), wpe, ids, b, t, 0));
    }

    private Tensor norm(String name, Tensor x) { return config.normalize() ? this.<Layer>child(name).forward(x) : x; }

    /** The encoder's output (B, Ts, C). */
    public Tensor encode(int[] src, int[] srcLengths, int b, int ts) {
        checkLengths(srcLengths, b, ts);
        Tensor x = embed("Seq2Seq encoder", src, b, ts);
        Mask mask = Mask.padding(srcLengths);
        ModuleList enc = child("enc");
        for (int l = 0; l < enc.size(); l++) x = enc.<Block>get(l).forward(x, mask);
        return norm("enc_norm", x);
    }

    /** Decoder logits (B, Tt, V) for {@code tgtIn} given the encoder's {@code memory}. */
    public Tensor decode(Tensor memory, int[] srcLengths, int[] tgtIn, int b, int tt) {
        Tensor x = embed("Seq2Seq decoder", tgtIn, b, tt);
        Mask memMask = Mask.padding(srcLengths);
        ModuleList dec = child("dec");
        for (int l = 0; l < dec.size(); l++) x = dec.<Block>get(l).forward(x, Mask.CAUSAL, memory, memMask);
        return Embedder.logits(norm("dec_norm", x), child("wte"));
    }

    @Override
    public Tensor loss(int[] src, int[] srcLengths, int[] tgtIn, int[] tgtOut, int b, int ts, int tt) {
        if (tgtOut.length != b * tt)
            throw new IllegalArgumentException("Seq2Seq.loss: " + tgtOut.length + " targets for a (" + b + ", " + tt + ") target batch");
        Tensor logits = decode(encode(src, srcLengths, b, ts), srcLengths, tgtIn, b, tt);   // (B, Tt, V)
        return Functional.crossEntropy(logits.reshape(b * tt, config.vocab()), tgtOut, -1);
    }

    /** Greedy decoding: the memory is computed once; the decoder re-reads the whole prefix at every step (no KV cache). */
    @Override
    public int[][] greedy(int[] src, int[] srcLengths, int b, int ts, int bos, int eos, int maxLen) {
        if (maxLen > config.context())   // the decoder reads BOS + up to maxLen − 1 generated tokens
            throw new IllegalArgumentException("Seq2Seq.greedy: maxLen " + maxLen + " exceeds the context window " + config.context());
        boolean was = isTraining();
        eval();
        try (var ng = Tensor.noGrad()) {
            Tensor memory = encode(src, srcLengths, b, ts);
            int[][] out = new int[b][maxLen];
            int[] len = new int[b];
            boolean[] done = new boolean[b];
            int[] prefix = new int[b];
            Arrays.fill(prefix, bos);
            for (int t = 1; t <= maxLen; t++) {
                Tensor logits = decode(memory, srcLengths, prefix, b, t);              // (B, t, V)
                int[] next = logits.slice(1, t - 1, t).reshape(b, config.vocab()).argmax();
                int[] grown = new int[b * (t + 1)];
                boolean all = true;
                for (int s = 0; s < b; s++) {
                    System.arraycopy(prefix, s * t, grown, s * (t + 1), t);
                    grown[s * (t + 1) + t] = next[s];
                    if (!done[s]) {
                        if (next[s] == eos) done[s] = true;
                        else out[s][len[s]++] = next[s];
                    }
                    all &= done[s];
                }
                prefix = grown;
                if (all) break;
            }
            int[][] res = new int[b][];
            for (int s = 0; s < b; s++) res[s] = Arrays.copyOf(out[s], len[s]);
            return res;
        } finally {
            train(was);
        }
    }

    @Override public void setTraining(boolean on) { train(on); }

    static void checkLengths(int[] lengths, int b, int t) {
        if (lengths == null || lengths.length != b)
            throw new IllegalArgumentException("Seq2Seq: need one source length per sequence (" + b + "), got "
                    + (lengths == null ? "null" : String.valueOf(lengths.length)));
        for (int s = 0; s < b; s++)
            if (lengths[s] < 1 || lengths[s] > t)
                throw new IllegalArgumentException("Seq2Seq: source length " + lengths[s] + " of sequence " + s + " outside 1 … " + t);
    }
}
