package llmbook.tokenizer;

import java.util.Arrays;

/** A binary min-heap of longs (priority in the high bits, tie-break in the low bits). */
final class LongHeap {
    private long[] a;
    private int size;

    LongHeap(int capacity) {
        a = new long[Math.max(16, capacity)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void push(long v) {
        if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (a[p] <= v) break;
            a[i] = a[p];
            i = p;
        }
        a[i] = v;
    }

    long pop() {
        long top = a[0];
        long v = a[--size];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && a[c + 1] < a[c]) c++;
            if (a[c] >= v) break;
            a[i] = a[c];
            i = c;
        }
        a[i] = v;
        return top;
    }
}
