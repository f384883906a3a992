package llmbook.exercises.ch10;

import java.util.List;

/**
 * Exercise ch10.spam_filter — a naive Bayes spam filter from raw texts to accuracy. Q28.
 *
 * <p>Words are the maximal runs of letters of a text, lower-cased ({@code "Win $1000 NOW!"} → win, now). Training
 * on texts with labels 0 (ham) and 1 (spam) builds the vocabulary — every word seen in training, V of them — and
 * counts: how many texts per class, and how often each word occurs in each class. A text is scored in log space
 * (a product of hundreds of small probabilities underflows to 0):
 * <pre>
 *   score(c) = ln(texts of class c / all texts) + Σ over the text's words w in the vocabulary of ln P(w | c)
 *   P(w | c) = (count of w in class c + 1) / (all word occurrences in class c + V)      (Laplace smoothing)
 * </pre>
 * Words outside the vocabulary are skipped. {@link #predict} returns the class with the higher score (0 on a tie).
 * Worked example: train on "free money" (spam) and "meeting today" (ham): V = 4, P(free | spam) = 2/6,
 * P(free | ham) = 1/6, so "free free" scores ln ½ + 2 ln(2/6) for spam and is predicted spam.
 * Run {@code ./llmbook grade 10} to see your score.
 */
public final class SpamFilter {
    public SpamFilter(List<String> texts, int[] labels) {
        // TODO ch10.spam_filter: build the vocabulary and the per-class counts
    }

    /** {score(ham), score(spam)}. */
    public double[] scores(String text) {
        throw new UnsupportedOperationException("TODO ch10.spam_filter: log prior + Σ log P(w | c) over the known words");
    }

    public int predict(String text) {
        throw new UnsupportedOperationException("TODO ch10.spam_filter: the class with the higher score");
    }

    /** Fraction of {@code texts} predicted as their label. */
    public double accuracy(List<String> texts, int[] labels) {
        throw new UnsupportedOperationException("TODO ch10.spam_filter: predict each text and count the hits");
    }
}
