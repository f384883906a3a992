package llmbook.tasks;

import java.util.List;
import llmbook.model.LanguageModel;
import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.Tokenizer;

/**
 * Classifying by label likelihood, and "calibrate before use" (Zhao et al., 2021). A prompt is scored against every
 * label word: {@link #labelLogProbs} is ln p(label | prompt), the sum over the label's tokens, all labels in one batch.
 * A prompt format makes a model lean towards some labels whatever the input; asked the same prompt about a
 * <i>content-free</i> input (an empty name, "n a"), an unbiased model would spread its probability evenly over the
 * labels, so the content-free distribution {@code p_cf} measures the lean. Calibration divides it out:
 * <pre>
 *   q(y | x) ∝ p(y | x) / p_cf(y)          (the diagonal W = diag(p_cf)⁻¹, b = 0 of the paper)
 *   p_cf = [0.8, 0.2], p = [0.6, 0.4]  →  q ∝ [0.75, 2.0]  →  label 1
 * </pre>
 * It can only reorder labels the model already ranks by a format-wide bias; it cannot add knowledge the prompt did not
 * give the model. Q22.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * ln p(labels[c] | prompt) for every label c, each label's token log-probabilities summed; the labels are scored
     * together as one batch of {@code prompt + label} sequences (right-padded), in evaluation mode without a graph.
     */
    public static double[] labelLogProbs(LanguageModel model, Tokenizer tok, String prompt, List<String> labels) {
        if (labels.isEmpty()) throw new IllegalArgumentException("Calibration.labelLogProbs: no labels");
        int[] p = tok.encode(prompt);
        if (p.length == 0) throw new IllegalArgumentException("Calibration.labelLogProbs: empty prompt");
        int C = labels.size(), T = 0;
        int[][] lab = new int[C][];
        for (int c = 0; c < C; c++) {
            lab[c] = tok.encode(labels.get(c));
            if (lab[c].length == 0) throw new IllegalArgumentException("Calibration.labelLogProbs: label " + c + " ('" + labels.get(c) + "') has no token");
            T = Math.max(T, p.length + lab[c].length - 1);
        }
        if (T > model.context())
            throw new IllegalArgumentException("Calibration.labelLogProbs: prompt + label is " + T + " tokens, the context is " + model.context());
        int[] x = new int[C * T];
        for (int c = 0; c < C; c++) {
            System.arraycopy(p, 0, x, c * T, p.length);
            System.arraycopy(lab[c], 0, x, c * T + p.length, lab[c].length - 1);
        }
        int V = model.vocab();
        double[] out = new double[C];
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            float[] lp = Functional.logSoftmax(model.logits(x, C, T).reshape(C * T, V)).toArray();
            for (int c = 0; c < C; c++)
                for (int i = 0; i < lab[c].length; i++) out[c] += lp[(c * T + p.length - 1 + i) * V + lab[c][i]];
        } finally {
            model.train(was);
        }
        return out;
    }

    /** Log-probabilities → probabilities renormalised over the labels (softmax of the scores). */
    public static double[] normalise(double[] logProbs) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (double v : logProbs) max = Math.max(max, v);
        double[] p = new double[logProbs.length];
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(logProbs[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    /** The mean of several content-free label distributions (each renormalised over the labels): the estimate of {@code p_cf}. */
    public static double[] contentFree(List<double[]> logProbs) {
        if (logProbs.isEmpty()) throw new IllegalArgumentException("Calibration.contentFree: no content-free input");
        double[] m = new double[logProbs.get(0).length];
        for (double[] lp : logProbs) {
            if (lp.length != m.length) throw new IllegalArgumentException("Calibration.contentFree: " + lp.length + " vs " + m.length + " labels");
            double[] p = normalise(lp);
            for (int i = 0; i < m.length; i++) m[i] += p[i] / logProbs.size();
        }
        return m;
    }

    /** {@code probs / contentFree}, renormalised: what the input says once the format's lean is divided out. */
    public static double[] calibrate(double[] contentFree, double[] probs) {
        if (contentFree.length != probs.length)
            throw new IllegalArgumentException("Calibration.calibrate: " + contentFree.length + " content-free probabilities vs " + probs.length);
        double[] q = new double[probs.length];
        double z = 0;
        for (int i = 0; i < q.length; i++) {
            if (!(contentFree[i] > 0)) throw new IllegalArgumentException("Calibration.calibrate: content-free probability " + i + " is " + contentFree[i] + ", must be > 0");
            z += q[i] = probs[i] / contentFree[i];
        }
        for (int i = 0; i < q.length; i++) q[i] /= z;
        return q;
    }

    /** The index of the largest value (ties: the first). */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
