package llmbook.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Tensor;

/**
 * Beam search: keeps the {@code width} most likely partial outputs (beams) instead of one, extends each by every
 * token, and keeps the {@code width} best of all extensions. Width 1 is greedy decoding. Q19.
 * <pre>{@code
 * List<BeamSearch.Hypothesis> best = new BeamSearch(lm).width(4).stopAt(eos).lengthPenalty(LengthPenalty.gnmt(0.6))
 *                                                      .search(prompt, 40);
 * best.get(0).tokens();        // the highest-scoring output (generated tokens only, the end token left out)
 * }</pre>
 *
 * <p>One step: the beams go through the model as one batch of {@code width} rows; each row's next-token
 * log-probabilities (after the {@link LogitsProcessor}s, e.g. {@link NoRepeatNgram}) are added to the beam's
 * log-probability, and the candidates are ranked by that sum (ties: lower beam, then lower token id). Walking down
 * the ranking, a candidate that writes the end token joins the finished list if it ranks in the top {@code width};
 * any other becomes a beam of the next step, until there are {@code width} of them. With the KV cache, the cache rows
 * are then {@link DecodeCache#reorder reordered} to the surviving beams' parents (a beam kept twice is copied), and
 * only the new token of each beam is fed.
 *
 * <p>Finished hypotheses are compared by {@link LengthPenalty#score}. Search stops when no beam is left, after
 * {@code maxNew} tokens (the unfinished beams then join the list as they are), or when {@code width} hypotheses are
 * finished and no beam can still beat the worst of them: a beam's log-probability only falls, so its best possible
 * score is its log-probability divided by the divisor of the longest length it may reach. The result, the n-best list,
 * is sorted by score. With {@code width} at least the number of possible outputs, it is exact: every output of up to
 * {@code maxNew} tokens is scored (the tests check this against brute force).
 */
public final class BeamSearch {
    /**
     * One output: {@code tokens} generated (without the prompt and the end token), their total log-probability, its
     * {@link LengthPenalty#score score}, its length |y| (tokens plus the end token if finished) and whether it ended
     * with the end token.
     */
    public record Hypothesis(int[] tokens, double logProb, double score, int length, boolean finished) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s logp=%.4f score=%.4f%s", Arrays.toString(tokens), logProb, score, finished ? " (end)" : "");
        }
    }

    private final LanguageModel model;
    private int width = 4;
    private int stop = -1;
    private LengthPenalty penalty = LengthPenalty.none();
    private final List<LogitsProcessor> processors = new ArrayList<>();
    private boolean useCache;
    private long positionsComputed;

    public BeamSearch(LanguageModel model) {
        this.model = model;
        this.useCache = model.supportsCache();
    }

    /** Beams kept per step, K ≥ 1 (1 = greedy). Returns this. */
    public BeamSearch width(int k) {
        if (k < 1) throw new IllegalArgumentException("BeamSearch: beam width must be >= 1, got " + k);
        width = k;
        return this;
    }

    /** The end-of-sequence token (−1 = none: every hypothesis runs to maxNew tokens). Returns this. */
    public BeamSearch stopAt(int endToken) {
        if (endToken < -1 || endToken >= model.vocab())
            throw new IllegalArgumentException("BeamSearch: end token " + endToken + " outside the vocabulary [0, " + model.vocab() + ")");
        stop = endToken;
        return this;
    }

    public BeamSearch lengthPenalty(LengthPenalty p) {
        if (p == null) throw new IllegalArgumentException("BeamSearch: length penalty must not be null (use LengthPenalty.none())");
        penalty = p;
        return this;
    }

    /** Forbid repeating any n-gram ({@link NoRepeatNgram}); 0 = off. Returns this. */
    public BeamSearch noRepeatNgram(int n) {
        if (n < 0) throw new IllegalArgumentException("BeamSearch: no-repeat n-gram size must be >= 0 (0 = off), got " + n);
        processors.removeIf(p -> p instanceof NoRepeatNgram);
        if (n > 0) processors.add(new NoRepeatNgram(n));
        return this;
    }

    /** Applies {@code p} to every beam's logits (in the order added) before the log-softmax. Returns this. */
    public BeamSearch with(LogitsProcessor p) {
        processors.add(p);
        return this;
    }

    /** Decode with the cache (the model must have one) or with the whole sequence every step. Returns this. */
    public BeamSearch useCache(boolean on) {
        if (on && !model.supportsCache())
            throw new IllegalArgumentException("BeamSearch: " + model.getClass().getSimpleName() + " has no KV cache; search without one");
        useCache = on;
        return this;
    }

    /** Positions pushed through the model so far (all rows of all calls). */
    public long positionsComputed() { return positionsComputed; }

    /** The best hypothesis's tokens: the prompt followed by them (as {@link Generator#generate} returns). */
    public int[] generate(int[] prompt, int maxNew) {
        int[] best = search(prompt, maxNew).get(0).tokens();
        int[] out = Arrays.copyOf(prompt, prompt.length + best.length);
        System.arraycopy(best, 0, out, prompt.length, best.length);
        return out;
    }

    private record Candidate(int beam, int token, double logProb) {}

    /**
     * The n-best list (at most {@code width} hypotheses, best score first) for continuing {@code prompt} by up to
     * {@code maxNew} tokens; prompt + maxNew must fit the model's context.
     */
    public List<Hypothesis> search(int[] prompt, int maxNew) {
        int V = model.vocab(), T = model.context();
        if (prompt.length == 0) throw new IllegalArgumentException("BeamSearch: the prompt must have at least one token");
        if (maxNew < 1) throw new IllegalArgumentException("BeamSearch: maxNew must be >= 1, got " + maxNew);
        if (prompt.length + maxNew > T)
            throw new IllegalArgumentException("BeamSearch: prompt " + prompt.length + " + " + maxNew + " new tokens exceed the context " + T);
        for (int id : prompt)
            if (id < 0 || id >= V) throw new IllegalArgumentException("BeamSearch: prompt token " + id + " outside the vocabulary [0, " + V + ")");
        Comparator<Hypothesis> byScore = Comparator.comparingDouble(Hypothesis::score).reversed();
        List<int[]> beams = new ArrayList<>(List.of(prompt.clone()));    // each beam: prompt + its tokens
        double[] beamLogProb = {0};
        List<Hypothesis> finished = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.train(false);
        DecodeCache cache = useCache ? model.newCache(1) : null;
        try (var g = Tensor.noGrad(); var f = LinAlg.frozenWeights()) {     // no weight changes during a search: each packed once
            for (int step = 0; step < maxNew; step++) {
                int B = beams.size(), len = beams.get(0).length;
                float[] last = lastLogits(beams, cache, B, len, V);                 // (B, V)
                List<Candidate> cands = new ArrayList<>();
                for (int b = 0; b < B; b++) {
                    float[] row = Arrays.copyOfRange(last, b * V, (b + 1) * V);
                    for (LogitsProcessor p : processors) p.process(row, beams.get(b));
                    double[] logp = logSoftmax(row);
                    for (int v = 0; v < V; v++)
                        if (logp[v] != Double.NEGATIVE_INFINITY) cands.add(new Candidate(b, v, beamLogProb[b] + logp[v]));
                }
                cands.sort(Comparator.comparingDouble(Candidate::logProb).reversed()); // stable: beam, then token order on ties
                List<int[]> next = new ArrayList<>();
                List<Integer> parents = new ArrayList<>();
                List<Double> nextLogProb = new ArrayList<>();
                int generated = step + 1;
                for (int r = 0; r < cands.size() && next.size() < width; r++) {
                    Candidate c = cands.get(r);
                    int[] parent = beams.get(c.beam);
                    if (c.token == stop) {
                        if (r < width) {
                            int[] toks = Arrays.copyOfRange(parent, prompt.length, parent.length);
                            finished.add(new Hypothesis(toks, c.logProb, penalty.score(c.logProb, generated), generated, true));
                        }
                        continue;
                    }
                    int[] grown = Arrays.copyOf(parent, parent.length + 1);
                    grown[parent.length] = c.token;
                    next.add(grown);
                    parents.add(c.beam);
                    nextLogProb.add(c.logProb);
                }
                finished.sort(byScore);
                if (finished.size() > width) finished.subList(width, finished.size()).clear();
                beams = next;
                beamLogProb = nextLogProb.stream().mapToDouble(Double::doubleValue).toArray();
                if (beams.isEmpty()) break;
                if (cache != null) cache.reorder(parents.stream().mapToInt(Integer::intValue).toArray());
                if (finished.size() == width) {                                     // can any beam still win?
                    double worst = finished.get(width - 1).score(), bestHope = Double.NEGATIVE_INFINITY;
                    for (double lp : beamLogProb) bestHope = Math.max(bestHope, lp / penalty.divisor(maxNew));
                    if (bestHope <= worst) { beams = List.of(); break; }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        List<Hypothesis> all = new ArrayList<>(finished);
        for (int b = 0; b < beams.size(); b++) {                                   // ran out of tokens: unfinished
            int[] toks = Arrays.copyOfRange(beams.get(b), prompt.length, beams.get(b).length);
            all.add(new Hypothesis(toks, beamLogProb[b], penalty.score(beamLogProb[b], toks.length), toks.length, false));
        }
        if (all.isEmpty()) throw new IllegalStateException("BeamSearch: every token was filtered out at the first step (no-repeat n-gram or other processors)");
        all.sort(byScore);
        return List.copyOf(all.subList(0, Math.min(width, all.size())));
    }

    /** The next-token logits of every beam, (B, V) row-major: one new position per beam with the cache, all without. */
    private float[] lastLogits(List<int[]> beams, DecodeCache cache, int B, int len, int V) {
        int[] ids;
        int t;
        if (cache == null) {
            t = len;
            ids = new int[B * t];
            for (int b = 0; b < B; b++) System.arraycopy(beams.get(b), 0, ids, b * t, t);
        } else {
            t = len - cache.length();                                               // the whole prompt first, then 1
            ids = new int[B * t];
            for (int b = 0; b < B; b++) System.arraycopy(beams.get(b), cache.length(), ids, b * t, t);
        }
        Tensor logits = cache == null ? model.logits(ids, B, t) : model.logits(ids, B, t, cache);   // (B, t, V)
        positionsComputed += (long) B * t;
        float[] all = logits.toArray(), last = new float[B * V];
        for (int b = 0; b < B; b++) System.arraycopy(all, ((b + 1) * t - 1) * V, last, b * V, V);
        return last;
    }

    /** log softmax in double precision ({@code −∞} stays {@code −∞}). */
    static double[] logSoftmax(float[] l) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) max = Math.max(max, v);
        if (Double.isNaN(max)) throw new IllegalStateException("BeamSearch: the logits contain NaN (has the model diverged?)");
        double sum = 0;
        for (float v : l) sum += Math.exp(v - max);
        double lse = max + Math.log(sum);
        double[] out = new double[l.length];
        for (int i = 0; i < l.length; i++) out[i] = l[i] - lse;
        return out;
    }
}
