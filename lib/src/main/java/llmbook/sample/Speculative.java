package llmbook.sample;

import java.util.Arrays;

import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Speculative decoding (Leviathan et al. 2023; Chen et al. 2023): a small draft model proposes {@code k} tokens one
 * at a time, the target model scores all of them in one cached forward pass, and a rejection rule keeps a prefix of
 * them so that the output follows the target's distribution exactly. Q50.
 * <pre>
 *   draft:   d_i ~ q_i = q(· | x, d_1 … d_{i−1}),  i = 1 … k              k cheap one-token passes
 *   target:  p_1 … p_{k+1} from one pass over [last, d_1 … d_k]             one pass of k+1 positions
 *   accept d_i with probability min(1, p_i(d_i) / q_i(d_i)), in order; at the first rejection draw the
 *   replacement from norm(max(0, p_i − q_i)) and stop; if all k pass, draw a bonus token from p_{k+1}
 * </pre>
 * Greedy (a greedy {@link Sampler}): accept while the draft's token is the target's argmax, so the output is the
 * target's own greedy output. Both models keep a {@link DecodeCache}; rejected positions are dropped with
 * {@link DecodeCache#truncate}. The text must fit in one context window (prompt + maxNew ≤ both contexts).
 */
public final class Speculative {
    private final LanguageModel target, draft;
    private final int k;
    private long proposed, accepted, targetPasses, draftPasses;

    public Speculative(LanguageModel target, LanguageModel draft, int k) {
        if (k < 1) throw new IllegalArgumentException("Speculative: k must be >= 1, got " + k);
        if (target.vocab() != draft.vocab())
            throw new IllegalArgumentException("Speculative: target vocabulary " + target.vocab() + " != draft vocabulary " + draft.vocab());
        if (!target.supportsCache() || !draft.supportsCache())
            throw new IllegalArgumentException("Speculative: both models need a KV cache");
        this.target = target;
        this.draft = draft;
        this.k = k;
    }

    /** The prompt followed by {@code maxNew} tokens; {@code rng} draws acceptances and tokens (unused when greedy). */
    public int[] generate(int[] prompt, int maxNew, Sampler sampler, Rng rng) {
        int V = target.vocab();
        if (prompt.length == 0) throw new IllegalArgumentException("Speculative: the prompt must have at least one token");
        if (maxNew < 0) throw new IllegalArgumentException("Speculative: maxNew must be >= 0, got " + maxNew);
        int limit = Math.min(target.context(), draft.context());
        if (prompt.length + maxNew + k > limit)
            throw new IllegalArgumentException("Speculative: prompt " + prompt.length + " + maxNew " + maxNew + " + k " + k
                    + " exceed the context " + limit + " (speculative decoding works within one window)");
        for (int id : prompt) if (id < 0 || id >= V) throw new IllegalArgumentException("Speculative: prompt token " + id + " outside [0, " + V + ")");
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew + k + 1);
        int n = prompt.length;
        boolean tw = target.isTraining(), dw = draft.isTraining();
        target.train(false);
        draft.train(false);
        try (var g = Tensor.noGrad(); var f = LinAlg.frozenWeights()) {   // no weight changes while it decodes
            DecodeCache tc = target.newCache(1), dc = draft.newCache(1);
            if (n > 1) {                                          // both caches hold everything but the last token
                int[] pre = Arrays.copyOf(prompt, n - 1);
                target.logits(pre, 1, pre.length, tc);
                draft.logits(pre, 1, pre.length, dc);
                targetPasses++;
                draftPasses++;
            }
            while (n < prompt.length + maxNew) {
                int base = tc.length();                           // = n − 1: out[0 … n−2] cached, out[n−1] is "last"
                double[][] q = new double[k][];
                for (int i = 0; i < k; i++) {                     // draft feeds out[dc.length() … n+i−1], proposes out[n+i]
                    int[] fresh = Arrays.copyOfRange(out, dc.length(), n + i);
                    float[] l = last(draft.logits(fresh, 1, fresh.length, dc), V);
                    draftPasses++;
                    q[i] = sampler.distribution(l, Arrays.copyOf(out, n + i));
                    out[n + i] = draw(q[i], rng, sampler);
                }
                proposed += k;
                int[] verify = Arrays.copyOfRange(out, n - 1, n + k);                        // last, d_1 … d_k
                float[] pl = target.logits(verify, 1, k + 1, tc).toArray();                  // (1, k+1, V)
                targetPasses++;
                int a = 0, next = -1;
                for (; a < k; a++) {
                    double[] p = sampler.distribution(Arrays.copyOfRange(pl, a * V, (a + 1) * V), Arrays.copyOf(out, n + a));
                    int d = out[n + a];
                    double ratio = q[a][d] == 0 ? 0 : p[d] / q[a][d];
                    if (sampler.isGreedy() ? p[d] == 1 : rng.nextDouble() < Math.min(1, ratio)) continue;
                    double[] r = new double[V];                   // the residual max(0, p − q), renormalised
                    double s = 0;
                    for (int v = 0; v < V; v++) s += r[v] = Math.max(0, p[v] - q[a][v]);
                    next = s > 0 ? draw(r, s, rng, sampler) : draw(p, rng, sampler);
                    break;
                }
                if (a == k) next = draw(sampler.distribution(Arrays.copyOfRange(pl, k * V, (k + 1) * V), Arrays.copyOf(out, n + k)), rng, sampler);
                accepted += a;
                out[n + a] = next;
                n += a + 1;
                tc.truncate(base + 1 + a);                        // keep last, d_1 … d_a; next is the new "last"
                if (dc.length() > n - 1) dc.truncate(n - 1);      // the draft cached last, d_1 … d_{k−1}
            }
        } finally {
            target.train(tw);
            draft.train(dw);
        }
        return Arrays.copyOf(out, prompt.length + maxNew);
    }

    private static float[] last(Tensor logits, int V) {
        float[] all = logits.toArray();
        return Arrays.copyOfRange(all, all.length - V, all.length);
    }

    private static int draw(double[] p, Rng rng, Sampler s) { return draw(p, 1, rng, s); }

    private static int draw(double[] p, double sum, Rng rng, Sampler s) {
        if (s.isGreedy()) {
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return best;
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) if ((u -= p[i]) <= 0) return i;
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
        throw new IllegalStateException("Speculative: empty distribution");
    }

    /** Share of proposed draft tokens the target kept. */
    public double acceptanceRate() { return proposed == 0 ? 0 : (double) accepted / proposed; }

    /** Forward passes of the target so far (each scores up to k+1 positions). */
    public long targetPasses() { return targetPasses; }

    public long draftPasses() { return draftPasses; }

    public int k() { return k; }

    public void resetStats() { proposed = accepted = targetPasses = draftPasses = 0; }
}
