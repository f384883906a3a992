package llmbook.data;

import java.util.Arrays;
import java.util.List;

/**
 * {@code B} sequences of {@code T} token ids and the token that follows each one, laid out row-major
 * ({@code x[b·T + t]}, {@code y[b·T + t]}); a target of {@code -1} is not scored (padding). What a language model
 * trains on: {@code lm.loss(x, y, B, T)}.
 */
public record TokenBatch(int[] x, int[] y, int B, int T) {
    public TokenBatch {
        if (B < 1 || T < 1) throw new IllegalArgumentException("TokenBatch: need B >= 1 and T >= 1, got B " + B + ", T " + T);
        if (x.length != B * T || y.length != B * T)
            throw new IllegalArgumentException("TokenBatch: x and y must hold B·T = " + B * T + " ids, got " + x.length + " and " + y.length);
    }

    /** Target positions that are scored (not {@code -1}): the tokens this batch teaches. */
    public int scored() {
        int n = 0;
        for (int t : y) if (t != -1) n++;
        return n;
    }

    /**
     * Sequences of different lengths as one batch: row {@code b} reads {@code s[0 .. n−2]} and predicts
     * {@code s[1 .. n−1]}, padded on the right to the longest one with {@code pad} in {@code x} and {@code -1} (not
     * scored) in {@code y}. Each sequence needs at least two tokens. Example, pad 0:
     * <pre>
     *   [5, 6, 7], [8, 9]  →  x = [5, 6,  8, 0]    y = [6, 7,  9, -1]    B = 2, T = 2
     * </pre>
     */
    public static TokenBatch padded(List<int[]> sequences, int pad) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("TokenBatch.padded: no sequences");
        int T = 0;
        for (int i = 0; i < sequences.size(); i++) {
            int n = sequences.get(i).length;
            if (n < 2) throw new IllegalArgumentException("TokenBatch.padded: sequence " + i + " has " + n + " tokens, need at least 2");
            T = Math.max(T, n - 1);
        }
        int B = sequences.size();
        int[] x = new int[B * T], y = new int[B * T];
        Arrays.fill(x, pad);
        Arrays.fill(y, -1);
        for (int b = 0; b < B; b++) {
            int[] s = sequences.get(b);
            System.arraycopy(s, 0, x, b * T, s.length - 1);
            System.arraycopy(s, 1, y, b * T, s.length - 1);
        }
        return new TokenBatch(x, y, B, T);
    }
}
