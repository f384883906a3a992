package llmbook.retrieval;

import java.util.Arrays;
import llmbook.model.LanguageModel;
import llmbook.tensor.Tensor;

/**
 * In-context retrieval-augmented language modelling (Ram et al., "In-Context Retrieval-Augmented Language Models",
 * 2023): the model is not changed at all; retrieved text is put in front of what it reads, and the question is how
 * much better it then predicts the text that follows. {@link #loss} measures exactly that: the mean negative
 * log-likelihood of {@code target} given {@code context}, only the target's tokens scored. Q23.
 * <pre>{@code
 * double plain = Ralm.loss(model, tok.encode(prefix), tok.encode(rest));
 * double rag   = Ralm.loss(model, tok.encode(passage + " " + prefix), tok.encode(rest));   // lower = the passage helped
 * }</pre>
 */
public final class Ralm {
    private Ralm() {}

    /**
     * Mean NLL (nats per token) of {@code target} after {@code context}. When the two do not fit the model's window
     * the context is cut from the front (its end, nearest the target, is kept); the context must keep at least one
     * token, since the first target token is predicted from the last context token.
     */
    public static double loss(LanguageModel model, int[] context, int[] target) {
        int T = model.context();
        if (target.length < 1) throw new IllegalArgumentException("Ralm.loss: empty target");
        if (context.length < 1) throw new IllegalArgumentException("Ralm.loss: the context needs at least one token");
        if (target.length >= T)
            throw new IllegalArgumentException("Ralm.loss: a target of " + target.length + " tokens leaves no room for context in a window of " + T);
        int keep = Math.min(context.length, T + 1 - target.length);               // the window reads all but the last target token
        int[] all = new int[keep + target.length];
        System.arraycopy(context, context.length - keep, all, 0, keep);
        System.arraycopy(target, 0, all, keep, target.length);
        int n = all.length - 1;                                                    // ≤ T
        int[] x = Arrays.copyOf(all, n), y = new int[n];
        Arrays.fill(y, -1);
        for (int t = keep - 1; t < n; t++) y[t] = all[t + 1];                     // score the target only
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            return model.loss(x, y, 1, n).item();
        } finally {
            model.train(was);
        }
    }
}
