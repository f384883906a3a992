package llmbook.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One token per word, the classic closed vocabulary (Q6). Text is cut into words (letters, with
 * inner apostrophes), numbers, single other symbols and runs of white space; the vocabulary keeps
 * the {@code maxVocab - 1} most frequent of them (ties broken alphabetically) after id 0 =
 * {@code <unk>}. Anything else — a rare name, a typo, "cryptocurrency" — becomes {@code <unk>}:
 * the out-of-vocabulary problem that byte-level BPE removes.
 */
public final class WordTokenizer implements Tokenizer {
    public static final String UNK = "<unk>";
    private static final int UNK_ID = 0;
    /** Words, numbers, white-space runs, or one other character. */
    public static final Pattern WORDS = Pattern.compile("\\p{L}+(?:['’]\\p{L}+)*|\\p{N}+|\\s+|[^\\p{L}\\p{N}\\s]",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final String[] words;
    private final Map<String, Integer> ids = new HashMap<>();

    private WordTokenizer(String[] words) {
        this.words = words;
        for (int i = 1; i < words.length; i++) ids.put(words[i], i);
    }

    /** The pieces of {@code text} under {@link #WORDS} (they tile the text). */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** True if a piece is a word (starts with a letter): the denominator of an OOV rate. */
    public static boolean isWord(String piece) {
        return !piece.isEmpty() && Character.isLetter(piece.codePointAt(0));
    }

    /** A vocabulary of at most {@code maxVocab} ids ({@code <unk>} included) from {@code text}. */
    public static WordTokenizer fit(String text, int maxVocab) {
        if (maxVocab < 1) throw new IllegalArgumentException("maxVocab " + maxVocab + " must be at least 1 (for <unk>)");
        Map<String, Integer> counts = new HashMap<>();
        for (String p : split(text)) counts.merge(p, 1, Integer::sum);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        int n = Math.min(maxVocab - 1, sorted.size());
        String[] words = new String[n + 1];
        words[0] = UNK;
        for (int i = 0; i < n; i++) words[i + 1] = sorted.get(i).getKey();
        return new WordTokenizer(words);
    }

    @Override
    public String name() {
        return "word-" + words.length;
    }

    @Override
    public int vocabSize() {
        return words.length;
    }

    @Override
    public int[] encode(String text) {
        List<String> pieces = split(text);
        int[] out = new int[pieces.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.getOrDefault(pieces.get(i), UNK_ID);
        return out;
    }

    /** True if {@code piece} is in the vocabulary. */
    public boolean contains(String piece) {
        return ids.containsKey(piece);
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : tokens) sb.append(piece(id));
        return sb.toString();
    }

    @Override
    public String piece(int id) {
        if (id < 0 || id >= words.length) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary [0, " + words.length + ")");
        }
        return words[id];
    }

    /** Fraction of word pieces of {@code text} that are not in the vocabulary (Q6). */
    public double oovRate(String text) {
        long wordsSeen = 0, unknown = 0;
        for (String p : split(text)) {
            if (!isWord(p)) continue;
            wordsSeen++;
            if (!ids.containsKey(p)) unknown++;
        }
        return wordsSeen == 0 ? 0 : (double) unknown / wordsSeen;
    }

    @Override
    public boolean lossless() {
        return false;
    }
}
