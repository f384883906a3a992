package llmbook.align;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import llmbook.data.Batches;
import llmbook.model.LanguageModel;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.Tokenizer;
import llmbook.train.LossFunction;

/**
 * The policy-gradient half of RLHF, in its simplest honest form: REINFORCE with a baseline and a KL penalty to the
 * frozen reference (the objective PPO optimises, without PPO's clipping).
 * <pre>
 *   R(y)   = r(y) − k·(log π(y|x) − log π_ref(y|x))              reward shaped by the per-sample KL estimate
 *   A(y)   = R(y) − mean of R over the other samples of the same prompt        (the baseline: lower variance, same mean)
 *   loss   = −mean_y A(y) · log π(y|x)                           ∇loss = −E[A·∇log π]: the score-function gradient
 * </pre>
 * Each batch is sampled from the current policy ({@link #rollouts}: on-policy), so the batch source needs the policy;
 * its {@link Source#history()} records the mean reward and KL of every batch.
 */
public final class Reinforce {
    private Reinforce() {}

    /** Rollouts of the policy: 2D ids (B, T) of prompt + completion, and the advantage of each row. */
    public record RolloutBatch(int[] ids, int b, int t, int promptLen, float[] advantage) {}

    /** An on-policy batch source; {@code size} must be a multiple of the samples per prompt. */
    public static final class Source implements Batches<RolloutBatch> {
        private final LanguageModel policy, reference;
        private final Tokenizer tok;
        private final int[] text;
        private final int promptLen, length, perPrompt;
        private final float klCoef;
        private final ToDoubleFunction<String> reward;
        private final List<double[]> history = new ArrayList<>();

        Source(LanguageModel policy, LanguageModel reference, Tokenizer tok, int[] text, int promptLen, int length, int perPrompt,
               float klCoef, ToDoubleFunction<String> reward) {
            if (perPrompt < 2) throw new IllegalArgumentException("Reinforce: the baseline needs >= 2 samples per prompt, got " + perPrompt);
            this.policy = policy; this.reference = reference; this.tok = tok; this.text = text;
            this.promptLen = promptLen; this.length = length; this.perPrompt = perPrompt; this.klCoef = klCoef; this.reward = reward;
        }

        /** Per batch: {mean reward, mean KL estimate log π − log π_ref}. */
        public List<double[]> history() { return history; }

        @Override public RolloutBatch next(Rng rng, int size) {
            if (size % perPrompt != 0) throw new IllegalArgumentException("Reinforce: batch size " + size + " is not a multiple of " + perPrompt + " samples per prompt");
            int t = promptLen + length;
            int[][] rows = new int[size][];
            double[] r = new double[size];
            for (int p = 0; p < size / perPrompt; p++) {
                int[] prompt = Preferences.prompt(text, promptLen, rng);
                int[][] c = Rollouts.sample(policy, prompt, perPrompt, length, 1f, rng);
                for (int i = 0; i < perPrompt; i++) {
                    rows[p * perPrompt + i] = Rollouts.concat(prompt, c[i]);
                    r[p * perPrompt + i] = reward.applyAsDouble(tok.decode(c[i]));
                }
            }
            float[] lp = Rollouts.logProbsNoGrad(policy, rows, promptLen, 16), lr = Rollouts.logProbsNoGrad(reference, rows, promptLen, 16);
            double[] shaped = new double[size];
            double mr = 0, mk = 0;
            for (int i = 0; i < size; i++) {
                double kl = lp[i] - lr[i];
                shaped[i] = r[i] - klCoef * kl;
                mr += r[i];
                mk += kl;
            }
            history.add(new double[] {mr / size, mk / size});
            float[] adv = new float[size];
            for (int p = 0; p < size / perPrompt; p++) {
                double sum = 0;
                for (int i = 0; i < perPrompt; i++) sum += shaped[p * perPrompt + i];
                for (int i = 0; i < perPrompt; i++) {
                    int j = p * perPrompt + i;
                    adv[j] = (float) (shaped[j] - (sum - shaped[j]) / (perPrompt - 1));   // leave-one-out baseline
                }
            }
            int[] ids = new int[size * t];
            for (int i = 0; i < size; i++) System.arraycopy(rows[i], 0, ids, i * t, t);
            return new RolloutBatch(ids, size, t, promptLen, adv);
        }

        @Override public long tokens(RolloutBatch b) { return (long) b.b() * (b.t() - b.promptLen()); }
    }

    /**
     * Rollouts of {@code policy} on random prompts of {@code text}: {@code perPrompt} completions of {@code length} tokens
     * each, rewarded by {@code reward} and penalised by {@code klCoef} × their KL estimate against {@code reference}.
     */
    public static Source rollouts(LanguageModel policy, LanguageModel reference, Tokenizer tok, int[] text, int promptLen, int length,
                                  int perPrompt, float klCoef, ToDoubleFunction<String> reward) {
        return new Source(policy, reference, tok, text, promptLen, length, perPrompt, klCoef, reward);
    }

    /** The policy-gradient loss {@code −mean A·log π(y|x)} of a rollout batch. */
    public static LossFunction<RolloutBatch> loss(LanguageModel policy) {
        return rb -> Rollouts.logProbs(policy, rb.ids(), rb.b(), rb.t(), rb.promptLen()).mul(Tensor.of(rb.advantage(), rb.b())).mean().neg();
    }
}
