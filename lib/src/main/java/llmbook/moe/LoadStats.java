package llmbook.moe;

import java.util.Arrays;

/**
 * What each expert received since the last reset. Q46.
 *
 * @param routed   choices per expert made by the router (before the capacity limit), length E
 * @param assigned choices per expert that were computed (after it)
 * @param dropped  choices dropped because their expert was full (those tokens ride the residual)
 * @param tokens   tokens routed
 */
public record LoadStats(long[] routed, long[] assigned, long dropped, long tokens) {
    public LoadStats {
        routed = routed.clone();
        assigned = assigned.clone();
    }

    public int experts() { return routed.length; }

    /** Share of the routing choices that went to each expert (sums to 1). */
    public double[] shares() {
        long total = Arrays.stream(routed).sum();
        return Arrays.stream(routed).mapToDouble(r -> total == 0 ? 0 : r / (double) total).toArray();
    }

    /** Share of the busiest expert: 1/E at perfect balance, 1 at total collapse (k = 1). */
    public double busiestShare() { return Arrays.stream(shares()).max().orElse(0); }

    /** Fraction of the routing choices that were dropped by the capacity limit. */
    public double dropRate() {
        long total = Arrays.stream(routed).sum();
        return total == 0 ? 0 : dropped / (double) total;
    }

    /** Coefficient of variation of the per-expert loads (0 = perfectly even). */
    public double loadCv() {
        double[] s = shares();
        double mean = 1.0 / s.length, v = 0;
        for (double x : s) v += (x - mean) * (x - mean);
        return Math.sqrt(v / s.length) / mean;
    }

    /** Counts of several layers added together. */
    public LoadStats plus(LoadStats o) {
        long[] r = routed.clone(), a = assigned.clone();
        for (int i = 0; i < r.length; i++) { r[i] += o.routed[i]; a[i] += o.assigned[i]; }
        return new LoadStats(r, a, dropped + o.dropped, tokens + o.tokens);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "LoadStats(%d tokens, shares %s, busiest %.3f, dropped %.3f)", tokens,
                Arrays.toString(Arrays.stream(shares()).map(x -> Math.round(x * 1000) / 1000.0).toArray()), busiestShare(), dropRate());
    }
}
