package llmbook.bias;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import llmbook.model.MiniLm;
import llmbook.tensor.Tensor;

/**
 * The Sentence Encoder Association Test (SEAT, May et al. 2019): {@link Weat} on sentence vectors. Each word is put
 * into a few semantically bleached templates ("This is Kevin.", "Here is salary."), the sentences are encoded, and
 * the four sets of words become four sets of sentence vectors; effect size, permutation p-value and bootstrap
 * interval are WEAT's, computed over sentences. Q48.
 * <pre>{@code
 * float[][] X = Seat.vectors(MiniLm.load(), career);     // |career| × |TEMPLATES| sentence vectors
 * double d = Weat.effectSize(X, Y, A, B);
 * }</pre>
 * The sentences of one word are not independent samples (they share the word), so the p-value is optimistic; the
 * bootstrap over sentences is too. The templates say nothing about the word, so any association comes from it.
 */
public final class Seat {
    private Seat() {}

    /** The bleached templates; {@code %s} is the word. */
    public static final List<String> TEMPLATES = List.of("This is %s.", "That is %s.", "Here is %s.", "There is %s.", "It is %s.", "%s is here.");

    /** Every word in every template, word-major: {@code words.length × templates.size()} sentences. */
    public static List<String> sentences(String[] words, List<String> templates) {
        if (words.length == 0) throw new IllegalArgumentException("Seat: no words");
        List<String> out = new ArrayList<>();
        for (String w : words)
            for (String t : templates) {
                String s = String.format(t, w);
                out.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
            }
        return out;
    }

    /** The sentence vectors of {@code words} in {@link #TEMPLATES}, by any encoder (a list of texts → one row each). */
    public static float[][] vectors(Function<List<String>, float[][]> encoder, String[] words) {
        List<String> s = sentences(words, TEMPLATES);
        float[][] v = encoder.apply(s);
        if (v.length != s.size()) throw new IllegalArgumentException("Seat: the encoder gave " + v.length + " vectors for " + s.size() + " sentences");
        return v;
    }

    /** The MiniLM sentence vectors (mean-pooled, normalised) of {@code words} in {@link #TEMPLATES}. */
    public static float[][] vectors(MiniLm model, String[] words) { return vectors(texts -> rows(model.embed(texts)), words); }

    /** The rows of a (N, D) tensor. */
    static float[][] rows(Tensor t) {
        int n = t.shape()[0], d = t.shape()[1];
        float[] a = t.contiguous().toArray();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = java.util.Arrays.copyOfRange(a, i * d, (i + 1) * d);
        return out;
    }
}
