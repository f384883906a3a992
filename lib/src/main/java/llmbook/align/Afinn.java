package llmbook.align;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import llmbook.data.Corpus;

/**
 * The AFINN-111 sentiment lexicon (Finn Årup Nielsen, 2011): 2,477 English words and phrases, each scored from −5
 * (very negative) to +5 (very positive). Chapter 13 uses it as a reward that anyone can recount by hand: the
 * sentiment of a text is the sum of the scores of its words.
 * <pre>{@code
 * Afinn afinn = Afinn.load();              // ./llmbook data afinn-111 downloads it (checksummed)
 * afinn.score("a good and happy whale");   // good +3, happy +3 → 6
 * afinn.score("the whale");                // 0: no word of the lexicon
 * }</pre>
 * Words are the maximal runs of letters and apostrophes, lower-cased. Multi-word entries ("does not work") are kept
 * apart and not scored: with a character-level model they are rare, and counting them would double-count their words.
 */
public final class Afinn {
    private final Map<String, Integer> words;
    private final int phrases;

    /** A lexicon from the CSV text {@code word,valence} (a header line is allowed). */
    public static Afinn parse(String csv) {
        Map<String, Integer> m = new HashMap<>();
        int phrases = 0, line = 0;
        for (String row : csv.split("\n")) {
            line++;
            row = row.strip();
            if (row.isEmpty() || row.equals("word,valence")) continue;
            int comma = row.lastIndexOf(',');
            if (comma <= 0) throw new IllegalArgumentException("Afinn: line " + line + " is not 'word,valence': " + row);
            String w = row.substring(0, comma).toLowerCase(Locale.ROOT);
            int v;
            try {
                v = Integer.parseInt(row.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Afinn: line " + line + " has a valence that is not an integer: " + row);
            }
            if (w.indexOf(' ') >= 0) { phrases++; continue; }
            m.put(w, v);
        }
        if (m.isEmpty()) throw new IllegalArgumentException("Afinn: no word in the lexicon text");
        return new Afinn(m, phrases);
    }

    /** The lexicon of the {@code afinn-111} corpus (fetched by {@code ./llmbook data afinn-111}). */
    public static Afinn load() { return parse(Corpus.load("afinn-111").text()); }

    private Afinn(Map<String, Integer> words, int phrases) {
        this.words = Map.copyOf(words);
        this.phrases = phrases;
    }

    /** Single words scored. */
    public int size() { return words.size(); }

    /** Multi-word entries of the file, not scored. */
    public int phrases() { return phrases; }

    /** The valence of one word (lower-cased), 0 if it is not in the lexicon. */
    public int valence(String word) { return words.getOrDefault(word.toLowerCase(Locale.ROOT), 0); }

    /** The sum of the valences of the words of {@code text}. */
    public int score(String text) {
        int s = 0, i = 0, n = text.length();
        while (i < n) {
            while (i < n && !wordChar(text.charAt(i))) i++;
            int j = i;
            while (j < n && wordChar(text.charAt(j))) j++;
            if (j > i) s += valence(text.substring(i, j));
            i = j;
        }
        return s;
    }

    private static boolean wordChar(char c) { return Character.isLetter(c) || c == '\''; }
}
