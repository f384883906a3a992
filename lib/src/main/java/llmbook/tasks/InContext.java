package llmbook.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * In-context learning on letters, small enough to train here. A sequence names a task family, shows k examples of
 * one function, then asks for one more:
 * <pre>
 *   map: cf;ah;eb;a      → h        a random one-to-one map of a…h, drawn afresh for each sequence
 *   next: de;gh;b        → c        the following letter (h wraps to a)
 *   copy: c              → c        the letter itself
 * </pre>
 * A {@code map} function is new in every sequence, so nothing about it can be memorised in the weights: with 0
 * examples the model can only guess (1 in 8), and with k examples it must find the query letter among them and copy
 * what followed it — the induction-head pattern ({@link Induction}). A small model trained on this mixture alone does
 * not find that circuit within a few thousand steps (its accuracy on new maps stays at chance); one that first
 * learned to copy repeated random tokens ({@link Induction}) reads the examples at once and, after a few hundred steps
 * on the mixture, nears {@link #bestAccuracy the ceiling}. {@code next} and {@code copy} are the same
 * function every time, so the instruction word alone can say what to do (zero-shot). {@link Stream} trains on even
 * maps only and can keep letters away from {@code next} and {@code copy}, so a test can ask for functions and for
 * instruction/argument combinations never seen in training. Q30, Q31.
 */
public final class InContext {
    private InContext() {}

    /** The task families. */
    public enum Family { MAP, NEXT, COPY }

    /** The letters functions act on. */
    public static final String LETTERS = "abcdefgh";

    /** Every character a sequence uses. */
    public static final String ALPHABET = LETTERS + "mapnxtcoy:; \n";

    /** A prompt ending in the query letter, and the answer letter. */
    public record Example(String prompt, String answer) {}

    /** The function of {@code family}, as a table over {@link #LETTERS}; a {@code MAP} is a random permutation. */
    public static char[] function(Family family, Random r) {
        int n = LETTERS.length();
        char[] f = new char[n];
        switch (family) {
            case COPY -> { for (int i = 0; i < n; i++) f[i] = LETTERS.charAt(i); }
            case NEXT -> { for (int i = 0; i < n; i++) f[i] = LETTERS.charAt((i + 1) % n); }
            case MAP -> {
                List<Character> p = new ArrayList<>();
                for (char c : LETTERS.toCharArray()) p.add(c);
                java.util.Collections.shuffle(p, r);
                for (int i = 0; i < n; i++) f[i] = p.get(i);
            }
        }
        return f;
    }

    /**
     * A random one-to-one map of {@link #LETTERS} that is an even permutation ({@code even}) or an odd one: the
     * {@link Stream} trains on even maps only, so odd maps are functions no training sequence ever showed — held out
     * by construction, not by luck (the 40,320 maps of 8 letters split in two halves of 20,160).
     */
    public static char[] map(Random r, boolean even) {
        char[] f = function(Family.MAP, r);
        if (isEven(f) != even) { char t = f[0]; f[0] = f[1]; f[1] = t; }     // one transposition flips the parity
        return f;
    }

    /** Whether the map {@code f} (a permutation of {@link #LETTERS}) is an even permutation: its cycles of even length are even in number. */
    public static boolean isEven(char[] f) {
        int n = f.length, swaps = 0;
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (seen[i]) continue;
            int len = 0;
            for (int j = i; !seen[j]; j = LETTERS.indexOf(f[j])) { seen[j] = true; len++; }
            swaps += len - 1;
        }
        return swaps % 2 == 0;
    }

    /** A prompt of {@code shots} examples {@code xy;} of {@code f} (inputs drawn at random) and a query, under the instruction of {@code family}. */
    public static Example example(Family family, char[] f, int shots, Random r) {
        StringBuilder sb = new StringBuilder(family.name().toLowerCase()).append(": ");
        for (int i = 0; i < shots; i++) {
            char x = LETTERS.charAt(r.nextInt(LETTERS.length()));
            sb.append(x).append(f[LETTERS.indexOf(x)]).append(';');
        }
        char q = LETTERS.charAt(r.nextInt(LETTERS.length()));
        return new Example(sb.append(q).toString(), String.valueOf(f[LETTERS.indexOf(q)]));
    }

    /** Whether the query letter of {@code e} is the input of one of its examples (so copying can answer it). */
    public static boolean queryShown(Example e) {
        String p = e.prompt();
        char q = p.charAt(p.length() - 1);
        return p.substring(0, p.length() - 1).contains(" " + q) || p.substring(0, p.length() - 1).contains(";" + q);
    }

    /**
     * The accuracy an ideal reader can reach on the map prompt {@code e}: 1 when the query letter is one of the
     * example inputs (copy what followed it), else a guess among the letters no example has shown as an output yet,
     * 1 / (8 − distinct inputs shown), since a map is one-to-one. Averaged over prompts it is the ceiling of few-shot
     * accuracy: {@code "map: cf;ah;a"} → 1, {@code "map: cf;ah;cf;b"} → 1/6, {@code "map: b"} → 1/8. (A reader who also
     * knew the map's parity could do better once six letters are shown; the ceiling ignores that.) Q31.
     */
    public static double bestAccuracy(Example e) {
        String p = e.prompt();
        int colon = p.indexOf(": ");
        if (colon < 0 || p.length() < colon + 3 || (p.length() - colon - 3) % 3 != 0)
            throw new IllegalArgumentException("InContext.bestAccuracy: not a prompt of examples 'xy;' and a query: '" + p + "'");
        if (queryShown(e)) return 1;
        java.util.Set<Character> inputs = new java.util.HashSet<>();
        for (int i = colon + 2; i + 2 < p.length(); i += 3) inputs.add(p.charAt(i));
        return 1.0 / (LETTERS.length() - inputs.size());
    }

    /**
     * Training text: {@code n} sequences, each of a family drawn uniformly, a fresh function, and 0 to {@code maxShots}
     * examples, written as full examples {@code prompt + answer + "\n"}.
     */
    public static List<Example> training(int n, int maxShots, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>(n);
        Family[] fs = Family.values();
        for (int i = 0; i < n; i++) {
            Family fam = fs[r.nextInt(fs.length)];
            out.add(example(fam, function(fam, r), r.nextInt(maxShots + 1), r));
        }
        return out;
    }

    /**
     * {@link #example} whose example inputs and query are drawn from {@code letters} only (a subset of
     * {@link #LETTERS}): training can keep some letters away from some instructions.
     */
    public static Example example(Family family, char[] f, int shots, Random r, String letters) {
        if (letters.isEmpty() || !letters.chars().allMatch(c -> LETTERS.indexOf(c) >= 0))
            throw new IllegalArgumentException("InContext.example: letters must be a non-empty subset of " + LETTERS + ", got '" + letters + "'");
        StringBuilder sb = new StringBuilder(family.name().toLowerCase()).append(": ");
        for (int i = 0; i < shots; i++) {
            char x = letters.charAt(r.nextInt(letters.length()));
            sb.append(x).append(f[LETTERS.indexOf(x)]).append(';');
        }
        char q = letters.charAt(r.nextInt(letters.length()));
        return new Example(sb.append(q).toString(), String.valueOf(f[LETTERS.indexOf(q)]));
    }

    /**
     * An endless stream of training sequences for a {@link llmbook.train.Trainer}: every sequence draws its family
     * ({@code map} with probability {@code pMap}, else {@code next} or {@code copy}), a fresh function and 0 to
     * {@code maxShots} examples from the trainer's random generator. Maps are even permutations only ({@link #map}): a test on odd
     * ones asks for functions the model has never seen. Only the letters a model can know are scored — each example's output and the answer, and the end
     * token; the example inputs are random and not asked for. Letters in {@code heldOut} never appear under
     * {@code next} or {@code copy} (as an example input or the query): the zero-shot test asks for exactly those
     * instruction/argument combinations.
     */
    public static final class Stream implements llmbook.data.Batches<llmbook.data.TokenBatch> {
        private final llmbook.tokenizer.Tokenizer tok;
        private final int maxShots, context;
        private final double pMap;
        private final String allowed;

        public Stream(llmbook.tokenizer.Tokenizer tok, int maxShots, double pMap, String heldOut, int context) {
            if (maxShots < 0 || pMap < 0 || pMap > 1)
                throw new IllegalArgumentException("InContext.Stream: need maxShots >= 0 and pMap in [0, 1], got " + maxShots + ", " + pMap);
            StringBuilder a = new StringBuilder();
            for (char c : LETTERS.toCharArray()) if (heldOut.indexOf(c) < 0) a.append(c);
            if (a.isEmpty()) throw new IllegalArgumentException("InContext.Stream: every letter is held out");
            int longest = "next: ".length() + 3 * maxShots + 2;
            if (longest > context) throw new IllegalArgumentException("InContext.Stream: " + maxShots + " shots need a context of " + longest + ", got " + context);
            this.tok = tok;
            this.maxShots = maxShots;
            this.pMap = pMap;
            this.allowed = a.toString();
            this.context = context;
        }

        @Override
        public llmbook.data.TokenBatch next(llmbook.tensor.Rng rng, int size) {
            Random r = new Random(rng.nextLong());
            List<int[]> xs = new ArrayList<>(size), ys = new ArrayList<>(size);
            int T = 0;
            for (int b = 0; b < size; b++) {
                Family fam = r.nextDouble() < pMap ? Family.MAP : r.nextBoolean() ? Family.NEXT : Family.COPY;
                Example e = fam == Family.MAP ? example(fam, map(r, true), r.nextInt(maxShots + 1), r)
                        : example(fam, function(fam, r), r.nextInt(maxShots + 1), r, allowed);
                int[] ids = tok.encode(e.prompt() + e.answer() + "\n");
                int n = ids.length - 1, start = e.prompt().indexOf(' ') + 1;
                int[] x = java.util.Arrays.copyOf(ids, n), y = new int[n];
                java.util.Arrays.fill(y, -1);
                for (int t = start; t < n; t++) if ((t - start) % 3 == 0) y[t] = ids[t + 1];   // x_i → y_i, and query → answer
                y[n - 1] = ids[n];                                                              // answer → end
                xs.add(x);
                ys.add(y);
                T = Math.max(T, n);
            }
            int[] x = new int[size * T], y = new int[size * T];
            java.util.Arrays.fill(y, -1);
            for (int b = 0; b < size; b++) {
                System.arraycopy(xs.get(b), 0, x, b * T, xs.get(b).length);
                System.arraycopy(ys.get(b), 0, y, b * T, ys.get(b).length);
            }
            return new llmbook.data.TokenBatch(x, y, size, T);
        }

        @Override public long tokens(llmbook.data.TokenBatch batch) { return batch.scored(); }
    }
}
