package llmbook.objectives;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Rng;

/**
 * T5's span corruption (Raffel et al. 2019), the second noising scheme next to {@link Masking} (Q25): a fraction
 * {@code density} of the tokens, in spans of mean length {@code meanSpan}, is cut out; each span is replaced in the
 * input by one sentinel, and the target lists the sentinels, each followed by the tokens it hides, then one closing
 * sentinel. An encoder-decoder reads the input and writes the (short) target, so it predicts several words per blank
 * and never sees a [MASK] for every hidden token.
 * <pre>
 *   ids     [a b c d e f g h i j]       density 0.3, meanSpan 1.5  →  3 noise tokens in 2 spans, e.g. "c d" and "j"
 *   input   [a b &lt;0&gt; e f g h i &lt;1&gt;]
 *   target  [&lt;0&gt; c d &lt;1&gt; j &lt;2&gt;]
 * </pre>
 * The draws, exactly as T5's {@code random_spans_noise_mask}: {@code noise = round(n · density)} (at least 1, at most
 * n − 1), {@code spans = max(1, round(noise / meanSpan))}; the noise tokens and then the kept tokens are each split
 * into {@code spans} non-empty runs by {@link #segment} (noise first); the sequence alternates kept run, noise run,
 * kept run, … (it starts with kept tokens and ends with hidden ones).
 *
 * @param density  fraction of tokens hidden (T5: 0.15)
 * @param meanSpan mean length of a hidden span (T5: 3)
 */
public record SpanCorruption(double density, double meanSpan) {
    public SpanCorruption {
        if (!(density > 0 && density < 1)) throw new IllegalArgumentException("SpanCorruption: density must be in (0, 1), got " + density);
        if (!(meanSpan >= 1)) throw new IllegalArgumentException("SpanCorruption: mean span length must be >= 1, got " + meanSpan);
    }

    /** T5's defaults: 15% of the tokens, spans of mean length 3. */
    public static SpanCorruption t5() { return new SpanCorruption(0.15, 3); }

    /** The corrupted input and the target, as the class comment shows; {@code spans} = number of hidden spans. */
    public record Corrupted(int[] input, int[] target, int spans) {}

    /**
     * Corrupts {@code ids} (at least 2 tokens). {@code sentinels} are the ids of &lt;0&gt;, &lt;1&gt;, …: it must hold
     * one more than the number of spans drawn, i.e. at least {@code round(n · density / meanSpan) + 1}.
     */
    public Corrupted apply(int[] ids, int[] sentinels, Rng rng) {
        boolean[] hide = hidden(ids.length, rng);
        int spans = 0;
        for (int i = 0; i < hide.length; i++) if (hide[i] && (i == 0 || !hide[i - 1])) spans++;
        if (sentinels.length < spans + 1)
            throw new IllegalArgumentException("SpanCorruption: " + spans + " spans need " + (spans + 1) + " sentinels, got " + sentinels.length);
        List<Integer> in = new ArrayList<>(), out = new ArrayList<>();
        int s = -1;
        for (int i = 0; i < ids.length; i++) {
            if (!hide[i]) { in.add(ids[i]); continue; }
            if (i == 0 || !hide[i - 1]) { s++; in.add(sentinels[s]); out.add(sentinels[s]); }
            out.add(ids[i]);
        }
        out.add(sentinels[spans]);
        return new Corrupted(in.stream().mapToInt(Integer::intValue).toArray(), out.stream().mapToInt(Integer::intValue).toArray(), spans);
    }

    /** The number of hidden tokens in a sequence of {@code n} (at least 2): round(n · density), within [1, n − 1]. */
    public int noise(int n) {
        if (n < 2) throw new IllegalArgumentException("SpanCorruption: need at least 2 tokens, got " + n);
        return (int) Math.min(n - 1, Math.max(1, Math.round(n * density)));
    }

    /** The number of hidden spans in a sequence of {@code n}: round(noise / meanSpan), at least 1 (it needs spans + 1 sentinels). */
    public int spans(int n) {
        int noise = noise(n);
        int spans = (int) Math.min(noise, Math.max(1, Math.round(noise / meanSpan)));
        return Math.min(spans, n - noise);                        // every noise run needs a kept run before it
    }

    /**
     * Which of {@code n} (at least 2) positions {@link #apply} hides, with the same draws: {@code apply(ids, s, new
     * Rng(k))} hides exactly the positions {@code hidden(ids.length, new Rng(k))} marks. A masked encoder can be scored
     * on the same spans, one [MASK] per hidden token.
     */
    public boolean[] hidden(int n, Rng rng) {
        int noise = noise(n), spans = spans(n);
        int[] noiseLen = segment(noise, spans, rng), keepLen = segment(n - noise, spans, rng);
        boolean[] hide = new boolean[n];
        int p = 0;
        for (int s = 0; s < spans; s++) {
            p += keepLen[s];
            for (int k = 0; k < noiseLen[s]; k++) hide[p++] = true;
        }
        return hide;
    }

    /**
     * {@code items} split into {@code parts} non-empty runs, uniformly over all such splits: {@code parts − 1} distinct
     * cut points drawn from 1 … items−1 (a partial Fisher–Yates shuffle), sorted; the run lengths in order.
     */
    static int[] segment(int items, int parts, Rng rng) {
        if (parts < 1 || parts > items) throw new IllegalArgumentException("SpanCorruption: cannot split " + items + " items into " + parts + " non-empty runs");
        int[] cuts = new int[items - 1];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        for (int i = 0; i < parts - 1; i++) {
            int j = i + rng.nextInt(cuts.length - i);
            int t = cuts[i]; cuts[i] = cuts[j]; cuts[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(cuts, parts - 1);
        java.util.Arrays.sort(chosen);
        int[] len = new int[parts];
        int prev = 0;
        for (int i = 0; i < parts - 1; i++) { len[i] = chosen[i] - prev; prev = chosen[i]; }
        len[parts - 1] = items - prev;
        return len;
    }

    /** Undoes the corruption: the input with each sentinel replaced by the tokens the target lists after it. */
    public static int[] restore(Corrupted c, int[] sentinels) {
        List<Integer> out = new ArrayList<>();
        int t = 0;
        for (int id : c.input()) {
            int s = indexOf(sentinels, id, c.spans());
            if (s < 0) { out.add(id); continue; }
            if (c.target()[t] != sentinels[s]) throw new IllegalArgumentException("SpanCorruption.restore: target out of step at sentinel " + s);
            for (t++; t < c.target().length && indexOf(sentinels, c.target()[t], c.spans() + 1) < 0; t++) out.add(c.target()[t]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int indexOf(int[] a, int v, int upTo) {
        for (int i = 0; i < upTo; i++) if (a[i] == v) return i;
        return -1;
    }
}
