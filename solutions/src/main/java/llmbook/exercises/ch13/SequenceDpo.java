package llmbook.exercises.ch13;

import llmbook.align.Dpo;
import llmbook.model.LanguageModel;
import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;
import llmbook.train.LossFunction;

/**
 * Exercise ch13.sequence_dpo — assemble DPO for a real model, to be trained by the library's {@code Trainer}.
 *
 * <p>{@link #logProbs}: for ids (B, T) laid out row by row, the log-probability the model gives each row's completion
 * (tokens {@code promptLen … T−1}) after its prompt, as a (B) tensor ON THE TAPE (a loss on it must train the model).
 * The logits at position t predict token t + 1; take the log-softmax of the rows that predict completion tokens,
 * pick each true token's entry ({@code Tensor.gather}), sum per row. Worked example: a model that gives every one of
 * V = 4 tokens probability 1/4 gives a 3-token completion {@code 3·log(1/4) = −4.159}.
 *
 * <p>{@link #loss}: a {@code LossFunction} over {@link Dpo.PairBatch} (its ids are B chosen rows then B rejected rows;
 * the reference log-probabilities come with the batch): {@code −mean log σ(β·((π_w − ref_w) − (π_l − ref_l)))}, the
 * same number as the one-pair exercise {@code ch13.dpo_loss}, now on tensors ({@code Dpo.logSigmoid} is stable).
 * Run {@code ./llmbook grade 13}.
 */
public final class SequenceDpo {
    private SequenceDpo() {}

    public static Tensor logProbs(LanguageModel model, int[] ids, int b, int t, int promptLen) {
        int n = t - promptLen, v = model.vocab();
        int[] next = new int[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(ids, i * t + promptLen, next, i * n, n);
        Tensor logits = model.logits(ids, b, t).slice(1, promptLen - 1, t - 1);
        return Functional.logSoftmax(logits.reshape(b * n, v)).gather(next).reshape(b, n).sum(1, false);
    }

    public static LossFunction<Dpo.PairBatch> loss(LanguageModel policy, float beta) {
        return pb -> {
            int b = pb.b();
            Tensor lp = logProbs(policy, pb.ids(), 2 * b, pb.t(), pb.promptLen());
            Tensor margin = lp.slice(0, 0, b).sub(Tensor.of(pb.refChosen(), b)).sub(lp.slice(0, b, 2 * b).sub(Tensor.of(pb.refRejected(), b))).mul(beta);
            return Dpo.logSigmoid(margin).mean().neg();
        };
    }
}
