package llmbook.sample;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbook.model.LanguageModel;
import llmbook.tensor.Tensor;

/**
 * Numbers that tell degenerate generated text from human-like text (Holtzman et al. 2020, "The curious case of neural
 * text degeneration"): how much it repeats itself, how varied it is, and how likely the model finds it. The same
 * figures computed on human text are the reference point. Q19, Q21.
 */
public final class TextMetrics {
    private TextMetrics() {}

    /**
     * Repetition rate: the share of the text's n-grams (n = 4 in the book) that already occurred earlier in the same
     * text. {@code a b c a b c a} has bigrams ab bc ca ab bc ca: the last three are repeats, rate 3/6 = 0.5. 0 for a
     * text shorter than n + 1 tokens.
     */
    public static double repetitionRate(int[] tokens, int n) {
        if (n < 1) throw new IllegalArgumentException("repetitionRate: n must be >= 1, got " + n);
        int total = tokens.length - n + 1;
        if (total < 2) return 0;
        Set<List<Integer>> seen = new HashSet<>();
        int repeated = 0;
        for (int i = 0; i < total; i++) if (!seen.add(ngram(tokens, i, n))) repeated++;
        return repeated / (double) total;
    }

    /**
     * distinct-n (Li et al. 2016): distinct n-grams divided by all n-grams, pooled over the texts. {@code [a b a b]}
     * and {@code [a b c]} have bigrams ab ba ab | ab bc: 3 distinct of 5, 0.6. 0 when there is no n-gram.
     */
    public static double distinct(List<int[]> texts, int n) {
        if (n < 1) throw new IllegalArgumentException("distinct: n must be >= 1, got " + n);
        Set<List<Integer>> seen = new HashSet<>();
        long total = 0;
        for (int[] t : texts)
            for (int i = 0; i + n <= t.length; i++) { seen.add(ngram(t, i, n)); total++; }
        return total == 0 ? 0 : seen.size() / (double) total;
    }

    /** distinct-n of one text. */
    public static double distinct(int[] tokens, int n) { return distinct(List.of(tokens), n); }

    private static List<Integer> ngram(int[] t, int from, int n) {
        return Arrays.stream(t, from, from + n).boxed().toList();
    }

    /**
     * Mean negative log-likelihood (nats per token) that {@code model} gives {@code continuation} after {@code prompt}:
     * every continuation token is scored given what comes before it. Low for text the model finds predictable (its
     * own greedy output), higher for human text and for high-temperature samples. A text longer than the context is
     * scored in windows, as the {@link Generator} reads it: each token sees at least half a context of history.
     */
    public static double nll(LanguageModel model, int[] prompt, int[] continuation) {
        if (prompt.length == 0) throw new IllegalArgumentException("nll: the prompt must have at least one token");
        if (continuation.length == 0) throw new IllegalArgumentException("nll: nothing to score (empty continuation)");
        int n = prompt.length + continuation.length, T = model.context(), stride = Math.max(1, T / 2);
        int[] all = Arrays.copyOf(prompt, n);
        System.arraycopy(continuation, 0, all, prompt.length, continuation.length);
        boolean wasTraining = model.isTraining();
        model.train(false);
        double sum = 0;
        try (var g = Tensor.noGrad()) {
            for (int j = prompt.length; j < n; ) {                       // score targets j .. end-1
                int end = Math.min(n, j + stride), s = Math.max(0, end - 1 - T), len = end - 1 - s;
                int[] ids = Arrays.copyOfRange(all, s, end - 1), targets = new int[len];
                for (int q = 0; q < len; q++) targets[q] = s + q + 1 >= j ? all[s + q + 1] : -1;
                sum += model.loss(ids, targets, 1, len).item() * (end - j);
                j = end;
            }
        } finally {
            model.train(wasTraining);
        }
        return sum / continuation.length;
    }

    /** The model's perplexity of {@code continuation} after {@code prompt}: e^{@link #nll}. */
    public static double perplexity(LanguageModel model, int[] prompt, int[] continuation) {
        return Math.exp(nll(model, prompt, continuation));
    }

    /** Entropy (nats) of softmax(logits): 0 for a certain choice, ln V for a uniform one. {@code −∞} logits count as p = 0. Q20. */
    public static double entropy(float[] logits) {
        double[] p = LogitsProcessor.softmax(logits);
        double h = 0;
        for (double q : p) if (q > 0) h -= q * Math.log(q);
        return h;
    }

    /** Tokens a processor leaves possible (logit above {@code −∞}) on a copy of {@code logits}: the candidate set. Q21. */
    public static int candidates(LogitsProcessor p, float[] logits, int[] history) {
        float[] l = logits.clone();
        p.process(l, history);
        int k = 0;
        for (float v : l) if (v != Float.NEGATIVE_INFINITY) k++;
        return k;
    }
}
