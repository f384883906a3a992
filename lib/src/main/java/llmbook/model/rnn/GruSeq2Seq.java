package llmbook.model.rnn;

import java.util.Arrays;
import java.util.Locale;
import llmbook.model.Seq2SeqModel;
import llmbook.nn.Embedding;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The recurrent baseline (Q4, Q7): a GRU encoder reads the source one token at a time; its last state is the only
 * thing the GRU decoder learns from (Sutskever et al. 2014, no attention).
 * <pre>
 *   h_t = GRU_enc(E[src_t], h_{t−1})   t = 1 … len          (steps past a sequence's length leave h unchanged)
 *   s_0 = h_len;  s_t = GRU_dec(E[tgtIn_t], s_{t−1});  logits_t = W_out·s_t + b      (B, Tt, V)
 * </pre>
 * The whole source must squeeze through one H-sized vector, and training takes Ts + Tt dependent steps per batch.
 */
public final class GruSeq2Seq extends Module implements Seq2SeqModel {
    public final Config config;
    public final Embedding embed;   // (V, E)
    public final GruCell enc, dec;
    public final Linear out;        // (V, H)

    /**
     * @param vocab  tokens V (shared by source and target)
     * @param embed  embedding width E
     * @param hidden GRU state size H
     */
    public record Config(int vocab, int embed, int hidden) {
        public Config {
            if (vocab < 1 || embed < 1 || hidden < 1)
                throw new IllegalArgumentException("GruSeq2Seq.Config: sizes must be >= 1, got vocab=" + vocab + ", embed=" + embed + ", hidden=" + hidden);
        }

        /** {@code V·E + 2·(3H·E + 3H² + 6H) + H·V + V}: embedding, two GRUs, output layer. */
        public long parameterCount() {
            long v = vocab, e = embed, h = hidden;
            return v * e + 2 * (3 * h * e + 3 * h * h + 6 * h) + h * v + v;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GRU seq2seq(vocab=%d, embed=%d, hidden=%d): %,d parameters", vocab, embed, hidden, parameterCount());
        }
    }

    public GruSeq2Seq(Config config, Rng rng) {
        this.config = config;
        embed = module("embed", new Embedding(config.vocab(), config.embed(), rng, 1f));
        enc = module("enc", new GruCell(config.embed(), config.hidden(), rng));
        dec = module("dec", new GruCell(config.embed(), config.hidden(), rng));
        out = module("out", new Linear(config.hidden(), config.vocab(), rng));
    }

    /** The encoder's final state (B, H): the state after each sequence's last real token. */
    public Tensor encode(int[] src, int[] srcLengths, int b, int ts) {
        if (src.length != b * ts) throw new IllegalArgumentException("GruSeq2Seq.encode: " + src.length + " ids for a (" + b + ", " + ts + ") batch");
        if (srcLengths.length != b) throw new IllegalArgumentException("GruSeq2Seq.encode: " + srcLengths.length + " lengths for " + b + " sequences");
        Tensor gi = enc.ih.forward(embed.forward(src, b, ts));                 // (B, Ts, 3H): every input projection at once
        Tensor h = Tensor.zeros(b, config.hidden());
        for (int t = 0; t < ts; t++) {
            Tensor hNew = enc.stepProjected(gi.slice(1, t, t + 1).reshape(b, 3 * config.hidden()), h);
            float[] keep = new float[b];                                       // 1 while t < length
            boolean all = true;
            for (int s = 0; s < b; s++) {
                keep[s] = t < srcLengths[s] ? 1f : 0f;
                all &= keep[s] == 1f;
            }
            h = all ? hNew : h.add(hNew.sub(h).mul(Tensor.wrap(keep, b, 1)));   // frozen past the end
        }
        return h;
    }

    @Override
    public Tensor loss(int[] src, int[] srcLengths, int[] tgtIn, int[] tgtOut, int b, int ts, int tt) {
        Tensor s = encode(src, srcLengths, b, ts);
        Tensor gi = dec.ih.forward(embed.forward(tgtIn, b, tt));               // (B, Tt, 3H)
        Tensor[] states = new Tensor[tt];
        for (int t = 0; t < tt; t++) {
            s = dec.stepProjected(gi.slice(1, t, t + 1).reshape(b, 3 * config.hidden()), s);
            states[t] = s;
        }
        Tensor logits = out.forward(Tensor.stack(1, states));                  // (B, Tt, V)
        return Functional.crossEntropy(logits.reshape(b * tt, config.vocab()), tgtOut, -1);
    }

    @Override
    public int[][] greedy(int[] src, int[] srcLengths, int b, int ts, int bos, int eos, int maxLen) {
        try (var ng = Tensor.noGrad()) {
            Tensor s = encode(src, srcLengths, b, ts);
            int[] prev = new int[b];
            Arrays.fill(prev, bos);
            int[][] res = new int[b][maxLen];
            int[] len = new int[b];
            boolean[] done = new boolean[b];
            for (int t = 0; t < maxLen; t++) {
                s = dec.step(embed.forward(prev, b), s);
                prev = out.forward(s).argmax();
                boolean all = true;
                for (int i = 0; i < b; i++) {
                    if (!done[i]) {
                        if (prev[i] == eos) done[i] = true;
                        else res[i][len[i]++] = prev[i];
                    }
                    all &= done[i];
                }
                if (all) break;
            }
            for (int i = 0; i < b; i++) res[i] = Arrays.copyOf(res[i], len[i]);
            return res;
        }
    }
}
