package llmbook.retrieval;

import java.util.Arrays;
import llmbook.kernels.Blas;
import llmbook.model.transformer.Decoder;
import llmbook.tensor.Tensor;

/**
 * kNN-LM (Khandelwal et al., "Generalization through memorization", 2020): a language model plus a datastore of
 * (context → next token) pairs. The key of a context is the model's final hidden state there (what its output layer
 * reads), the value the token that actually came next. At test time the k stored contexts nearest the current one
 * (squared L2 distance d) vote for their next tokens,
 * <pre>
 *   p_kNN(v) ∝ Σ_{i ≤ k, valueᵢ = v} exp(−dᵢ / τ)          p(v) = λ · p_kNN(v) + (1 − λ) · p_LM(v)
 * </pre>
 * The model is not changed; swapping the datastore swaps what it remembers, which is how the same model adapts to a
 * new domain without training. Exhaustive search ({@code ‖q − k‖² = ‖q‖² − 2 q·k + ‖k‖²}, one {@link Blas#dot} per
 * stored key) stands in for the FAISS index of the paper. Q23.
 */
public final class KnnLm {
    private final float[] keys;      // (N, C)
    private final float[] norms;     // (N) ‖kᵢ‖²
    private final int[] values;      // (N) the next token
    private final int n, dim;

    private KnnLm(float[] keys, int[] values, int dim) {
        this.keys = keys;
        this.values = values;
        this.n = values.length;
        this.dim = dim;
        norms = new float[n];
        for (int i = 0; i < n; i++) norms[i] = Blas.dot(keys, i * dim, keys, i * dim, dim);
    }

    /**
     * A datastore from {@code ids}: consecutive windows of {@code model.context()} tokens (at most {@code maxEntries}
     * entries in all); every position of a window gives one (hidden state, next token) pair.
     */
    public static KnnLm build(Decoder model, int[] ids, int maxEntries) {
        int T = model.context(), C = model.config.width();
        int windows = Math.min((ids.length - 1) / T, Math.max(1, maxEntries / T));
        if (windows < 1) throw new IllegalArgumentException("KnnLm.build: need at least context + 1 = " + (T + 1) + " tokens, got " + ids.length);
        float[] keys = new float[windows * T * C];
        int[] values = new int[windows * T];
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            int B = 8;
            for (int w0 = 0; w0 < windows; w0 += B) {
                int b = Math.min(B, windows - w0);
                int[] x = new int[b * T];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(ids, (w0 + i) * T, x, i * T, T);
                    System.arraycopy(ids, (w0 + i) * T + 1, values, (w0 + i) * T, T);
                }
                float[] h = model.hidden(x, b, T, null).toArray();              // (b, T, C)
                System.arraycopy(h, 0, keys, w0 * T * C, h.length);
            }
        } finally {
            model.train(was);
        }
        return new KnnLm(keys, values, C);
    }

    /** Number of stored (key, value) pairs. */
    public int size() { return n; }

    /** The k nearest stored keys to {@code q}: their values and squared distances, nearest first. */
    public record Neighbours(int[] values, float[] distances) {}

    public Neighbours search(float[] q, int qOff, int k) {
        if (k < 1 || k > n) throw new IllegalArgumentException("KnnLm.search: k must be in [1, " + n + "], got " + k);
        float qq = Blas.dot(q, qOff, q, qOff, dim);
        int[] best = new int[k];
        float[] dist = new float[k];
        Arrays.fill(dist, Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            float d = qq - 2 * Blas.dot(q, qOff, keys, i * dim, dim) + norms[i];
            if (d >= dist[k - 1]) continue;
            int j = k - 1;                                       // insertion into the sorted top-k
            while (j > 0 && dist[j - 1] > d) { dist[j] = dist[j - 1]; best[j] = best[j - 1]; j--; }
            dist[j] = d;
            best[j] = i;
        }
        int[] vals = new int[k];
        for (int j = 0; j < k; j++) { vals[j] = values[best[j]]; dist[j] = Math.max(0, dist[j]); }
        return new Neighbours(vals, dist);
    }

    /** p_kNN(target) from the first {@code k} of {@code nb}: the softmax of −d/τ over neighbours, summed over those whose value is target. */
    public static double probability(Neighbours nb, int k, int target, double temperature) {
        double min = nb.distances()[0], z = 0, hit = 0;
        for (int j = 0; j < k; j++) {
            double w = Math.exp(-(nb.distances()[j] - min) / temperature);
            z += w;
            if (nb.values()[j] == target) hit += w;
        }
        return hit / z;
    }

    /**
     * Perplexity measurements on held-out {@code ids}: windows of the model's context, every position scored once.
     * {@code baseline} is the model alone; {@code nll[a][b]} the mean negative log-likelihood (nats per token) with
     * k = {@code ks[a]} neighbours and λ = {@code lambdas[b]}; {@code knnTop1} how often the nearest neighbour's
     * value was the right token, {@code lmTop1} how often the model's argmax was.
     */
    public record Sweep(int tokens, double baseline, int[] ks, double[] lambdas, double[][] nll, double knnTop1, double lmTop1) {
        /** The lowest NLL of the sweep and where: {k, λ index}. */
        public int[] best() {
            int[] arg = {0, 0};
            for (int a = 0; a < ks.length; a++)
                for (int b = 0; b < lambdas.length; b++) if (nll[a][b] < nll[arg[0]][arg[1]]) arg = new int[]{a, b};
            return arg;
        }
    }

    /** Scores at most {@code maxTokens} tokens of {@code ids} with the model and this datastore at temperature τ. */
    public Sweep evaluate(Decoder model, int[] ids, int maxTokens, int[] ks, double[] lambdas, double temperature) {
        int T = model.context(), V = model.config.vocab(), C = dim;
        int kMax = Arrays.stream(ks).max().orElseThrow();
        int windows = Math.min((ids.length - 1) / T, Math.max(1, maxTokens / T));
        if (windows < 1) throw new IllegalArgumentException("KnnLm.evaluate: need at least context + 1 = " + (T + 1) + " tokens, got " + ids.length);
        double[][] nll = new double[ks.length][lambdas.length];
        double base = 0;
        int count = 0, knnRight = 0, lmRight = 0;
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            for (int w = 0; w < windows; w++) {
                int[] x = Arrays.copyOfRange(ids, w * T, w * T + T);
                float[] h = model.hidden(x, 1, T, null).toArray();              // (1, T, C)
                float[] logits = model.logits(x, 1, T).toArray();               // (1, T, V)
                for (int t = 0; t < T; t++) {
                    int y = ids[w * T + t + 1];
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    int arg = 0;
                    for (int v = 0; v < V; v++) if (logits[t * V + v] > max) { max = logits[t * V + v]; arg = v; }
                    for (int v = 0; v < V; v++) z += Math.exp(logits[t * V + v] - max);
                    double pLm = Math.exp(logits[t * V + y] - max) / z;
                    base -= Math.log(pLm);
                    if (arg == y) lmRight++;
                    Neighbours nb = search(h, t * C, kMax);
                    if (nb.values()[0] == y) knnRight++;
                    for (int a = 0; a < ks.length; a++) {
                        double pKnn = probability(nb, ks[a], y, temperature);
                        for (int b = 0; b < lambdas.length; b++)
                            nll[a][b] -= Math.log(lambdas[b] * pKnn + (1 - lambdas[b]) * pLm);
                    }
                    count++;
                }
            }
        } finally {
            model.train(was);
        }
        for (double[] row : nll) for (int b = 0; b < row.length; b++) row[b] /= count;
        return new Sweep(count, base / count, ks.clone(), lambdas.clone(), nll, knnRight / (double) count, lmRight / (double) count);
    }
}
