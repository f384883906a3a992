package llmbook.sample;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Rng;

/**
 * Picks the next token from a row of logits: applies its {@link LogitsProcessor}s in order, then takes the most
 * likely token (greedy) or draws one from the softmax of what is left with a seeded {@link Rng}. Q19–Q21.
 * <pre>{@code
 * Sampler greedy = Sampler.greedy();
 * Sampler classic = Sampler.of(0.8f, 40, 0.95f, new Rng(1));     // temperature, top-k, top-p
 * Sampler custom = Sampler.sampling(new Rng(1), new RepetitionPenalty(1.3f), new Temperature(0.7f), new MinP(0.05f));
 * }</pre>
 * The same seed gives the same tokens. The draw walks the ids in order, {@code u ~ U(0, Σp)}, and stops where the
 * running sum reaches {@code u}.
 */
public final class Sampler {
    private final List<LogitsProcessor> processors;
    private final Rng rng;                   // null: greedy

    private Sampler(List<LogitsProcessor> processors, Rng rng) {
        this.processors = List.copyOf(processors);
        this.rng = rng;
    }

    /** The most likely token, after {@code processors} (a repetition penalty, say). */
    public static Sampler greedy(LogitsProcessor... processors) { return new Sampler(List.of(processors), null); }

    /** A draw from {@code rng} after {@code processors}, applied in order. */
    public static Sampler sampling(Rng rng, LogitsProcessor... processors) {
        if (rng == null) throw new IllegalArgumentException("Sampler: sampling needs an Rng (use Sampler.greedy() for the most likely token)");
        return new Sampler(List.of(processors), rng);
    }

    /**
     * The classic settings: temperature (0 = greedy), then top-k (0 = off), then top-p (1 = off), then a draw from
     * {@code rng} (unused, and may be null, when greedy).
     */
    public static Sampler of(float temperature, int topK, float topP, Rng rng) {
        List<LogitsProcessor> ps = filters(temperature, topK, topP);
        if (temperature == 0) return greedy();
        if (rng == null) throw new IllegalArgumentException("Sampler: sampling (temperature > 0) needs an Rng");
        return new Sampler(ps, rng);
    }

    /**
     * The processors of {@link #of}'s classic settings, in order: temperature (left out at 1), top-k (0 = off), top-p
     * (1 = off); none when greedy (temperature 0). Callers that add other processors (min-p, penalties) start here.
     */
    public static List<LogitsProcessor> filters(float temperature, int topK, float topP) {
        if (!(temperature >= 0)) throw new IllegalArgumentException("Sampler: temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("Sampler: top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("Sampler: top-p must be in (0, 1], got " + topP);
        List<LogitsProcessor> ps = new ArrayList<>();
        if (temperature == 0) return ps;
        if (temperature != 1f) ps.add(new Temperature(temperature));
        if (topK > 0) ps.add(new TopK(topK));
        if (topP < 1f) ps.add(new TopP(topP));
        return ps;
    }

    /** This sampler with {@code p} applied after its processors. */
    public Sampler then(LogitsProcessor p) {
        List<LogitsProcessor> ps = new ArrayList<>(processors);
        ps.add(p);
        return new Sampler(ps, rng);
    }

    public boolean isGreedy() { return rng == null; }

    public List<LogitsProcessor> processors() { return processors; }

    /** The next token for {@code logits} ({@code V} scores, not modified) given {@code history}, the tokens so far. */
    public int next(float[] logits, int[] history) {
        float[] l = logits.clone();
        for (float v : l) if (Float.isNaN(v)) throw new IllegalStateException("Sampler: the logits contain NaN (has the model diverged?)");
        for (LogitsProcessor p : processors) p.process(l, history);
        if (rng == null) return argmax(l);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) max = Math.max(max, v);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalStateException("Sampler: every token was filtered out");
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;   // rounding left u a hair above 0
        throw new IllegalStateException("unreachable: some p > 0");
    }

    /**
     * The distribution {@link #next} draws from: the softmax of the processed logits, or for a greedy sampler all the
     * mass on the argmax. Speculative decoding (chapter 12) compares the target's and the draft's. Q50.
     */
    public double[] distribution(float[] logits, int[] history) {
        float[] l = logits.clone();
        for (LogitsProcessor p : processors) p.process(l, history);
        double[] p = new double[l.length];
        if (rng == null) { p[argmax(l)] = 1; return p; }
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : l) max = Math.max(max, v);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalStateException("Sampler: every token was filtered out");
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    /** The index of the highest value (the first one on ties). */
    public static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
        return best;
    }

    @Override
    public String toString() { return (rng == null ? "greedy" : "sampling") + (processors.isEmpty() ? "" : " after " + processors); }
}
