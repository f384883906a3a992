package llmbook.tokenizer;

import java.util.Arrays;

/** A growable {@code int[]} (token ids) with no boxing. */
final class IntList {
    int[] a;
    int size;

    IntList(int capacity) {
        a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[size++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(a, size);
    }
}
