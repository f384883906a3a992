package llmbook.objectives;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import llmbook.tokenizer.WordTokenizer;

/**
 * A word-level vocabulary for the small BERT and GPT of chapter 10: lower-cased words, numbers and punctuation from
 * a {@link WordTokenizer} (white space dropped, so a blank is a word, not a space), followed by BERT's four special
 * tokens. A masked word is then a real word to guess, and "top-5 accuracy" reads as five words.
 * <pre>
 *   ids 0 … V−1 : &lt;unk&gt;, then the V−1 most frequent pieces       V = [PAD], V+1 = [CLS], V+2 = [SEP], V+3 = [MASK]
 *   encode("The Union is strong.") → [the, union, is, strong, .]     decode joins with spaces
 * </pre>
 */
public final class WordVocab {
    public final WordTokenizer words;
    public final int pad, cls, sep, mask;
    private final java.util.HashMap<String, Integer> ids = new java.util.HashMap<>();

    private WordVocab(WordTokenizer words) {
        this.words = words;
        int v = words.vocabSize();
        for (int i = 1; i < v; i++) ids.put(words.piece(i), i);
        pad = v; cls = v + 1; sep = v + 2; mask = v + 3;
    }

    /** The {@code maxWords} most frequent pieces of {@code text} (lower-cased), plus the four specials. */
    public static WordVocab fit(String text, int maxWords) {
        return new WordVocab(WordTokenizer.fit(keep(text), maxWords));
    }

    private static String keep(String text) {                 // drop white space: pieces joined by single spaces
        return String.join(" ", pieces(text));
    }

    private static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (String p : WordTokenizer.split(text.toLowerCase(Locale.ROOT))) if (!p.isBlank()) out.add(p);
        return out;
    }

    /** Total vocabulary: words and specials (the model's V). */
    public int size() { return words.vocabSize() + 4; }

    /** True for a known word, number or punctuation id — not a special, not &lt;unk&gt; (a blank whose answer is
     *  "&lt;unk&gt;" teaches nothing): what masking may choose. */
    public boolean regular(int id) { return id > 0 && id < pad; }

    /** The ids of {@code text}'s pieces, white space dropped. */
    public int[] encode(String text) {
        List<String> p = pieces(text);
        int[] out = new int[p.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.getOrDefault(p.get(i), 0);   // 0 = <unk>
        return out;
    }

    /** The piece of one id, specials by name. */
    public String piece(int id) {
        if (id == pad) return "[PAD]";
        if (id == cls) return "[CLS]";
        if (id == sep) return "[SEP]";
        if (id == mask) return "[MASK]";
        return words.piece(id);
    }

    /** Pieces joined by single spaces. */
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) { if (b.length() > 0) b.append(' '); b.append(piece(id)); }
        return b.toString();
    }
}
