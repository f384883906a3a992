package llmbook.align;

import java.util.List;
import llmbook.data.Batches;
import llmbook.model.LanguageModel;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.LossFunction;

/**
 * Direct preference optimisation (Rafailov et al., 2023): fit the policy to preference pairs with a classification
 * loss, no reward model and no sampling during training. Chapter 13.
 * <pre>
 *   r̂(x, y) = β · (log π(y|x) − log π_ref(y|x))                  the implicit reward
 *   loss    = −log σ( r̂(x, y_w) − r̂(x, y_l) )                    Bradley–Terry on the implicit rewards
 *   ∂loss/∂log π(y_w) = −β·σ(r̂_l − r̂_w),   ∂loss/∂log π(y_l) = +β·σ(r̂_l − r̂_w)
 * </pre>
 * Why it works: the KL-regularised RLHF objective {@code max E[r] − β·KL(π‖π_ref)} has the closed-form optimum
 * {@code π^*(y|x) ∝ π_ref(y|x)·exp(r(x,y)/β)}, so {@code r = β·log(π^* / π_ref) + β·log Z(x)}; in a difference of two
 * rewards for the same prompt, Z cancels, and the Bradley–Terry likelihood of the preferences becomes a function of
 * the policy alone. β plays the role of the KL weight: small β lets the policy move far from the reference.
 *
 * <p>The reference log-probabilities are computed once, when the pairs are made into {@link #batches}, with the
 * reference frozen; the policy's come from {@link Rollouts#logProbs}, on the tape.
 */
public final class Dpo {
    private Dpo() {}

    /**
     * B pairs laid out as one batch of 2B rows (B chosen, then B rejected) of T = prompt + completion ids, with the
     * reference model's sequence log-probabilities of each.
     */
    public record PairBatch(int[] ids, int b, int t, int promptLen, float[] refChosen, float[] refRejected) {}

    /** Held-out figures of a policy on pairs: mean loss, implicit reward margin, accuracy (margin > 0), both implicit rewards. */
    public record Stats(double loss, double margin, double accuracy, double chosenReward, double rejectedReward) {}

    /** {@code log σ(z)} element-wise, computed stably as {@code min(z, 0) − log(1 + e^{−|z|})}; gradient {@code σ(−z)}. */
    public static Tensor logSigmoid(Tensor z) {
        Tensor x = z.contiguous();
        float[] in = x.data(), y = new float[x.numel()];
        int o = x.offset();
        for (int i = 0; i < y.length; i++) {
            double v = in[o + i];
            y[i] = (float) (Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))));
        }
        Tensor t = Tensor.fromOp("log_sigmoid", y, x.shape(), x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) gx[i] += g[i] * (float) (1 / (1 + Math.exp(in[o + i])));   // σ(−z)
        });
    }

    /**
     * The DPO loss (scalar, mean over the B pairs) from sequence log-probabilities (B) of the policy and of the
     * reference for the chosen and rejected completions. The reference terms are treated as constants.
     */
    public static Tensor loss(Tensor policyChosen, Tensor policyRejected, Tensor refChosen, Tensor refRejected, float beta) {
        if (!(beta > 0)) throw new IllegalArgumentException("Dpo: beta must be > 0, got " + beta);
        Tensor margin = policyChosen.sub(refChosen.detach()).sub(policyRejected.sub(refRejected.detach())).mul(beta);
        return logSigmoid(margin).mean().neg();
    }

    /** The Trainer's loss: {@link #loss} of {@code policy} on a {@link PairBatch}. */
    public static LossFunction<PairBatch> of(LanguageModel policy, float beta) { return of(policy, beta, 0f); }

    /**
     * DPO plus {@code nll} × the chosen completions' negative log-likelihood per token (the "DPO + NLL" of Pang et al.
     * 2024, RPO): the DPO loss only fixes the <i>gap</i> between chosen and rejected, and it can widen that gap by
     * pushing both down, giving their probability to text neither of them resembles; the NLL term keeps the chosen
     * completions likely. {@code nll} = 0 is plain DPO.
     */
    public static LossFunction<PairBatch> of(LanguageModel policy, float beta, float nll) {
        if (!(nll >= 0)) throw new IllegalArgumentException("Dpo: the NLL weight must be >= 0, got " + nll);
        return pb -> {
            Tensor lp = Rollouts.logProbs(policy, pb.ids(), 2 * pb.b(), pb.t(), pb.promptLen());    // (2B)
            Tensor chosen = lp.slice(0, 0, pb.b());
            Tensor l = loss(chosen, lp.slice(0, pb.b(), 2 * pb.b()), Tensor.of(pb.refChosen(), pb.b()), Tensor.of(pb.refRejected(), pb.b()), beta);
            return nll == 0 ? l : l.add(chosen.mean().mul(-nll / (pb.t() - pb.promptLen())));
        };
    }

    /** Preference pairs with the frozen reference's log-probabilities, computed once. */
    public static final class Pairs {
        final List<PreferencePair> pairs;
        final float[] refChosen, refRejected;
        final int promptLen, t;

        Pairs(List<PreferencePair> pairs, LanguageModel reference) {
            if (pairs.isEmpty()) throw new IllegalArgumentException("Dpo: no preference pairs");
            this.pairs = List.copyOf(pairs);
            this.promptLen = pairs.get(0).prompt().length;
            this.t = promptLen + pairs.get(0).chosen().length;
            int[][] c = new int[pairs.size()][], r = new int[pairs.size()][];
            for (int i = 0; i < pairs.size(); i++) {
                PreferencePair p = pairs.get(i);
                if (p.prompt().length != promptLen || p.chosen().length != t - promptLen)
                    throw new IllegalArgumentException("Dpo: every pair must have the same prompt and completion lengths (" + promptLen + ", "
                            + (t - promptLen) + "); pair " + i + " has " + p.prompt().length + ", " + p.chosen().length);
                c[i] = p.chosenRow();
                r[i] = p.rejectedRow();
            }
            refChosen = Rollouts.logProbsNoGrad(reference, c, promptLen, 16);
            refRejected = Rollouts.logProbsNoGrad(reference, r, promptLen, 16);
        }

        public int size() { return pairs.size(); }

        /** The batch of pairs {@code idx}. */
        public PairBatch batch(int[] idx) {
            int b = idx.length;
            int[] ids = new int[2 * b * t];
            float[] rc = new float[b], rr = new float[b];
            for (int i = 0; i < b; i++) {
                PreferencePair p = pairs.get(idx[i]);
                System.arraycopy(p.chosenRow(), 0, ids, i * t, t);
                System.arraycopy(p.rejectedRow(), 0, ids, (b + i) * t, t);
                rc[i] = refChosen[idx[i]];
                rr[i] = refRejected[idx[i]];
            }
            return new PairBatch(ids, b, t, promptLen, rc, rr);
        }
    }

    /** The pairs with {@code reference}'s log-probabilities (computed now, without gradients). */
    public static Pairs pairs(List<PreferencePair> pairs, LanguageModel reference) { return new Pairs(pairs, reference); }

    /** Random batches of pairs (with replacement), drawn from the trainer's RNG. */
    public static Batches<PairBatch> batches(Pairs pairs) {
        return new Batches<>() {
            @Override public PairBatch next(Rng rng, int size) {
                int[] idx = new int[size];
                for (int i = 0; i < size; i++) idx[i] = rng.nextInt(pairs.size());
                return pairs.batch(idx);
            }
            @Override public long tokens(PairBatch b) { return 2L * b.b() * (b.t() - b.promptLen()); }
        };
    }

    /** Loss, implicit-reward margin and accuracy of {@code policy} on every pair (no gradients). */
    public static Stats evaluate(LanguageModel policy, Pairs pairs, float beta) {
        int n = pairs.size();
        int[][] c = new int[n][], r = new int[n][];
        for (int i = 0; i < n; i++) { c[i] = pairs.pairs.get(i).chosenRow(); r[i] = pairs.pairs.get(i).rejectedRow(); }
        float[] pc = Rollouts.logProbsNoGrad(policy, c, pairs.promptLen, 16), pr = Rollouts.logProbsNoGrad(policy, r, pairs.promptLen, 16);
        double loss = 0, margin = 0, acc = 0, rw = 0, rl = 0;
        for (int i = 0; i < n; i++) {
            double a = beta * (pc[i] - pairs.refChosen[i]), b = beta * (pr[i] - pairs.refRejected[i]), m = a - b;
            loss += -(Math.min(m, 0) - Math.log1p(Math.exp(-Math.abs(m))));
            margin += m;
            acc += m > 0 ? 1 : 0;
            rw += a;
            rl += b;
        }
        return new Stats(loss / n, margin / n, acc / n, rw / n, rl / n);
    }
}
