package llmbook.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbook.tensor.Rng;

/**
 * A synthetic transduction task for sequence-to-sequence models: read a string of letters, write it backwards. Q4, Q7.
 * <pre>
 *   source  c a b d EOS        (length between minLen and maxLen, letters from an alphabet of k, then EOS)
 *   target  BOS d b a c        decoder input (teacher forcing)
 *           d b a c EOS        what it must predict
 * </pre>
 * Tokens: {@code PAD = 0, BOS = 1, EOS = 2}, letters {@code 3 … 3 + k − 1}. Every output token has to be fetched from a
 * different source position, counted from the end, so the model must know both order and length; the EOS closing the
 * source (as in T5) marks where the end is. Held-out strings
 * ({@link #heldOut}) are never drawn by {@link #batch} afterwards.
 */
public final class ReverseTask {
    public static final int PAD = 0, BOS = 1, EOS = 2;
    public final int letters, minLen, maxLen;
    private final Set<String> reserved = new HashSet<>();

    /** A batch laid out for {@link llmbook.model.Seq2SeqModel}: src (B, Ts) padded, tgtIn/tgtOut (B, Tt), tgtOut −1 on padding. */
    public record Batch(int[] src, int[] srcLengths, int[] tgtIn, int[] tgtOut, int b, int ts, int tt, List<int[]> sources) {}

    public ReverseTask(int letters, int minLen, int maxLen) {
        if (letters < 2) throw new IllegalArgumentException("ReverseTask: need at least 2 letters, got " + letters);
        if (minLen < 1 || maxLen < minLen) throw new IllegalArgumentException("ReverseTask: need 1 <= minLen <= maxLen, got " + minLen + " … " + maxLen);
        this.letters = letters;
        this.minLen = minLen;
        this.maxLen = maxLen;
    }

    /** Vocabulary size: 3 special tokens plus the letters. */
    public int vocab() { return 3 + letters; }

    /** Longest source or target length: maxLen + 1 (the EOS after the source; BOS before / EOS after the target). */
    public int targetLength() { return maxLen + 1; }

    /** The expected output of a source: the reverse. */
    public static int[] answer(int[] source) {
        int[] r = new int[source.length];
        for (int i = 0; i < source.length; i++) r[i] = source[source.length - 1 - i];
        return r;
    }

    /** A random source string of tokens. */
    private int[] draw(Rng rng) {
        int n = minLen + rng.nextInt(maxLen - minLen + 1);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = 3 + rng.nextInt(letters);
        return s;
    }

    /** {@code n} distinct sources, reserved: later training batches never contain them. */
    public Batch heldOut(Rng rng, int n) {
        List<int[]> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (out.size() < n) {
            int[] s = draw(rng);
            if (seen.add(text(s))) out.add(s);
        }
        reserved.addAll(seen);
        return of(out);
    }

    /** {@code n} random training sources (never a held-out one). */
    public Batch batch(Rng rng, int n) {
        List<int[]> out = new ArrayList<>();
        while (out.size() < n) {
            int[] s = draw(rng);
            if (!reserved.contains(text(s))) out.add(s);
        }
        return of(out);
    }

    /** Lays out the given sources with their reversed targets. */
    public static Batch of(List<int[]> sources) {
        int b = sources.size(), tt = 0;
        for (int[] s : sources) tt = Math.max(tt, s.length + 1);
        int ts = tt;
        int[] src = new int[b * ts], lens = new int[b], tin = new int[b * tt], tout = new int[b * tt];
        java.util.Arrays.fill(tout, -1);
        for (int i = 0; i < b; i++) {
            int[] s = sources.get(i), r = answer(s);
            lens[i] = s.length + 1;
            System.arraycopy(s, 0, src, i * ts, s.length);
            src[i * ts + s.length] = EOS;
            tin[i * tt] = BOS;
            System.arraycopy(r, 0, tin, i * tt + 1, r.length);
            System.arraycopy(r, 0, tout, i * tt, r.length);
            tout[i * tt + r.length] = EOS;
        }
        return new Batch(src, lens, tin, tout, b, ts, tt, List.copyOf(sources));
    }

    /** Letters as text: token 3 → 'a', 4 → 'b', …; special tokens as {@code < > _}. */
    public static String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) sb.append(t == PAD ? '_' : t == BOS ? '<' : t == EOS ? '>' : (char) ('a' + t - 3));
        return sb.toString();
    }

    /** Text back to tokens (letters only). */
    public static int[] tokens(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) out[i] = 3 + s.charAt(i) - 'a';
        return out;
    }
}
