package llmbook.exercises.ch12;

import java.util.HashSet;
import java.util.Set;

/** Reference solution of ch12.kneser_ney (see the starter for the statement). Q49. */
public final class KneserNeyBigram {
    private KneserNeyBigram() {}

    public static double prob(int[] text, int V, double d, int v, int w) {
        Set<Long> types = new HashSet<>();
        long cvw = 0, cv = 0;
        for (int i = 1; i < text.length; i++) {
            types.add((long) text[i - 1] * V + text[i]);
            if (text[i - 1] == v) { cv++; if (text[i] == w) cvw++; }
        }
        long endsInW = 0, follows = 0;
        for (long t : types) {
            if (t % V == w) endsInW++;
            if (t / V == v) follows++;
        }
        double cont = types.isEmpty() ? 1.0 / V : (double) endsInW / types.size();
        if (cv == 0) return cont;
        return Math.max(cvw - d, 0) / cv + d * follows / cv * cont;
    }
}
