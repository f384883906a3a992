package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** WordPiece by hand on a ten-token vocabulary, then a few known ids of the real one. */
class WordPieceTest {
    //                                               0        1        2        3        4        5     6      7       8        9      10
    static final WordPiece TINY = new WordPiece("tiny", List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "una", "##ffa", "##ble", "##aff", "!"), 10);

    @Test
    void greedyLongestMatchWithContinuations() {
        assertArrayEquals(new int[] {6, 7, 8}, TINY.encodeWord("unaffable"), "una ##ffa ##ble: 'una' beats 'un'");
        assertArrayEquals(new int[] {5}, TINY.encodeWord("un"));
        assertArrayEquals(new int[] {6, 8}, TINY.encodeWord("unable"));
        assertArrayEquals(new int[] {1}, TINY.encodeWord("unaff"), "una, then no piece for 'ff': [UNK], though un ##aff existed (greedy never backtracks)");
        assertArrayEquals(new int[] {1}, TINY.encodeWord("ffa"), "a continuation piece cannot start a word");
        assertArrayEquals(new int[] {1}, TINY.encodeWord("unaffableun"), "11 characters > maxCharsPerWord 10: [UNK] outright");
        assertArrayEquals(new int[] {6, 1, 10}, TINY.encode("Una xyz!"), "normalised, split, punctuation alone");
        assertArrayEquals(new int[] {2, 6, 3}, TINY.encode("[CLS]una[SEP]"), "special tokens written in the text are themselves");
    }

    @Test
    void normalisationAndSplitting() {
        assertEquals("hello world cafe", WordPiece.normalize("Héllo\tWORLD\u00a0Café\u200b"));
        assertEquals(" 中  文 ", WordPiece.normalize("中文"));
        assertEquals("σισυφοσ", WordPiece.normalize("ΣΊΣΥΦΟΣ"), "no final sigma: character by character, as Hugging Face");
        assertEquals(List.of("don", "'", "t", "$", "5", ".", "00"), WordPiece.words("don't $5.00"));
        assertEquals(List.of(), WordPiece.words("   "));
    }

    @Test
    void framePairsAndTruncation() {
        var e = TINY.encodeForModel("una!", "un", 100);
        assertArrayEquals(new int[] {2, 6, 10, 3, 5, 3}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {2, 6, 3}, TINY.encodeForModel("una una una", 3).ids());
        // room 4: the shorter part (2) fits with 2 left for the longer one
        assertArrayEquals(new int[] {2, 6, 6, 3, 5, 5, 3}, TINY.encodeForModel("una una una una", "un un", 7).ids());
        // room 3, both too long: half each, the odd one to the longer part
        assertArrayEquals(new int[] {2, 6, 3, 5, 5, 3}, TINY.encodeForModel("una una", "un un un", 6).ids());
        var err = assertThrows(IllegalArgumentException.class, () -> TINY.encodeForModel("a", "b", 2));
        assertTrue(err.getMessage().contains("maxLength 2"), err.getMessage());
    }

    @Test
    void decodeGluesContinuations() {
        assertEquals("unaffable!", TINY.decode(new int[] {6, 7, 8, 10}));
        assertEquals("[CLS] una [SEP]", TINY.decode(new int[] {2, 6, 3}));
    }

    @Test
    void theRealVocabulary() {
        WordPiece w = WordPiece.minilm();
        assertEquals(30522, w.vocabSize());
        assertArrayEquals(new int[] {14477, 20961, 3468, 19204, 17629, 2015, 999}, w.encode("Unaffable tokenizers!"));
        assertArrayEquals(new int[] {100}, w.encode("☃"));
        assertEquals("hello world", w.decode(w.encode("Héllo\tWORLD")));
        assertArrayEquals(new int[] {101, 7592, 102}, w.encodeForModel("hello", 512).ids());
    }

    @Test
    void aBadVocabularyIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WordPiece("x", List.of("[PAD]", "[UNK]", "a"), 100));
        assertTrue(e.getMessage().contains("no [CLS]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordPiece.fromJson("x", "{\"model\": {\"type\": \"BPE\"}}"));
        assertTrue(e.getMessage().contains("not WordPiece"), e.getMessage());
    }
}
