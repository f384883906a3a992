package llmbook.exercises.ch10;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.tensor.Rng;

/** Reference solution of ch10.pair_builder (see the starter for the statement). Q27. */
public final class PairBuilder {
    private PairBuilder() {}

    public static int[][] next(List<List<int[]>> docs, String task, int maxLen, int cls, int sep, Rng rng) {
        List<List<int[]>> use = new ArrayList<>();
        for (List<int[]> d : docs) {
            List<int[]> s = d.stream().filter(x -> x.length > 0).toList();
            if (s.size() >= 2) use.add(s);
        }
        int d = rng.nextInt(use.size());
        List<int[]> s = use.get(d);
        int i = rng.nextInt(s.size() - 1);
        int[] a = s.get(i), b = s.get(i + 1);
        boolean positive = rng.nextDouble() < 0.5;
        if (!positive) {
            if (task.equals("SOP")) { int[] t = a; a = b; b = t; }
            else {
                int e = rng.nextInt(use.size() - 1);
                if (e >= d) e++;
                List<int[]> o = use.get(e);
                b = o.get(rng.nextInt(o.size()));
            }
        }
        int half = (maxLen - 3) / 2;
        if (a.length > half) a = Arrays.copyOfRange(a, a.length - half, a.length);
        if (b.length > half) b = Arrays.copyOf(b, half);
        int n = a.length + b.length + 3;
        int[] ids = new int[n], types = new int[n];
        ids[0] = cls;
        System.arraycopy(a, 0, ids, 1, a.length);
        ids[a.length + 1] = sep;
        System.arraycopy(b, 0, ids, a.length + 2, b.length);
        ids[n - 1] = sep;
        for (int k = a.length + 2; k < n; k++) types[k] = 1;
        return new int[][] {ids, types, {positive ? 1 : 0}};
    }
}
