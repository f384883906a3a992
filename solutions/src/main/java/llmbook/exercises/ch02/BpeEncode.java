package llmbook.exercises.ch02;

import java.nio.charset.StandardCharsets;

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
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xff;
        int n = ids.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int i = 0; i + 1 < n; i++) {
                int r = rank(merges, ids[i], ids[i + 1]);
                if (r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) break;
            ids[at] = 256 + best;
            System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
            n--;
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /** Index of the merge of (a, b), or Integer.MAX_VALUE if there is none. */
    static int rank(int[][] merges, int a, int b) {
        for (int i = 0; i < merges.length; i++) if (merges[i][0] == a && merges[i][1] == b) return i;
        return Integer.MAX_VALUE;
    }

    /** The text back: concatenate each id's bytes (an id 256 + i is the bytes of its two parts) and read UTF-8. */
    public static String decode(int[] ids, int[][] merges) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int id : ids) write(id, merges, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(int id, int[][] merges, java.io.ByteArrayOutputStream out) {
        if (id < 256) {
            out.write(id);
        } else {
            write(merges[id - 256][0], merges, out);
            write(merges[id - 256][1], merges, out);
        }
    }
}
