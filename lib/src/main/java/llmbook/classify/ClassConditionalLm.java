package llmbook.classify;

import java.util.Arrays;
import java.util.List;
import llmbook.data.Batches;
import llmbook.data.TokenBatch;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.sample.Generator;
import llmbook.sample.Sampler;
import llmbook.sample.TextMetrics;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;

/**
 * One character-level GPT that models text <em>given its class</em>, P(x | c), by reading a class token first (Q29).
 * The same model is used both ways:
 * <pre>
 *   generate:  [SPAM] → sample characters                          (P(x | c) as a generator)
 *   classify:  ĉ = argmax_c  log P(c) + log P(x | c)               (Bayes' rule, as naive Bayes, with a real LM)
 *              log P(x | c) = −n · TextMetrics.nll(lm, [c], x)      x = the first n characters
 * </pre>
 * Class tokens are ids {@code V … V+K−1} after the characters' {@code V}. Training windows are random stretches of one
 * document, always preceded by its class token, so every prediction is conditioned on the class. A text is scored on
 * its first {@code context − 1} characters, so the class token stays in view.
 */
public final class ClassConditionalLm {
    public final CharTokenizer chars;
    public final Decoder lm;
    public final int classes;

    /** A fresh model over the characters of {@code alphabet} and {@code classes} class tokens; {@code config}'s vocab is replaced. */
    public ClassConditionalLm(String alphabet, int classes, TransformerConfig config, Rng rng) {
        if (classes < 2) throw new IllegalArgumentException("ClassConditionalLm: need at least 2 classes, got " + classes);
        this.chars = CharTokenizer.fit(alphabet);
        this.classes = classes;
        this.lm = new Decoder(config.withVocab(chars.vocabSize() + classes), rng);
    }

    /** The id of class {@code c}'s token. */
    public int classToken(int c) {
        if (c < 0 || c >= classes) throw new IllegalArgumentException("ClassConditionalLm: class " + c + " outside [0, " + classes + ")");
        return chars.vocabSize() + c;
    }

    /** Longest text scored: context − 1 characters after the class token. */
    public int maxChars() { return lm.context() - 1; }

    /**
     * Training batches: a random document, a random window of {@code context} characters from it (or all of a shorter
     * one, padded with −1 targets), preceded by its class token. Texts need at least 2 characters.
     */
    public Batches<TokenBatch> batches(List<String> texts, int[] labels) {
        Classifier.checkLabels("ClassConditionalLm", texts.size(), labels, classes);
        int[][] ids = texts.stream().map(chars::encode).toArray(int[][]::new);
        int T = lm.context();
        return (rng, size) -> {
            int[] x = new int[size * T], y = new int[size * T];
            Arrays.fill(y, -1);
            for (int b = 0; b < size; b++) {
                int d = rng.nextInt(ids.length);
                int[] s = ids[d];
                int n = Math.min(T, s.length), off = s.length > T ? rng.nextInt(s.length - T + 1) : 0;
                x[b * T] = classToken(labels[d]);                              // [c] s[off] … s[off+n−2]
                System.arraycopy(s, off, x, b * T + 1, Math.min(n, T - 1));
                System.arraycopy(s, off, y, b * T, n);                         // predicts s[off] … s[off+n−1]
            }
            return new TokenBatch(x, y, size, T);
        };
    }

    /** log P(x | c) for every class, over the first {@link #maxChars()} characters of {@code text} (nats). */
    public double[] logLikelihoods(String text) {
        int[] x = chars.encode(text);
        if (x.length == 0) throw new IllegalArgumentException("ClassConditionalLm: empty text");
        if (x.length > maxChars()) x = Arrays.copyOf(x, maxChars());
        double[] ll = new double[classes];
        for (int c = 0; c < classes; c++) ll[c] = -x.length * TextMetrics.nll(lm, new int[] {classToken(c)}, x);
        return ll;
    }

    /** argmax_c log P(c) + log P(x | c). */
    public int predict(String text, double[] logPrior) {
        double[] s = logLikelihoods(text);
        for (int c = 0; c < classes; c++) s[c] += logPrior[c];
        return Classifier.argmax(s);
    }

    /** {@code n} characters sampled after class {@code c}'s token at temperature {@code temperature}. */
    public String sample(int c, int n, float temperature, Rng rng) {
        int[] out = new Generator(lm).generate(new int[] {classToken(c)}, Math.min(n, maxChars()), Sampler.of(temperature, 0, 1f, rng));
        return chars.decode(Arrays.copyOfRange(out, 1, out.length));
    }
}
