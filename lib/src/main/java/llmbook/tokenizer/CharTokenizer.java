package llmbook.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One token per character (Unicode code point), for comparison with BPE (Q6). The vocabulary is
 * the set of characters seen in the training text, sorted, after id 0 = {@code <unk>}: a
 * character never seen maps to {@code <unk>} and decodes to U+FFFD. Sequences are as long as the
 * text, which is why character-level models need long contexts.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String UNK = "<unk>";
    private static final int UNK_ID = 0;

    private final int[] codePoints;                 // id -> code point (index 0 unused)
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints;
        for (int i = 1; i < codePoints.length; i++) ids.put(codePoints[i], i);
    }

    /** The vocabulary of every distinct character of {@code text}. */
    public static CharTokenizer fit(String text) {
        TreeSet<Integer> seen = new TreeSet<>();
        text.codePoints().forEach(seen::add);
        int[] cps = new int[seen.size() + 1];
        int i = 1;
        for (int cp : seen) cps[i++] = cp;
        return new CharTokenizer(cps);
    }

    @Override
    public String name() {
        return "char";
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> ids.getOrDefault(cp, UNK_ID)).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int id : tokens) {
            check(id);
            sb.appendCodePoint(id == UNK_ID ? 0xFFFD : codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public String piece(int id) {
        check(id);
        return id == UNK_ID ? UNK : new String(Character.toChars(codePoints[id]));
    }

    private void check(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary [0, " + codePoints.length + ")");
        }
    }

    @Override
    public boolean lossless() {
        return false;
    }

    @Override
    public String toString() {
        return "CharTokenizer[" + codePoints.length + " ids: " + Arrays.stream(codePoints, 1, Math.min(codePoints.length, 40))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "...]";
    }
}
