package llmbook.exercises.ch12;

/**
 * Exercise ch12.kneser_ney — interpolated Kneser–Ney bigram probabilities. Q49.
 *
 * <p>Goal: the probability of token {@code w} after token {@code v}, for a text of ids in {@code [0, V)}, with one
 * absolute discount {@code d}. Take {@code d} off every seen bigram count, and give the freed mass to a lower-order
 * distribution that asks "after how many different tokens has {@code w} appeared?" rather than "how often has
 * {@code w} appeared?" (the continuation probability: the number of distinct bigram types ending in {@code w}, over
 * the number of distinct bigram types). The freed mass of context {@code v} is {@code d} times the number of distinct
 * tokens seen after {@code v}, over the count of {@code v} as a context. A context never seen as a context gives the
 * continuation probability itself.
 *
 * <p>Worked example: text {@code a b a b c} (a=0, b=1, c=2), d = 0.75. Bigram types ab, ba, bc: the continuation
 * probabilities are a 1/3, b 1/3, c 1/3. After a (seen twice as a context, always followed by b):
 * p(b|a) = (2 − 0.75)/2 + (0.75·1/2)·(1/3) = 0.75, p(c|a) = 0.125. After c (never a context): p(a|c) = 1/3.
 * Run {@code ./llmbook grade 12} to see your score.
 */
public final class KneserNeyBigram {
    private KneserNeyBigram() {}

    public static double prob(int[] text, int V, double d, int v, int w) {
        throw new UnsupportedOperationException("TODO ch12.kneser_ney: discounted bigram count + freed mass × continuation probability");
    }
}
