package llmbook.align;

import java.util.List;
import llmbook.data.Batches;
import llmbook.model.transformer.Decoder;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.LossFunction;

/**
 * A reward model learned from preference pairs, as in RLHF's second stage: the frozen base model reads prompt +
 * completion, its final hidden states over the completion are averaged, and a linear head maps that vector to one
 * number. It is fitted with the Bradley–Terry likelihood of the preferences:
 * <pre>
 *   P(y_w ≻ y_l | x) = σ(r(x, y_w) − r(x, y_l)),      loss = −log σ(r_w − r_l)      (the same {@link Dpo#logSigmoid})
 * </pre>
 * Only differences of rewards are identified: adding a constant to r changes nothing. Features are computed once
 * ({@link #features}); training moves only the head, so it is cheap. Its held-out pair accuracy says how much of the
 * preference the base model's representation makes linearly readable.
 */
public final class RewardModel extends Module {
    /** Features of the chosen and rejected completion of each pair: (N, C) each, row-major. */
    public record Features(float[] chosen, float[] rejected, int n, int width) {
        /** Pairs {@code idx} as two (B, C) tensors: chosen, rejected. */
        Tensor[] batch(int[] idx) {
            float[] c = new float[idx.length * width], r = new float[idx.length * width];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(chosen, idx[i] * width, c, i * width, width);
                System.arraycopy(rejected, idx[i] * width, r, i * width, width);
            }
            return new Tensor[] {Tensor.of(c, idx.length, width), Tensor.of(r, idx.length, width)};
        }
    }

    private final int width;

    /** An untrained head for features of size {@code width} (the base model's C). */
    public RewardModel(int width, Rng rng) {
        this.width = width;
        module("head", new Linear(width, 1, true, rng));
    }

    /** Rewards (B) of features (B, C). */
    public Tensor reward(Tensor features) {
        return this.<Linear>child("head").forward(features).reshape(features.shape()[0]);
    }

    /** Mean final hidden state of {@code base} over positions {@code from …} of each row (no gradients): (N, C) row-major. */
    public static float[] features(Decoder base, int[][] rows, int from) {
        int n = rows.length, t = rows[0].length, c = base.config.width();
        float[] out = new float[n * c];
        boolean was = base.isTraining();
        base.train(false);
        try (var ng = Tensor.noGrad()) {
            for (int s = 0; s < n; s += 16) {
                int b = Math.min(16, n - s);
                int[] ids = new int[b * t];
                for (int i = 0; i < b; i++) System.arraycopy(rows[s + i], 0, ids, i * t, t);
                float[] h = base.hidden(ids, b, t, null).slice(1, from, t).mean(1, false).toArray();   // (b, C)
                System.arraycopy(h, 0, out, s * c, b * c);
            }
        } finally {
            base.train(was);
        }
        return out;
    }

    /** The features of every pair (chosen and rejected rows) under {@code base}; none for no pairs. */
    public static Features features(Decoder base, List<PreferencePair> pairs) {
        if (pairs.isEmpty()) return new Features(new float[0], new float[0], 0, base.config.width());
        int n = pairs.size(), from = pairs.get(0).prompt().length;
        int[][] c = new int[n][], r = new int[n][];
        for (int i = 0; i < n; i++) { c[i] = pairs.get(i).chosenRow(); r[i] = pairs.get(i).rejectedRow(); }
        return new Features(features(base, c, from), features(base, r, from), n, base.config.width());
    }

    /** The Bradley–Terry loss on a batch of pair indices into {@code f}. */
    public LossFunction<int[]> loss(Features f) {
        if (f.width() != width) throw new IllegalArgumentException("RewardModel: features of width " + f.width() + ", head of width " + width);
        return idx -> {
            Tensor[] cr = f.batch(idx);
            return Dpo.logSigmoid(reward(cr[0]).sub(reward(cr[1]))).mean().neg();
        };
    }

    /** Random batches of pair indices (with replacement) into {@code f}. */
    public static Batches<int[]> batches(Features f) {
        return (rng, size) -> {
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) idx[i] = rng.nextInt(f.n());
            return idx;
        };
    }

    /** Fraction of pairs whose chosen completion gets the higher reward (NaN for no pairs). */
    public double accuracy(Features f) {
        if (f.n() == 0) return Double.NaN;
        int[] all = java.util.stream.IntStream.range(0, f.n()).toArray();
        try (var ng = Tensor.noGrad()) {
            Tensor[] cr = f.batch(all);
            float[] a = reward(cr[0]).toArray(), b = reward(cr[1]).toArray();
            int ok = 0;
            for (int i = 0; i < a.length; i++) if (a[i] > b[i]) ok++;
            return (double) ok / a.length;
        }
    }
}
