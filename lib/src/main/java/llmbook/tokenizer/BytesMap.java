package llmbook.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing hash map from a byte string to a token id, looked up straight from a range
 * of a scratch buffer (no allocation): "is this whole piece a token?".
 */
final class BytesMap {
    private final byte[][] keys;
    private final int[] values;
    private final int mask;

    BytesMap(byte[][] tokens, int count) {
        int cap = Integer.highestOneBit(Math.max(16, count * 2 - 1)) << 1;
        keys = new byte[cap][];
        values = new int[cap];
        mask = cap - 1;
        for (int id = 0; id < count; id++) {
            byte[] t = tokens[id];
            if (t == null) continue;
            int i = hash(t, 0, t.length) & mask;
            while (keys[i] != null && !Arrays.equals(keys[i], t)) i = (i + 1) & mask;
            if (keys[i] == null) {
                keys[i] = t;
                values[i] = id;
            }
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) h = (h ^ b[i]) * 0x01000193;
        return h ^ (h >>> 15);
    }

    /** The id of the token whose bytes are {@code b[from, to)}, or -1. */
    int get(byte[] b, int from, int to) {
        for (int i = hash(b, from, to) & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) return -1;
            if (Arrays.equals(k, 0, k.length, b, from, to)) return values[i];
        }
    }
}
