package llmbook.exercises.ch02;

import java.util.Map;

/**
 * Exercise ch02.wordpiece — WordPiece encoding of one word, BERT's subword tokenizer (Q1, Q6).
 *
 * <p>BPE builds a word up by replaying merges; WordPiece cuts it down with a vocabulary of pieces.
 * A piece that starts a word is spelled as it is ({@code "una"}); a piece that continues a word is
 * spelled with the prefix {@code ##} ({@code "##ble"}). Goal: split {@code word} into vocabulary
 * pieces by <b>greedy longest match</b> — from where you are, take the longest piece the vocabulary
 * has, move past it, repeat — and return their ids. If at some position no piece matches, the word
 * as a whole is unknown: the answer is the single id of {@code [UNK]}. A word longer than
 * {@value #MAX_CHARS} characters (code points) is {@code [UNK]} without trying.
 * Worked example with the vocabulary
 * {@code [UNK]=0, un=1, una=2, ##ffa=3, ##ble=4, ##aff=5}:
 * <pre>
 * "unaffable"  -> una ##ffa ##ble -> [2, 3, 4]
 * "unable"     -> una ##ble       -> [2, 4]
 * "unaff"      -> una, then nothing matches "ff" -> [0]   (un ##aff would have worked: greedy never looks back)
 * "ffa"        -> [0]   (##ffa only continues a word)
 * </pre>
 * The library's version is {@code llmbook.tokenizer.WordPiece}, which also normalises the text and
 * splits it into words first.
 */
public final class WordPieceEncode {
    private WordPieceEncode() {}

    /** Longer words are {@code [UNK]} outright (BERT's {@code max_input_chars_per_word}). */
    public static final int MAX_CHARS = 100;

    /** The ids of {@code word} (lower case, no spaces) under {@code vocab}, which holds {@code [UNK]}. */
    public static int[] encodeWord(String word, Map<String, Integer> vocab) {
        throw new UnsupportedOperationException("TODO ch02.wordpiece: greedy longest match, '##' on pieces after the first, [UNK] if stuck");
    }
}
