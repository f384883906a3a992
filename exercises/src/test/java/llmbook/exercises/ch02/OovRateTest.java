package llmbook.exercises.ch02;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch02.oov_rate", title = "Out-of-vocabulary rate of a word vocabulary")
class OovRateTest {
    static List<String> w(String s) { return Arrays.asList(s.split(" ")); }

    @Test
    @Points(value = 1, hint = "keep the most frequent training words; count every held-out occurrence that is not kept")
    void workedExample() {
        assertEquals(0.5, OovRate.rate(w("the cat the dog the cat"), w("the bird cat bird"), 2), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "occurrences, not distinct words; ties in frequency go to the word seen first in training")
    void occurrencesAndTies() {
        // a, b, c once each; size 2 keeps a and b (seen first)
        assertEquals(0.75, OovRate.rate(w("a b c"), w("c c c a"), 2), 1e-12, "three of four occurrences are 'c'");
        assertEquals(0.0, OovRate.rate(w("x y x y z"), w("y x y"), 2), 1e-12);
        assertEquals(1.0 / 3, OovRate.rate(w("z y y x x"), w("z y x"), 2), 1e-12, "x and y are the two most frequent");
        assertEquals(0.0, OovRate.rate(w("a b"), w("a b a"), 10), 1e-12, "a size larger than the vocabulary keeps every word");
    }

    @Test
    @Points(value = 1, hint = "a byte-level tokenizer spells UTF-8 bytes, not Java chars: é is two bytes, an emoji four")
    void bytesNotChars() {
        assertEquals(3, OovRate.byteTokens("cat"));
        assertEquals(5, OovRate.byteTokens("café"));
        assertEquals(9, OovRate.byteTokens("東京都"));
        assertEquals(4, OovRate.byteTokens("\uD83D\uDE00"), "one emoji, two Java chars, four bytes");
    }
}
