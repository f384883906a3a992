package llmbook.tasks;

import llmbook.data.Batches;
import llmbook.data.TokenBatch;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The induction-head experiment (Olsson et al., "In-context learning and induction heads", 2022). A sequence of
 * {@code L} random tokens is followed by the same tokens again; the rest of the window is fresh random tokens:
 * <pre>
 *   7 3 9 1 | 7 3 9 1 | 4 0 …        L = 4: the first copy cannot be predicted (loss ln V), the second can, token
 *                                    after token, by finding where the current token occurred before and copying
 *                                    the token that followed it
 * </pre>
 * {@code L} is drawn afresh for every sequence, so no fixed offset ("look back L") works: the copy must be found by
 * content. That takes two steps of attention — a <i>previous-token head</i> writes "the token before me was a" into
 * each position, and an <i>induction head</i> in a later layer, querying with the current token a, attends to the
 * position whose previous token was a and copies its token. A one-layer attention-only model cannot compose two
 * heads, so it cannot form one. A model can also lower the second copy's loss without it, by looking a typical
 * distance back (a pattern set by position, which one layer can follow): {@link #headScores} measures how much
 * attention each head gives the induction target and the previous token, and comparing one- and two-layer models
 * tells the two apart. The same copying is what solves a letter map from the examples of a few-shot prompt
 * ({@link InContext}). Q31.
 */
public final class Induction implements Batches<TokenBatch> {
    private final int vocab, context, minLength;

    /**
     * Training windows of {@code context} tokens drawn uniformly from {@code [0, vocab)}, each with a repeated run of
     * random length in {@code [minLength, context / 2]}.
     */
    public Induction(int vocab, int context, int minLength) {
        if (vocab < 2) throw new IllegalArgumentException("Induction: vocab must be >= 2, got " + vocab);
        if (minLength < 2 || 2 * minLength > context)
            throw new IllegalArgumentException("Induction: need 2 <= minLength <= context / 2, got minLength " + minLength + " and context " + context);
        this.vocab = vocab;
        this.context = context;
        this.minLength = minLength;
    }

    @Override
    public TokenBatch next(Rng rng, int size) {
        int[] x = new int[size * context], y = new int[size * context];
        for (int b = 0; b < size; b++) {
            int len = minLength + rng.nextInt(context / 2 - minLength + 1);
            int[] s = sequence(rng, len, context + 1);
            System.arraycopy(s, 0, x, b * context, context);
            System.arraycopy(s, 1, y, b * context, context);
        }
        return new TokenBatch(x, y, size, context);
    }

    @Override public long tokens(TokenBatch batch) { return batch.scored(); }

    /** {@code total} tokens: {@code length} random ones, the same again, then fresh random ones. */
    int[] sequence(Rng rng, int length, int total) {
        int[] s = new int[total];
        for (int i = 0; i < total; i++) s[i] = i >= length && i < 2 * length ? s[i - length] : rng.nextInt(vocab);
        return s;
    }

    /** {@code n} test windows of exactly {@code 2 · length} tokens (two copies), with next-token targets (the last is -1). */
    public TokenBatch repeated(int n, int length, long seed) {
        if (length < 2 || 2 * length > context)
            throw new IllegalArgumentException("Induction.repeated: need 2 <= length <= " + context / 2 + ", got " + length);
        Rng rng = new Rng(seed);
        int T = 2 * length;
        int[] x = new int[n * T], y = new int[n * T];
        for (int b = 0; b < n; b++) {
            int[] s = sequence(rng, length, T);
            System.arraycopy(s, 0, x, b * T, T);
            System.arraycopy(s, 1, y, b * T, T - 1);
            y[b * T + T - 1] = -1;
        }
        return new TokenBatch(x, y, n, T);
    }

    /**
     * Mean loss (nats) of {@code model} at each position of {@code batch} (its targets; -1 positions are NaN), in
     * evaluation mode without a graph.
     */
    public static double[] lossByPosition(LanguageModel model, TokenBatch batch) {
        int B = batch.B(), T = batch.T(), V = model.vocab();
        boolean was = model.isTraining();
        model.train(false);
        double[] sum = new double[T];
        int[] count = new int[T];
        try (var g = Tensor.noGrad()) {
            float[] lp = Functional.logSoftmax(model.logits(batch.x(), B, T).reshape(B * T, V)).toArray();
            for (int i = 0; i < B * T; i++) {
                int target = batch.y()[i];
                if (target < 0) continue;
                sum[i % T] -= lp[i * V + target];
                count[i % T]++;
            }
        } finally {
            model.train(was);
        }
        for (int t = 0; t < T; t++) sum[t] = count[t] == 0 ? Double.NaN : sum[t] / count[t];
        return sum;
    }

    /**
     * Mean loss on the first copy's predictable-by-nothing targets and on the second copy's predictable ones, for a
     * batch of {@link #repeated} windows of {@code length}: position t predicts token t + 1, so positions
     * {@code 0 … length-2} predict the first copy and positions {@code length … 2·length-2} the second (position
     * {@code length-1} predicts the first token of the repeat, which nothing announces). Returns {first, second}.
     */
    public static double[] copyLosses(double[] byPosition, int length) {
        if (byPosition.length != 2 * length)
            throw new IllegalArgumentException("Induction.copyLosses: " + byPosition.length + " positions for two copies of " + length);
        double a = 0, b = 0;
        for (int t = 0; t < length - 1; t++) { a += byPosition[t]; b += byPosition[length + t]; }
        return new double[] {a / (length - 1), b / (length - 1)};
    }

    /**
     * For attention weights (B, H, 2L, 2L) of {@link #repeated} windows: per head, the mean weight that queries of the
     * second copy (positions {@code L … 2L-2}) give to the key one after the same token's first occurrence
     * ({@code t - L + 1}: the induction pattern), and to the key just before them ({@code t - 1}: the previous-token
     * pattern). Returns {induction[H], previousToken[H]}.
     */
    public static double[][] headScores(Tensor weights, int length) {
        int[] s = weights.shape();
        int T = 2 * length;
        if (s.length != 4 || s[2] != T || s[3] != T)
            throw new IllegalArgumentException("Induction.headScores: weights must be (B, H, " + T + ", " + T + "), got " + java.util.Arrays.toString(s));
        int B = s[0], H = s[1];
        float[] w = weights.toArray();
        double[][] out = new double[2][H];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int t = length; t < T - 1; t++) {
                    int row = ((b * H + h) * T + t) * T;
                    out[0][h] += w[row + t - length + 1];
                    out[1][h] += w[row + t - 1];
                }
        for (double[] o : out) for (int h = 0; h < H; h++) o[h] /= (double) B * (length - 1);
        return out;
    }

    /**
     * A decoder with no feed-forward networks: every block's {@code mlp} (and its norm {@code ln_2}) is replaced by a
     * layer that adds nothing, so each block is {@code x + attn(ln_1(x))} — the attention-only transformer of
     * Elhage et al., where what a model computes can only come from attention heads and their composition.
     */
    public static Decoder attentionOnly(TransformerConfig cfg, Rng rng) {
        Decoder d = new Decoder(cfg, rng);
        d.replace("h.*.mlp", m -> new Nothing());
        if (cfg.normalize()) d.replace("h.*.ln_2", m -> new Nothing());
        return d;
    }

    /** A sub-layer that contributes nothing to the residual stream: zeros of the input's shape, no parameters. */
    static final class Nothing extends Module implements Layer {
        @Override public Tensor forward(Tensor x) { return Tensor.zeros(x.shape()); }
    }
}
