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
 * what followed it — the induction-head pattern. {@code next} and {@code copy} are the same function every time, so
 * the instruction word alone can say what to do (zero-shot). Q30, Q31.
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
}
