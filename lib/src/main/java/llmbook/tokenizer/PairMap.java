package llmbook.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing hash map from a token pair {@code (a, b)} to an int, with no boxing: the
 * merge table of a BPE ({@code (a, b) -> merged id}). Keys are {@code (long) a << 32 | b} with
 * {@code a, b >= 0}, so {@code -1} marks an empty slot.
 */
final class PairMap {
    static final int MISSING = Integer.MAX_VALUE;

    private long[] keys;
    private int[] values;
    private int size;
    private int shift;

    PairMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, -1L);
        shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The value stored for {@code (a, b)}, or {@link #MISSING}. */
    int get(int a, int b) {
        long k = key(a, b);
        int mask = keys.length - 1;
        for (int i = slot(k); ; i = (i + 1) & mask) {
            long t = keys[i];
            if (t == k) return values[i];
            if (t == -1L) return MISSING;
        }
    }

    void put(int a, int b, int value) {
        if ((size + 1) * 2 > keys.length) grow();
        long k = key(a, b);
        int mask = keys.length - 1;
        for (int i = slot(k); ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                values[i] = value;
                return;
            }
            if (keys[i] == -1L) {
                keys[i] = k;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, -1L);
        shift--;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1L) put((int) (oldKeys[i] >>> 32), (int) oldKeys[i], oldValues[i]);
        }
    }
}
