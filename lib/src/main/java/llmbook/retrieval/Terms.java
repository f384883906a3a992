package llmbook.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The word tokens lexical retrieval counts: lower-cased runs of letters and digits, minus a short list of English
 * function words. {@code "The Congress, in 1790, met."} → {@code [congress, 1790, met]}. Q23.
 */
public final class Terms {
    private Terms() {}

    /** Words too common to tell passages apart; BM25's idf would nearly zero them anyway. */
    public static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he",
            "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "we", "our", "i");

    /** The tokens of {@code text}, in order (repeats kept: BM25 counts them). */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(s.charAt(i))) i++;
            int j = i;
            while (j < n && Character.isLetterOrDigit(s.charAt(j))) j++;
            if (j > i) {
                String w = s.substring(i, j);
                if (!STOP.contains(w)) out.add(w);
            }
            i = j;
        }
        return out;
    }
}
