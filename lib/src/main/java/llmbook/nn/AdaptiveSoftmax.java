package llmbook.nn;

import java.util.Arrays;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Adaptive softmax (Grave et al., 2017): an output layer for large vocabularies that spends most of its work on
 * the few tokens that make up most of the text. Q42.
 *
 * <p>The vocabulary must be sorted by frequency (id 0 the most frequent; see {@link FrequencyOrder}). Cutoffs
 * {@code c₀ < c₁ < … < c_{k−1} < V} cut it into a <b>head</b> shortlist {@code [0, c₀)} and {@code k} <b>tail
 * clusters</b>, cluster i = {@code [c_{i−1}, c_i)} with {@code c_k = V}. The head scores the shortlist and one
 * extra class per cluster; cluster i scores its own tokens through a narrower projection of width
 * {@code d_i = C / divᶦ}:
 * <pre>
 *   head:      z = h·Hᵀ                 H (c₀ + k, C)                              (N, c₀ + k)
 *   cluster i: z_i = (h·P_iᵀ)·O_iᵀ      P_i (d_i, C), O_i (c_i − c_{i−1}, d_i)      (N, |cluster i|)
 *
 *   log p(w) = log softmax(z)[w]                                              w &lt; c₀
 *   log p(w) = log softmax(z)[c₀ + i − 1] + log softmax(z_i)[w − c_{i−1}]     w in cluster i
 * </pre>
 * It is a proper distribution: {@code Σ_w p(w) = Σ_{w<c₀} p(w) + Σ_i p(cluster i)·1 = 1}. With no cutoffs it is
 * exactly the full softmax ({@link FullSoftmax}). The saving is in the loss: a row is pushed through cluster i
 * only when its target lies there, so a row costs {@code C·(c₀ + k)} multiply-adds plus, for the rare tokens only,
 * {@code C·d_i + d_i·|cluster i|} — instead of {@code C·V} ({@link #macsPerToken}).
 *
 * <p>Built from autograd primitives (linear, log-softmax, gather, index-select, concat), so no backward of its
 * own; the test checks the gradient by finite differences anyway. Same layout as PyTorch's
 * {@code AdaptiveLogSoftmaxWithLoss(head_bias=False)}: with the same weights the two agree to 2e-6 in every
 * log-probability ({@code lib/src/test/python/adaptive_softmax_oracle.py}, a dev-time check).
 */
public final class AdaptiveSoftmax extends LmHead {
    private final int width, vocab;
    private final int[] bounds;          // c₀, c₁, …, c_{k−1}, V
    private final Linear head;           // weight (c₀ + k, C)
    private final Linear[] proj, out;    // cluster i (1-based): proj[i] (d_i, C), out[i] (|cluster i|, d_i)

    /**
     * @param width   hidden width C
     * @param vocab   vocabulary size V (ids sorted by frequency)
     * @param cutoffs increasing, in {@code (0, V)}; empty means a single full softmax
     * @param div     each cluster's projection is {@code div} times narrower than the previous one (≥ 1; 4 is usual)
     */
    public AdaptiveSoftmax(int width, int vocab, int[] cutoffs, float div, Rng rng) {
        if (width < 1 || vocab < 1) throw new IllegalArgumentException("AdaptiveSoftmax: width and vocab must be >= 1, got " + width + ", " + vocab);
        if (!(div >= 1)) throw new IllegalArgumentException("AdaptiveSoftmax: div must be >= 1, got " + div);
        for (int i = 0; i < cutoffs.length; i++)
            if (cutoffs[i] <= (i == 0 ? 0 : cutoffs[i - 1]) || cutoffs[i] >= vocab)
                throw new IllegalArgumentException("AdaptiveSoftmax: cutoffs must increase strictly within (0, " + vocab + "), got "
                        + Arrays.toString(cutoffs));
        this.width = width;
        this.vocab = vocab;
        this.bounds = Arrays.copyOf(cutoffs, cutoffs.length + 1);
        bounds[cutoffs.length] = vocab;
        int k = cutoffs.length;
        head = module("head", new Linear(width, bounds[0] + k, false, rng).initNormal(rng, 0.02f));
        proj = new Linear[k + 1];
        out = new Linear[k + 1];
        for (int i = 1; i <= k; i++) {
            int d = Math.max(1, (int) (width / Math.pow(div, i)));
            proj[i] = module("tail" + i + "_proj", new Linear(width, d, false, rng).initNormal(rng, 0.02f));
            out[i] = module("tail" + i + "_out", new Linear(d, bounds[i] - bounds[i - 1], false, rng).initNormal(rng, 0.02f));
        }
    }

    /** Number of tail clusters, k. */
    public int clusters() { return bounds.length - 1; }

    /** Size of the head's shortlist, c₀. */
    public int shortlist() { return bounds[0]; }

    /** Projection width of tail cluster i (1-based), d_i. */
    public int clusterWidth(int i) { return proj[i].out; }

    /** The cluster of token w: 0 for the head's shortlist, else i with {@code c_{i−1} ≤ w < c_i}. */
    public int clusterOf(int w) {
        int i = 0;
        while (w >= bounds[i]) i++;
        return i;
    }

    @Override
    public Tensor loss(Tensor hidden, int[] targets) {
        Tensor h = rows("AdaptiveSoftmax.loss", hidden);                    // (N, C)
        int n = h.size(0), k = clusters(), c0 = bounds[0];
        checkTargets("AdaptiveSoftmax.loss", n, targets);
        int[] headTarget = new int[n], count = new int[k + 1];
        for (int r = 0; r < n; r++) {
            int c = clusterOf(targets[r]);
            headTarget[r] = c == 0 ? targets[r] : c0 + c - 1;            // a tail token is first "its cluster"
            count[c]++;
        }
        Tensor total = head.forward(h).logSoftmax().gather(headTarget).sum();   // (N, c₀+k) -> (N) -> ()
        for (int c = 1; c <= k; c++) {
            if (count[c] == 0) continue;
            int[] rows = new int[count[c]], local = new int[count[c]];
            for (int r = 0, j = 0; r < n; r++)
                if (clusterOf(targets[r]) == c) { rows[j] = r; local[j++] = targets[r] - bounds[c - 1]; }
            Tensor z = out[c].forward(proj[c].forward(h.indexSelect(rows)));    // (n_c, C) -> (n_c, d_c) -> (n_c, |cluster c|)
            total = total.add(z.logSoftmax().gather(local).sum());
        }
        return total.mul(-1f / n);
    }

    @Override
    public Tensor logProbs(Tensor hidden) {
        Tensor h = rows("AdaptiveSoftmax.logProbs", hidden);                // (N, C)
        int k = clusters(), c0 = bounds[0];
        Tensor headLp = head.forward(h).logSoftmax();                      // (N, c₀ + k)
        Tensor[] parts = new Tensor[k + 1];
        parts[0] = headLp.slice(1, 0, c0);                                 // (N, c₀)
        for (int c = 1; c <= k; c++) {
            Tensor z = out[c].forward(proj[c].forward(h));                 // (N, |cluster c|)
            parts[c] = z.logSoftmax().add(headLp.slice(1, c0 + c - 1, c0 + c));   // + log p(cluster c), (N, 1) broadcast
        }
        return k == 0 ? parts[0] : Tensor.concat(1, parts);                // (N, V)
    }

    /**
     * Average multiply-adds per row that {@link #loss} spends in this layer for these targets:
     * {@code C·(c₀ + k) + Σ_i (n_i / N)·(C·d_i + d_i·|cluster i|)}, where n_i rows have their target in cluster i.
     * The full softmax spends {@code C·V}.
     */
    public double macsPerToken(int[] targets) {
        int k = clusters();
        double[] share = new double[k + 1];
        for (int t : targets) share[clusterOf(t)] += 1.0 / targets.length;
        double macs = (double) width * (bounds[0] + k);
        for (int c = 1; c <= k; c++) macs += share[c] * ((double) width * proj[c].out + (double) proj[c].out * out[c].out);
        return macs;
    }

    @Override public int vocab() { return vocab; }

    @Override public int width() { return width; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("AdaptiveSoftmax(C=%d, V=%d): head %d tokens + %d clusters", width, vocab, bounds[0], clusters()));
        for (int c = 1; c <= clusters(); c++)
            sb.append(String.format("; cluster %d = ids [%d, %d) through width %d", c, bounds[c - 1], bounds[c], proj[c].out));
        return sb.append(String.format("; %,d parameters", numParameters())).toString();
    }
}
