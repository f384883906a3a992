package llmbook.objectives;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.Seq2Seq;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Fill-in-the-blank scores of a masked encoder and of a causal GPT on the same held-out windows (Q25, Q26): top-1 and
 * top-5 accuracy and the mean negative log-likelihood (nats) of the true token.
 * <pre>
 *   encoder, blank at p:   [w0 … w(p−1) [MASK] w(p+1) … w(T−1)]  → logits at p      (sees both sides)
 *   GPT, blank at p:       [w0 … w(p−1)]                          → logits after p−1 (sees the left side only)
 *   p = T − 1 is continuation (next-token prediction) for both; p = T/2 is fill-in-the-middle.
 * </pre>
 * Windows start at offsets drawn from {@code new Rng(seed)}, so two models are scored on the same blanks.
 */
public final class FillIn {
    private FillIn() {}

    /** Top-1, top-5 accuracy and mean NLL over {@code n} blanks. */
    public record Score(double top1, double top5, double nll, int n) {}

    static int[] starts(int streamLength, int T, int windows, long seed) {
        if (streamLength < T) throw new IllegalArgumentException("FillIn: need at least T = " + T + " tokens, got " + streamLength);
        Rng rng = new Rng(seed);
        int[] s = new int[windows];
        for (int i = 0; i < windows; i++) s[i] = rng.nextInt(streamLength - T + 1);
        return s;
    }

    /** The encoder with one [MASK] at {@code position} of each window. */
    public static Score encoder(MaskedLm m, WordVocab v, int[] stream, int T, int position, int windows, long seed) {
        if (position < 0 || position >= T) throw new IllegalArgumentException("FillIn: position " + position + " outside [0, " + T + ")");
        int[] starts = starts(stream.length, T, windows, seed);
        return score(starts, stream, T, position, (ids, b) -> {
            int[] lengths = new int[b], rows = new int[b];
            for (int k = 0; k < b; k++) { ids[k * T + position] = v.mask; lengths[k] = T; rows[k] = k * T + position; }
            MlmBatch batch = new MlmBatch(ids, null, lengths, new int[b * T], null, b, T);
            return m.mlmLogits(m.hidden(batch), rows);
        }, m);
    }

    /** Every chosen position of {@code masking} (set its mask fraction to 1 to see only [MASK]) scored at once. */
    public static Score encoderMasked(MaskedLm m, WordVocab v, int[] stream, int T, Masking masking, int windows, long seed) {
        Rng rng = new Rng(seed ^ 0x6d61736bL);
        return encoderOnBlanks(m, starts(stream.length, T, windows, seed), T, (k, start, ids, targets) -> {
            Masking.Masked mk = masking.apply(Arrays.copyOfRange(stream, start, start + T), v.mask, v.pad, v::regular, null, rng);
            System.arraycopy(mk.input(), 0, ids, k * T, T);
            System.arraycopy(mk.targets(), 0, targets, k * T, T);
        });
    }

    /** Writes window k (stream positions start … start+T−1) into row k of a batch: its input ids and targets (−1: not scored). */
    private interface Blanks { void fill(int k, int start, int[] ids, int[] targets); }

    /** The encoder's top-1/top-5/NLL on the blanks {@code blanks} writes into the windows at {@code starts}, 32 windows a pass. */
    private static Score encoderOnBlanks(MaskedLm m, int[] starts, int T, Blanks blanks) {
        double[] acc = new double[3];
        int n = 0;
        boolean was = m.isTraining();
        m.train(false);
        try (var g = Tensor.noGrad()) {
            for (int from = 0; from < starts.length; from += 32) {
                int b = Math.min(32, starts.length - from);
                int[] ids = new int[b * T], targets = new int[b * T], lengths = new int[b];
                Arrays.fill(lengths, T);
                for (int k = 0; k < b; k++) blanks.fill(k, starts[from + k], ids, targets);
                int[][] s = MaskedLm.scored(targets);
                n += tally(m.mlmLogits(m.hidden(new MlmBatch(ids, null, lengths, targets, null, b, T)), s[0]), s[1], acc);
            }
        } finally {
            m.train(was);
        }
        return new Score(acc[0] / n, acc[1] / n, acc[2] / n, n);
    }

    /**
     * The unigram baseline on exactly the blanks of {@link #encoderMasked} (same windows, same masking draws): every
     * blank gets the word frequencies of {@code train} (add-one smoothed over the regular words), whatever its context.
     * An MLM that has learned nothing but frequencies scores this; everything above it came through attention (Q25).
     */
    public static Score unigram(int[] train, WordVocab v, int[] stream, int T, Masking masking, int windows, long seed) {
        double[] count = new double[v.size()];
        double total = 0;
        for (int id : train) if (v.regular(id)) { count[id]++; total++; }
        int regular = v.pad - 1;
        float[] logp = new float[v.size()];
        for (int id = 0; id < logp.length; id++)
            logp[id] = v.regular(id) ? (float) Math.log((count[id] + 1) / (total + regular)) : Float.NEGATIVE_INFINITY;
        int[] starts = starts(stream.length, T, windows, seed);
        Rng rng = new Rng(seed ^ 0x6d61736bL);
        double[] acc = new double[3];
        int n = 0;
        for (int k = 0; k < windows; k++) {
            int[] w = java.util.Arrays.copyOfRange(stream, starts[k], starts[k] + T);
            int[] t = MaskedLm.scored(masking.apply(w, v.mask, v.pad, v::regular, null, rng).targets())[1];
            if (t.length == 0) continue;
            float[] z = new float[t.length * logp.length];
            for (int r = 0; r < t.length; r++) System.arraycopy(logp, 0, z, r * logp.length, logp.length);
            n += tally(Tensor.wrap(z, t.length, logp.length), t, acc);
        }
        return new Score(acc[0] / n, acc[1] / n, acc[2] / n, n);
    }

    private static final long SPANS = 0x7370616eL;

    /**
     * T5's span corruption on an encoder-decoder trained with {@link SpanBatches} (Q25): windows of {@code T} from
     * {@code stream}, corrupted with {@code new Rng(seed ^ …)}; the decoder writes each target with the true tokens
     * before it (teacher forcing), and only the hidden words are scored, not the sentinels. Inside a span the decoder
     * sees the true earlier words of that span, which a masked encoder does not: compare with {@link #spanEncoder}
     * knowing that.
     */
    public static Score spanDecoder(Seq2Seq model, SpanBatches data, int windows, long seed) {
        int[] starts = starts(data.streamLength(), data.T(), windows, seed);
        Rng rng = new Rng(seed ^ SPANS);
        java.util.Set<Integer> sentinel = new java.util.HashSet<>();
        for (int id : data.sentinels()) sentinel.add(id);
        double[] acc = new double[3];
        int n = 0;
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            for (int from = 0; from < windows; from += 32) {
                int b = Math.min(32, windows - from);
                SpanBatches.Batch batch = data.corrupt(starts, from, b, rng);
                Tensor logits = model.decode(model.encode(batch.src(), batch.srcLengths(), b, batch.Ts()), batch.srcLengths(), batch.tgtIn(), b, batch.Tt());
                List<Integer> rows = new ArrayList<>(), targets = new ArrayList<>();
                for (int i = 0; i < batch.tgtOut().length; i++) if (!sentinel.contains(batch.tgtOut()[i])) { rows.add(i); targets.add(batch.tgtOut()[i]); }
                Tensor z = logits.reshape(b * batch.Tt(), logits.size(2)).indexSelect(rows.stream().mapToInt(Integer::intValue).toArray());
                n += tally(z, targets.stream().mapToInt(Integer::intValue).toArray(), acc);
            }
        } finally {
            model.train(was);
        }
        return new Score(acc[0] / n, acc[1] / n, acc[2] / n, n);
    }

    /**
     * The masked encoder on exactly the windows and spans of {@link #spanDecoder} (same {@code seed}): every hidden
     * word becomes [MASK] and is scored at its position. Here the encoder knows how many words each span hides.
     */
    public static Score spanEncoder(MaskedLm m, WordVocab v, SpanBatches data, int windows, long seed) {
        int T = data.T();
        Rng rng = new Rng(seed ^ SPANS);
        return encoderOnBlanks(m, starts(data.streamLength(), T, windows, seed), T, (k, start, ids, targets) -> {
            boolean[] hide = data.noise().hidden(T, rng);
            for (int t = 0; t < T; t++) {
                int id = data.stream()[start + t];
                ids[k * T + t] = hide[t] ? v.mask : id;
                targets[k * T + t] = hide[t] ? id : -1;
            }
        });
    }

    /** The GPT predicting position {@code position} (≥ 1) of each window from the tokens before it. */
    public static Score decoder(Decoder gpt, int[] stream, int T, int position, int windows, long seed) {
        if (position < 1 || position >= T) throw new IllegalArgumentException("FillIn: a GPT needs position in [1, " + T + "), got " + position);
        int[] starts = starts(stream.length, T, windows, seed);
        return score(starts, stream, T, position, (ids, b) -> {
            int[] left = new int[b * position], rows = new int[b];
            for (int k = 0; k < b; k++) { System.arraycopy(ids, k * T, left, k * position, position); rows[k] = k * position + position - 1; }
            Tensor logits = gpt.logits(left, b, position);                             // (B, p, V)
            return logits.reshape(b * position, gpt.vocab()).indexSelect(rows);         // (B, V)
        }, gpt);
    }

    private interface Rows { Tensor logits(int[] ids, int b); }

    private static Score score(int[] starts, int[] stream, int T, int position, Rows f, llmbook.nn.Module model) {
        double[] acc = new double[3];
        int n = 0;
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            for (int from = 0; from < starts.length; from += 32) {
                int b = Math.min(32, starts.length - from);
                int[] ids = new int[b * T], targets = new int[b];
                for (int k = 0; k < b; k++) {
                    System.arraycopy(stream, starts[from + k], ids, k * T, T);
                    targets[k] = stream[starts[from + k] + position];
                }
                n += tally(f.logits(ids, b), targets, acc);
            }
        } finally {
            model.train(was);
        }
        return new Score(acc[0] / n, acc[1] / n, acc[2] / n, n);
    }

    /** Adds top-1 hits, top-5 hits and −log p(target) of each row to {@code acc}; returns the row count. */
    static int tally(Tensor logits, int[] targets, double[] acc) {
        int v = logits.size(1);
        float[] z = logits.contiguous().toArray();
        for (int r = 0; r < targets.length; r++) {
            int o = r * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, z[o + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.exp(z[o + j] - max);
            float t = z[o + targets[r]];
            int above = 0;
            for (int j = 0; j < v; j++) if (z[o + j] > t) above++;
            if (above == 0) acc[0]++;
            if (above < 5) acc[1]++;
            acc[2] += -(t - max - Math.log(sum));
        }
        return targets.length;
    }

    /** The {@code k} most probable pieces at each row of {@code logits} (M, V), best first. */
    public static List<List<Integer>> topK(Tensor logits, int k) {
        int v = logits.size(1), m = logits.size(0);
        float[] z = logits.contiguous().toArray();
        List<List<Integer>> out = new ArrayList<>();
        for (int r = 0; r < m; r++) {
            final int o = r * v;
            out.add(java.util.stream.IntStream.range(0, v).boxed().sorted((a, b) -> Float.compare(z[o + b], z[o + a])).limit(k).toList());
        }
        return out;
    }
}
