package llmbook.exercises.ch02;

/**
 * Exercise ch02.bpe_encode — encoding with a learned list of merges (Q1).
 *
 * <p>{@code merges[i] = {left, right}} says: the pair (left, right) becomes id {@code 256 + i}.
 * To encode a piece of text, start from its UTF-8 bytes (ids 0..255), then repeatedly find the
 * adjacent pair whose merge was learned <em>earliest</em> (smallest i; leftmost if it occurs
 * twice), replace that occurrence by its id, and stop when no adjacent pair has a merge.
 * Worked example with merges {@code {{104,105}, {256,33}}} ("hi" = 256, "hi!" = 257):
 * <pre>
 * "hi!"  -> [104, 105, 33] -> [256, 33] -> [257]
 * "hih"  -> [104, 105, 104] -> [256, 104]
 * </pre>
 * The library's version is {@code llmbook.tokenizer.BpeTokenizer}, which does the same on every
 * piece after a regex pre-split.
 */
public final class BpeEncode {
    private BpeEncode() {}

    /** The ids of {@code text} under {@code merges} (no pre-split: the whole text is one piece). */
    public static int[] encode(String text, int[][] merges) {
        throw new UnsupportedOperationException("TODO ch02.bpe_encode: UTF-8 bytes as ids, then merge the earliest-learned adjacent pair until none is left");
    }

    /** The text back: concatenate each id's bytes (an id 256 + i is the bytes of its two parts) and read UTF-8. */
    public static String decode(int[] ids, int[][] merges) {
        throw new UnsupportedOperationException("TODO ch02.bpe_encode: expand each id >= 256 into its two parts recursively, collect bytes, decode UTF-8");
    }
}
