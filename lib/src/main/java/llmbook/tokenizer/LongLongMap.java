package llmbook.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from a non-negative long key (a token pair) to a long count; keys are never removed. Public so
 * the n-gram counts of chapter 12 ({@code llmbook.ngram}) use the same map.
 */
public final class LongLongMap {
    private long[] keys;
    private long[] values;
    private int size;
    private int shift;

    public LongLongMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, -1L);
        shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    public long get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) return values[i];
            if (keys[i] == -1L) return 0;
        }
    }

    /** Adds {@code delta} to the count of {@code key} (missing keys count 0) and returns the new count. */
    public long add(long key, long delta) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) return values[i] += delta;
            if (keys[i] == -1L) {
                keys[i] = key;
                size++;
                return values[i] = delta;
            }
        }
    }

    /** Calls {@code f} for every key with its count. */
    public void forEach(java.util.function.LongBinaryOperator f) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != -1L) f.applyAsLong(keys[i], values[i]);
    }

    /** Keys stored. */
    public int size() { return size; }

    /** Bytes held by the two arrays (the table is kept at most half full). */
    public long bytes() { return 16L * keys.length; }

    private void grow() {
        long[] ok = keys, ov = values;
        keys = new long[ok.length * 2];
        values = new long[ok.length * 2];
        Arrays.fill(keys, -1L);
        shift--;
        size = 0;
        for (int i = 0; i < ok.length; i++) if (ok[i] != -1L) add(ok[i], ov[i]);
    }
}
