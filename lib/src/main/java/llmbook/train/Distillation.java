package llmbook.train;

import llmbook.data.TokenBatch;
import llmbook.model.LanguageModel;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;

/**
 * Knowledge distillation (Hinton et al., 2015): a small student learns from a frozen teacher's whole output
 * distribution, softened by a temperature, as well as from the true next token. Q15.
 * <pre>
 *   soft = T² · mean_rows KL( softmax(z_teacher / T) ‖ softmax(z_student / T) )
 *   hard = cross-entropy(z_student, y)
 *   loss = α · soft + (1 − α) · hard                   α = 0: the hard-label baseline; α = 1: soft targets only
 * </pre>
 * Why T²: the soft term's gradient w.r.t. a student logit is {@code T·(q_T − p_T)}, and for T large
 * {@code q_T − p_T ≈ (z_s − z_t)/(T·V)}, so without the T² it would shrink like 1/T² and the mix with the hard term
 * would change with T. With it, the soft gradient stays the same size as T changes (tested). A temperature above 1
 * lifts the teacher's small probabilities — which wrong tokens are nearly right — the "dark knowledge" a one-hot
 * target lacks.
 */
public final class Distillation {
    private Distillation() {}

    /**
     * The distillation loss of {@code student} logits (N, V) against {@code teacher} logits (N, V) (treated as constants)
     * and {@code targets} (N; −1 = not scored, left out of both terms).
     */
    public static Tensor loss(Tensor student, Tensor teacher, int[] targets, float temperature, float alpha) {
        if (!(temperature > 0)) throw new IllegalArgumentException("Distillation: temperature must be > 0, got " + temperature);
        if (alpha < 0 || alpha > 1) throw new IllegalArgumentException("Distillation: alpha must be in [0, 1], got " + alpha);
        int[] ss = student.shape(), ts = teacher.shape();
        if (ss.length != 2 || !java.util.Arrays.equals(ss, ts))
            throw new IllegalArgumentException("Distillation: student logits " + java.util.Arrays.toString(ss) + " and teacher logits "
                    + java.util.Arrays.toString(ts) + " must both be (N, V)");
        Tensor hard = Functional.crossEntropy(student, targets, -1);
        if (alpha == 0) return hard;
        int scored = 0;
        for (int y : targets) if (y != -1) scored++;
        Tensor s = student, t = teacher.detach();
        if (scored < targets.length) {
            int[] rows = new int[scored];
            for (int r = 0, j = 0; r < targets.length; r++) if (targets[r] != -1) rows[j++] = r;
            s = s.indexSelect(rows);
            t = t.indexSelect(rows);
        }
        float inv = 1f / temperature;
        Tensor soft = scored == 0 ? Tensor.scalar(0f) : Functional.klDivergence(t.mul(inv), s.mul(inv)).mean().mul(temperature * temperature);
        return alpha == 1 ? soft : soft.mul(alpha).add(hard.mul(1 - alpha));
    }

    /**
     * A {@link LossFunction} for the {@link Trainer}: the student's logits against the teacher's (computed without
     * gradients, the teacher in evaluation mode) on the same batch.
     */
    public static LossFunction<TokenBatch> of(LanguageModel student, LanguageModel teacher, float temperature, float alpha) {
        if (teacher instanceof Module m) m.eval();
        if (student.vocab() != teacher.vocab())
            throw new IllegalArgumentException("Distillation: student vocabulary " + student.vocab() + " != teacher vocabulary " + teacher.vocab());
        return b -> {
            Tensor zt;
            try (var g = Tensor.noGrad()) { zt = teacher.logits(b.x(), b.B(), b.T()).reshape(b.B() * b.T(), teacher.vocab()); }
            Tensor zs = student.logits(b.x(), b.B(), b.T()).reshape(b.B() * b.T(), student.vocab());
            return loss(zs, zt, b.y(), temperature, alpha);
        };
    }

    /**
     * KL(P‖Q) of two models' next-token distributions at every position of ids (B, T), e.g. P = the base model and
     * Q = its fine-tuned copy on old-domain text: where fine-tuning moved the model. Returns B·T values in nats. Q38.
     */
    public static float[] perTokenKl(LanguageModel p, LanguageModel q, int[] ids, int b, int t) {
        if (p.vocab() != q.vocab()) throw new IllegalArgumentException("perTokenKl: vocabularies " + p.vocab() + " and " + q.vocab() + " differ");
        try (var g = Tensor.noGrad()) {
            return Functional.klDivergence(p.logits(ids, b, t), q.logits(ids, b, t)).toArray();
        }
    }
}
