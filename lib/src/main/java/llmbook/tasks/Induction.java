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
 * The induction-head experiment (Olsson et al., "In-context learning and induction heads", 2022; Elhage et al., "A
 * mathematical framework for transformer circuits", 2021). Every training window is uniformly random tokens, except
 * that a random segment is written twice, at random places:
 * <pre>
 *   5 2 | 7 3 9 1 | 8 4 0 6 2 | 7 3 9 1 | 3 …     the segment's length and both of its places are drawn afresh for
 *                                                every window, so nothing about position says where the first copy
 *                                                is: the second copy is predictable only by content — find where the
 *                                                current token occurred before and copy the token that followed it
 * </pre>
 * That takes two steps of attention: a <i>previous-token head</i> writes "the token before me was a" into each
 * position, and an <i>induction head</i> in a later layer, querying with the current token a, attends to the position
 * whose previous token was a and copies its token. A one-layer attention-only model cannot compose two heads, so the
 * best it can do on the second copy is "some token already in the window" (about ln of the number of distinct tokens
 * seen); a two-layer one can drive that loss toward 0. {@link #repeated} gives test windows of two back-to-back copies,
 * {@link #copyLosses} the loss on each copy and {@link #headScores} how much attention each head gives the induction
 * target and the previous token. The same copying is what solves a letter map from the examples of a few-shot prompt
 * ({@link InContext}). Q31.
 */
public final class Induction implements Batches<TokenBatch> {
    private final int vocab, context, minLength;

    /**
     * Training windows of {@code context} tokens drawn uniformly from {@code [0, vocab)}, each holding one segment of
     * random length in {@code [minLength, context / 2]} written twice, at a random place and a random later place.
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
        int total = context + 1;
        for (int b = 0; b < size; b++) {
            int len = minLength + rng.nextInt(context / 2 - minLength + 1);
            int first = rng.nextInt(total - 2 * len + 1);                       // room for both copies after it
            int second = first + len + rng.nextInt(total - first - 2 * len + 1);
            int[] s = new int[total];
            for (int i = 0; i < total; i++) s[i] = rng.nextInt(vocab);
            System.arraycopy(s, first, s, second, len);
            System.arraycopy(s, 0, x, b * context, context);
            System.arraycopy(s, 1, y, b * context, context);
        }
        return new TokenBatch(x, y, size, context);
    }

    @Override public long tokens(TokenBatch batch) { return batch.scored(); }

    /**
     * {@code n} test windows of {@code context} tokens: random tokens, then a random segment of {@code length} written
     * twice, back to back, at the end (the first copy starts at {@code context - 2·length}), with next-token targets
     * (the last is -1). The random tokens before the copies make the window look like training, where the copies
     * sit anywhere among random tokens.
     */
    public TokenBatch repeated(int n, int length, long seed) {
        if (length < 2 || 2 * length > context)
            throw new IllegalArgumentException("Induction.repeated: need 2 <= length <= " + context / 2 + ", got " + length);
        Rng rng = new Rng(seed);
        int T = context, start = T - 2 * length;
        int[] x = new int[n * T], y = new int[n * T];
        for (int b = 0; b < n; b++) {
            int[] s = new int[T];
            for (int i = 0; i < T; i++) s[i] = i >= start + length ? s[i - length] : rng.nextInt(vocab);
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
     * batch of {@link #repeated} windows whose last {@code 2·length} tokens are the two copies (the first starts at
     * {@code p = T - 2·length}): position t predicts token t + 1, so positions {@code p … p+length-2} predict the first
     * copy and {@code p+length … T-2} the second (position {@code p+length-1} predicts the first token of the repeat,
     * which nothing announces). Returns {first, second}.
     */
    public static double[] copyLosses(double[] byPosition, int length) {
        int p = byPosition.length - 2 * length;
        if (length < 2 || p < 0)
            throw new IllegalArgumentException("Induction.copyLosses: " + byPosition.length + " positions cannot end in two copies of " + length);
        double a = 0, b = 0;
        for (int t = 0; t < length - 1; t++) { a += byPosition[p + t]; b += byPosition[p + length + t]; }
        return new double[] {a / (length - 1), b / (length - 1)};
    }

    /**
     * For attention weights (B, H, T, T) of {@link #repeated} windows ending in two copies of {@code length}: per head,
     * the mean weight that queries of the second copy (positions {@code T-length … T-2}) give to the key one after the
     * same token's first occurrence ({@code t - length + 1}: the induction pattern), and to the key just before them
     * ({@code t - 1}: the previous-token pattern). Returns {induction[H], previousToken[H]}.
     */
    public static double[][] headScores(Tensor weights, int length) {
        int[] s = weights.shape();
        if (s.length != 4 || s[2] != s[3] || s[2] < 2 * length || length < 2)
            throw new IllegalArgumentException("Induction.headScores: weights must be (B, H, T, T) with T >= " + 2 * length + ", got " + java.util.Arrays.toString(s));
        int B = s[0], H = s[1], T = s[2];
        float[] w = weights.toArray();
        double[][] out = new double[2][H];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int t = T - length; t < T - 1; t++) {
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
