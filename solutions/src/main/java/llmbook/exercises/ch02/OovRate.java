package llmbook.exercises.ch02;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference solution. Exercise ch02.oov_rate — out-of-vocabulary words, and why byte-level BPE has none (Q6).
 *
 * <p>A word-level tokenizer keeps the {@code size} most frequent words of its training text (ties go to the word seen
 * first) and maps every other word to one unknown token. {@link #rate} measures the share of the words of a held-out
 * text (counting every occurrence) that it cannot represent. {@link #byteTokens} is how many tokens a byte-level
 * tokenizer with no merges at all needs for a word: it can spell anything, in any script, so nothing is ever unknown.
 *
 * <p>Worked example: training words "the cat the dog the cat", size 2 keeps {the, cat}; the held-out words
 * "the bird cat bird" are half unknown: rate 0.5. {@code byteTokens("café")} is 5.
 * Run {@code ./llmbook grade 2} to see your score.
 */
public final class OovRate {
    private OovRate() {}

    /** Share of the occurrences in {@code test} missing from the vocabulary of the {@code size} most frequent training words. */
    public static double rate(List<String> train, List<String> test, int size) {
        Map<String, Integer> count = new HashMap<>(), first = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            count.merge(train.get(i), 1, Integer::sum);
            first.putIfAbsent(train.get(i), i);
        }
        Set<String> vocab = new HashSet<>(count.keySet().stream()
                .sorted((a, b) -> count.get(a).equals(count.get(b)) ? first.get(a) - first.get(b) : count.get(b) - count.get(a))
                .limit(size).toList());
        long unknown = test.stream().filter(w -> !vocab.contains(w)).count();
        return test.isEmpty() ? 0 : (double) unknown / test.size();
    }

    /** Tokens a byte-level tokenizer without merges needs for {@code word}. */
    public static int byteTokens(String word) {
        return word.getBytes(StandardCharsets.UTF_8).length;
    }
}
