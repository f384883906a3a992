package llmbook.ngram;

import java.util.Arrays;
import java.util.Locale;

import llmbook.tokenizer.LongLongMap;

/**
 * An n-gram language model over token ids (characters or words), with interpolated modified Kneser–Ney smoothing or
 * add-k as the naive baseline. Q49.
 * <pre>
 *   counts: a trie of every k-gram, k = 1 … n, in one {@link LongLongMap}: key = parent·V + token  →  node + 1
 *   adjusted count a(g):  raw count c(g) for the top order n,  continuation count N1+(• g) (distinct left
 *                         neighbours) for lower orders — "in how many contexts does g appear", not "how often"
 *   discounts per order k (Chen &amp; Goodman 1998, from the counts-of-counts n1 … n4 of a at order k):
 *        Y = n1 / (n1 + 2 n2),   D1 = 1 − 2Y n2/n1,   D2 = 2 − 3Y n3/n2,   D3+ = 3 − 4Y n4/n3
 *   p_0(w) = 1/V                                                     (uniform: every id, unknown included)
 *   p_k(w | h) = max(a(hw) − D(a(hw)), 0) / Σ_v a(hv)  +  γ(h) · p_{k−1}(w | h')      h' = h without its first token
 *   γ(h)       = (D1·N1(h•) + D2·N2(h•) + D3+·N3+(h•)) / Σ_v a(hv)   (the mass the discounts freed, so Σ_w p = 1)
 *   add-k:      p(w | h) = (c(hw) + k) / (c(h•) + k·V)                with h the last n−1 tokens
 * </pre>
 * A context never seen passes its lower order's probability through unchanged. Unknown words are the tokenizer's
 * business: it maps them to one id (e.g. {@code <unk>}) that the model counts like any other.
 */
public final class NGramLm {
    /** How unseen n-grams get probability. */
    public enum Smoothing { KNESER_NEY, ADD_K }

    private final int n, vocab;
    private final LongLongMap children;   // parent·V + token → child node + 1 (node 0 = the empty context)
    private int nodes = 1;
    private int[] count = new int[1024];  // raw count of the node's k-gram
    private int[] cont = new int[1024];   // distinct tokens seen before it (continuation count)
    private byte[] order = new byte[1024];
    // per node as a context, over its children's adjusted counts (filled by finish)
    private long[] total, rawTotal;
    private int[] n1, n2, n3;
    private final double[][] discount;    // [order][0..2] = D1, D2, D3+
    private Smoothing smoothing = Smoothing.KNESER_NEY;
    private double addK = 1;
    private final long tokens;

    private NGramLm(int n, int vocab, int[] ids) {
        if (n < 1 || n > 16) throw new IllegalArgumentException("NGramLm: order n must be in 1 … 16, got " + n);
        if (vocab < 1) throw new IllegalArgumentException("NGramLm: vocabulary size must be >= 1, got " + vocab);
        this.n = n;
        this.vocab = vocab;
        this.children = new LongLongMap(1 << 12);                  // grows by doubling
        this.tokens = ids.length;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocab) throw new IllegalArgumentException("NGramLm: token " + id + " at " + i + " outside the vocabulary [0, " + vocab + ")");
            int prevNode = -1;                                   // the (k−1)-gram ending at i (its suffix chain)
            for (int k = 1; k <= n && i - k + 1 >= 0; k++) {
                int node = 0;                                    // walk w[i−k+1 … i] from the root
                boolean fresh = false;
                for (int j = i - k + 1; j <= i; j++) {
                    long key = (long) node * vocab + ids[j];
                    long c = children.get(key);
                    if (c == 0) {
                        c = newNode(k - (i - j)) + 1;            // order of the prefix ending at j
                        children.add(key, c);
                        fresh = j == i;
                    }
                    node = (int) c - 1;
                }
                count[node]++;
                if (fresh && prevNode >= 0) cont[prevNode]++;    // a new left neighbour of the (k−1)-gram w[i−k+2 … i]
                prevNode = node;
            }
        }
        discount = new double[n + 1][3];
        finish();
    }

    /** Counts every k-gram (k ≤ n) of {@code ids}, all in {@code [0, vocab)}. Kneser–Ney by default. */
    public static NGramLm train(int[] ids, int vocab, int n) { return new NGramLm(n, vocab, ids); }

    /** Switches to add-k smoothing with this {@code k} (&gt; 0; k = 1 is Laplace). Returns this. */
    public NGramLm addK(double k) {
        if (!(k > 0)) throw new IllegalArgumentException("NGramLm: add-k needs k > 0, got " + k);
        smoothing = Smoothing.ADD_K;
        addK = k;
        return this;
    }

    /** Switches (back) to interpolated modified Kneser–Ney, with the discounts estimated from the counts. Returns this. */
    public NGramLm kneserNey() {
        smoothing = Smoothing.KNESER_NEY;
        finish();
        return this;
    }

    /**
     * Interpolated Kneser–Ney with ONE discount {@code d} for every count and order (Kneser &amp; Ney's original
     * absolute discounting; NLTK's {@code KneserNeyInterpolated(order, discount=d)} is this, except at the unigram
     * level, see NGramOracleTest). {@link #kneserNey()} goes back to the modified, estimated discounts. Returns this.
     */
    public NGramLm fixedDiscount(double d) {
        if (!(d > 0 && d <= 1)) throw new IllegalArgumentException("NGramLm: a fixed discount must be in (0, 1], got " + d);
        smoothing = Smoothing.KNESER_NEY;
        for (int k = 1; k <= n; k++) discount[k] = new double[] {d, d, d};
        return this;
    }

    public Smoothing smoothing() { return smoothing; }

    public int order() { return n; }

    public int vocab() { return vocab; }

    /** Distinct k-grams stored, all orders. */
    public int ngrams() { return nodes - 1; }

    /** Distinct k-grams of order {@code k}. */
    public int ngrams(int k) {
        int c = 0;
        for (int i = 1; i < nodes; i++) if (order[i] == k) c++;
        return c;
    }

    /** The discounts D1, D2, D3+ of order {@code k}. */
    public double[] discounts(int k) { return discount[k].clone(); }

    /** Bytes held: the hash map and the per-node arrays. */
    public long bytes() {
        return children.bytes() + (long) count.length * (4 + 4 + 1) + (long) total.length * (8 + 8 + 4 * 3);
    }

    private int newNode(int k) {
        if (nodes == count.length) {
            count = Arrays.copyOf(count, nodes * 2);
            cont = Arrays.copyOf(cont, nodes * 2);
            order = Arrays.copyOf(order, nodes * 2);
        }
        order[nodes] = (byte) k;
        return nodes++;
    }

    private int adjusted(int node) { return order[node] == n ? count[node] : cont[node]; }

    /** Context statistics and the discounts, from the finished counts. */
    private void finish() {
        total = new long[nodes];
        rawTotal = new long[nodes];
        n1 = new int[nodes];
        n2 = new int[nodes];
        n3 = new int[nodes];
        long[][] coc = new long[n + 1][5];                         // counts of counts 1 … 4 per order
        children.forEach((key, value) -> {
            int parent = (int) (key / vocab), child = (int) value - 1;
            int a = adjusted(child);
            total[parent] += a;
            rawTotal[parent] += count[child];
            if (a == 1) n1[parent]++;
            else if (a == 2) n2[parent]++;
            else if (a >= 3) n3[parent]++;
            if (a >= 1 && a <= 4) coc[order[child]][a]++;
            return 0;
        });
        for (int k = 1; k <= n; k++) discount[k] = discounts(coc[k][1], coc[k][2], coc[k][3], coc[k][4]);
    }

    /** Chen &amp; Goodman's estimates from the counts of counts, each kept in [0, its count]; 0.5/1/1.5 when a count is missing. */
    static double[] discounts(long c1, long c2, long c3, long c4) {
        if (c1 == 0 || c2 == 0 || c3 == 0 || c4 == 0) {
            double d = c1 > 0 && c2 > 0 ? c1 / (c1 + 2.0 * c2) : 0.5;   // the single-discount estimate
            return new double[] {d, Math.min(2, 2 * d), Math.min(3, 3 * d)};
        }
        double y = c1 / (c1 + 2.0 * c2);
        return new double[] {clamp(1 - 2 * y * c2 / c1, 1), clamp(2 - 3 * y * c3 / c2, 2), clamp(3 - 4 * y * c4 / c3, 3)};
    }

    private static double clamp(double d, double max) { return Math.max(0, Math.min(max, d)); }

    /** The node of {@code ids[from … to)}, or −1 when that sequence was never seen. */
    private int node(int[] ids, int from, int to) {
        int node = 0;
        for (int j = from; j < to; j++) {
            long c = children.get((long) node * vocab + ids[j]);
            if (c == 0) return -1;
            node = (int) c - 1;
        }
        return node;
    }

    /** Raw count of the sequence {@code ids[from … to)} in the training text (0 if unseen; the empty one has no count). */
    public long count(int[] ids, int from, int to) {
        int node = node(ids, from, to);
        return node <= 0 ? 0 : count[node];
    }

    /** p(ids[i] | ids[max(0, i−n+1) … i−1]): the next-token probability given the text before it. */
    public double prob(int[] ids, int i) {
        int w = ids[i];
        if (w < 0 || w >= vocab) throw new IllegalArgumentException("NGramLm: token " + w + " at " + i + " outside the vocabulary [0, " + vocab + ")");
        int hist = Math.min(n - 1, i);
        if (smoothing == Smoothing.ADD_K) {
            int h = node(ids, i - hist, i);
            long c = 0, ch = 0;
            if (h >= 0) {
                ch = rawTotal[h];
                long g = children.get((long) h * vocab + w);
                if (g != 0) c = count[(int) g - 1];
            }
            return (c + addK) / (ch + addK * vocab);
        }
        double p = 1.0 / vocab;
        for (int k = 1; k <= hist + 1; k++) {
            int h = node(ids, i - k + 1, i);
            if (h < 0 || total[h] == 0) break;                     // unseen context: longer ones are unseen too
            long g = children.get((long) h * vocab + w);
            int a = g == 0 ? 0 : adjusted((int) g - 1);
            double[] d = discount[k];
            double disc = a == 0 ? 0 : d[Math.min(a, 3) - 1];
            double gamma = (d[0] * n1[h] + d[1] * n2[h] + d[2] * n3[h]) / total[h];
            p = Math.max(a - disc, 0) / total[h] + gamma * p;
        }
        return p;
    }

    /** Natural-log probability of every token given the ones before it ({@code ids[0]} conditioned on nothing). */
    public double[] logProbs(int[] ids) {
        double[] out = new double[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.log(prob(ids, i));
        return out;
    }

    /** Mean negative log-likelihood (nats per token) of {@code ids[from …]}, each token given the text before it. */
    public double nll(int[] ids, int from) {
        if (from < 0 || from >= ids.length) throw new IllegalArgumentException("NGramLm: from " + from + " outside 0 … " + (ids.length - 1));
        double s = 0;
        for (int i = from; i < ids.length; i++) s -= Math.log(prob(ids, i));
        return s / (ids.length - from);
    }

    /** exp of {@link #nll} over all of {@code ids}. */
    public double perplexity(int[] ids) { return Math.exp(nll(ids, 0)); }

    /** Share of the order-{@code k} n-grams of {@code ids} (one per position i ≥ k−1) that training never saw: data sparsity. */
    public double unseenShare(int[] ids, int k) {
        if (k < 1 || k > n) throw new IllegalArgumentException("NGramLm: order " + k + " outside 1 … " + n);
        if (ids.length < k) return 0;
        long unseen = 0;
        for (int i = k - 1; i < ids.length; i++) if (node(ids, i - k + 1, i + 1) < 0) unseen++;
        return (double) unseen / (ids.length - k + 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NGramLm(n=%d, V=%d, %s, %,d tokens, %,d n-grams, %.1f MB)", n, vocab,
                smoothing == Smoothing.ADD_K ? "add-" + addK : "modified Kneser-Ney", tokens, ngrams(), bytes() / 1e6);
    }
}
