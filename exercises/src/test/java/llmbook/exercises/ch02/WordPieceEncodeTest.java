package llmbook.exercises.ch02;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch02.wordpiece", title = "WordPiece: greedy longest match")
class WordPieceEncodeTest {
    static Map<String, Integer> vocab(String... pieces) {
        Map<String, Integer> v = new HashMap<>();
        for (String p : pieces) v.put(p, v.size());
        return v;
    }

    //                                                0        1     2      3       4        5         6     7      8      9
    static final Map<String, Integer> SMALL = vocab("[UNK]", "un", "una", "##ffa", "##ble", "##aff", "play", "##ing", "p", "##l");

    @Test
    @Points(value = 1, hint = "a word that is itself a piece is one id")
    void aWholeWord() {
        assertArrayEquals(new int[] {6}, WordPieceEncode.encodeWord("play", SMALL));
        assertArrayEquals(new int[] {8}, WordPieceEncode.encodeWord("p", SMALL));
    }

    @Test
    @Points(value = 2, hint = "after the first piece, look the rest up with the '##' prefix")
    void continuationsCarryTheHashes() {
        assertArrayEquals(new int[] {2, 3, 4}, WordPieceEncode.encodeWord("unaffable", SMALL));
        assertArrayEquals(new int[] {6, 7}, WordPieceEncode.encodeWord("playing", SMALL));
        assertArrayEquals(new int[] {8, 9}, WordPieceEncode.encodeWord("pl", SMALL));
    }

    @Test
    @Points(value = 2, hint = "longest first: try the whole rest, then one character shorter, and so on")
    void longestMatchWins() {
        assertArrayEquals(new int[] {2, 4}, WordPieceEncode.encodeWord("unable", SMALL), "una, not un");
        Map<String, Integer> v = vocab("[UNK]", "a", "ab", "abc", "##c", "##bc", "##b");
        assertArrayEquals(new int[] {3}, WordPieceEncode.encodeWord("abc", v));
        assertArrayEquals(new int[] {1, 4}, WordPieceEncode.encodeWord("abc", vocab("[UNK]", "a", "##b", "##c", "##bc")), "a ##bc, not a ##b ##c");
    }

    @Test
    @Points(value = 2, hint = "if no piece matches at some position, the whole word is the one [UNK] id, even if pieces matched before")
    void stuckMeansUnknown() {
        assertArrayEquals(new int[] {0}, WordPieceEncode.encodeWord("unaff", SMALL), "una then 'ff': greedy does not go back to un ##aff");
        assertArrayEquals(new int[] {0}, WordPieceEncode.encodeWord("ffa", SMALL), "##ffa cannot start a word");
        assertArrayEquals(new int[] {0}, WordPieceEncode.encodeWord("playx", SMALL));
        assertArrayEquals(new int[] {0}, WordPieceEncode.encodeWord("xplay", SMALL));
    }

    @Test
    @Points(value = 1, hint = "count characters (code points), not chars: a word of more than 100 is [UNK] before any matching")
    void tooLongIsUnknown() {
        Map<String, Integer> v = vocab("[UNK]", "a", "##a");
        assertArrayEquals(new int[] {1, 2, 2}, WordPieceEncode.encodeWord("aaa", v));
        int[] hundred = WordPieceEncode.encodeWord("a".repeat(100), v);
        assertArrayEquals(new int[] {100}, new int[] {hundred.length});
        assertArrayEquals(new int[] {0}, WordPieceEncode.encodeWord("a".repeat(101), v));
        Map<String, Integer> emoji = vocab("[UNK]", "😀", "##😀");
        assertArrayEquals(new int[] {1, 2}, WordPieceEncode.encodeWord("😀😀", emoji), "a character outside the BMP is two chars but one piece");
    }

    @Test
    @Points(value = 3, hint = "compare with llmbook.tokenizer.WordPiece on BERT's real 30,522-piece vocabulary")
    void matchesTheLibraryOnBertsVocabulary() {
        WordPiece lib = WordPiece.minilm();
        Map<String, Integer> v = new HashMap<>();
        for (int id = 0; id < lib.vocabSize(); id++) v.put(lib.piece(id), id);
        String text = "The Congress of the United States convened; Antidisestablishmentarianism, xylophonists and "
                + "Queequeg's harpooneers! Tokenization of über-naïve café-owners in 1790 and 2016: ℵ₀ ☃ 😀 ｆｕｌｌｗｉｄｔｈ";
        List<String> words = WordPiece.words(WordPiece.normalize(text));
        for (String w : words) assertArrayEquals(lib.encodeWord(w), WordPieceEncode.encodeWord(w, v), "word '" + w + "'");
    }
}
