package llmbook.tasks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Multi-digit addition written four ways, the data of Lee et al., "Teaching arithmetic to small transformers" (2023).
 * The prompt is {@code a+b=}; what the model must write differs (128 + 367):
 * <pre>
 *   PLAIN     128+367=495
 *   REVERSED  128+367=594                              the answer's digits lowest first, the order they are computed
 *   SIMPLE    128+367=5c1,9c0,4c0:495                   per column, lowest first: the digit and the carry out, then the answer
 *   DETAILED  128+367=8+7+0=15,2+6+1=09,1+3+0=04:495    per column: both digits, the carry in, the two-digit sum
 * </pre>
 * Every example ends with a newline, the end token. Writing the intermediate steps (a scratchpad, the chain of thought
 * of a model trained to produce it) turns one hard step — the whole sum at once, where the first digit written depends
 * on every carry — into many easy ones, each a function of a few visible characters. Q24.
 */
public final class Addition {
    private Addition() {}

    /** How the answer is written. */
    public enum Format { PLAIN, REVERSED, SIMPLE, DETAILED }

    /** Every character an addition example uses; a char tokenizer fitted on it covers all four formats. */
    public static final String ALPHABET = "0123456789+=,:c\n";

    /** The end of every example. */
    public static final String END = "\n";

    /** A prompt ({@code a+b=}) and what follows it, end token included. */
    public record Example(long a, long b, String prompt, String completion) {
        public String text() { return prompt + completion; }

        /** The sum as the model should give it. */
        public String answer() { return Long.toString(a + b); }
    }

    /** The example for {@code a + b} (both ≥ 0) in {@code format}. */
    public static Example example(long a, long b, Format format) {
        if (a < 0 || b < 0) throw new IllegalArgumentException("Addition: operands must be >= 0, got " + a + " and " + b);
        String sum = Long.toString(a + b);
        String c = switch (format) {
            case PLAIN -> sum;
            case REVERSED -> new StringBuilder(sum).reverse().toString();
            case SIMPLE, DETAILED -> scratchpad(a, b, format == Format.DETAILED) + ":" + sum;
        };
        return new Example(a, b, a + "+" + b + "=", c + END);
    }

    /** The column-by-column steps, lowest column first, for as many columns as the longer operand has. */
    static String scratchpad(long a, long b, boolean detailed) {
        int cols = Math.max(Long.toString(a).length(), Long.toString(b).length());
        StringBuilder sb = new StringBuilder();
        int carry = 0;
        for (int i = 0; i < cols; i++) {
            int x = (int) (a % 10), y = (int) (b % 10), s = x + y + carry;
            if (i > 0) sb.append(',');
            if (detailed) sb.append(x).append('+').append(y).append('+').append(carry).append('=').append(s / 10).append(s % 10);
            else sb.append(s % 10).append('c').append(s / 10);
            carry = s / 10;
            a /= 10;
            b /= 10;
        }
        return sb.toString();
    }

    /**
     * The sum a completion states, or null when it states none: the text after the last {@code ':'} (scratchpads) up
     * to the end token, digits reversed back for {@link Format#REVERSED}.
     */
    public static String answerOf(String completion, Format format) {
        String s = completion;
        int end = s.indexOf('\n');
        if (end >= 0) s = s.substring(0, end);
        if (format == Format.SIMPLE || format == Format.DETAILED) {
            int colon = s.lastIndexOf(':');
            if (colon < 0) return null;
            s = s.substring(colon + 1);
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return null;
        return format == Format.REVERSED ? new StringBuilder(s).reverse().toString() : s;
    }

    /**
     * {@code n} distinct examples whose operands are drawn uniformly from [lo, hi), none of whose (a, b) pairs is in
     * {@code exclude} (pass the training pairs to build a held-out set); the pairs drawn are added to {@code exclude}.
     */
    public static List<Example> sample(int n, long lo, long hi, Format format, long seed, Set<Long> exclude) {
        if (lo < 0 || hi <= lo) throw new IllegalArgumentException("Addition.sample: need 0 <= lo < hi, got [" + lo + ", " + hi + ")");
        double space = (double) (hi - lo) * (hi - lo);
        if (n > space - exclude.size()) throw new IllegalArgumentException("Addition.sample: " + n + " distinct pairs asked from [" + lo + ", " + hi + ")");
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>(n);
        while (out.size() < n) {
            long a = lo + (long) (r.nextDouble() * (hi - lo)), b = lo + (long) (r.nextDouble() * (hi - lo));
            if (exclude.add(a * 1_000_000_007L + b)) out.add(example(a, b, format));
        }
        return out;
    }

    /** {@link #sample} with a fresh exclusion set: operands of up to {@code digits} digits. */
    public static List<Example> sample(int n, int digits, Format format, long seed) {
        return sample(n, 0, pow10(digits), format, seed, new HashSet<>());
    }

    /** 10^d. */
    public static long pow10(int d) {
        if (d < 1 || d > 9) throw new IllegalArgumentException("Addition: digits must be in [1, 9], got " + d);
        long p = 1;
        for (int i = 0; i < d; i++) p *= 10;
        return p;
    }
}
