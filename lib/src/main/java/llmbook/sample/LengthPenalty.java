package llmbook.sample;

/**
 * How {@link BeamSearch} compares hypotheses of different lengths. The sum of log-probabilities only falls as a
 * hypothesis grows, so a raw comparison favours short outputs (the "beam-search curse": the wider the beam, the more
 * often it finds a short, wrong hypothesis that ends early). A hypothesis's score is its log-probability divided by
 * {@link #divisor(int)} of its length |y| (generated tokens, the end token included). Q19.
 * <ul>
 *   <li>{@link #none()}: divisor 1, the plain log-probability;</li>
 *   <li>{@link #average()}: divisor |y|, the mean log-probability per token;</li>
 *   <li>{@link #gnmt(double)}: divisor ((5 + |y|) / 6)^α, Google's NMT system (Wu et al. 2016), α = 0.6–1 in practice;
 *       α = 0 is {@code none()}.</li>
 * </ul>
 * A hypothesis of log-probability −6 over 4 tokens scores −6, −1.5, and −6 / 1.5^α under the three.
 */
public record LengthPenalty(Kind kind, double alpha) {
    public enum Kind { NONE, AVERAGE, GNMT }

    public LengthPenalty {
        if (kind == null) throw new IllegalArgumentException("LengthPenalty: kind must not be null");
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("LengthPenalty: alpha must be >= 0 and finite, got " + alpha);
    }

    public static LengthPenalty none() { return new LengthPenalty(Kind.NONE, 0); }

    public static LengthPenalty average() { return new LengthPenalty(Kind.AVERAGE, 1); }

    public static LengthPenalty gnmt(double alpha) { return new LengthPenalty(Kind.GNMT, alpha); }

    /** What the log-probability of a hypothesis of {@code length} tokens is divided by (≥ 1, growing with the length). */
    public double divisor(int length) {
        return switch (kind) {
            case NONE -> 1;
            case AVERAGE -> Math.max(1, length);
            case GNMT -> Math.pow((5.0 + length) / 6.0, alpha);
        };
    }

    /** The score of a hypothesis of {@code logProb} (≤ 0) over {@code length} tokens. */
    public double score(double logProb, int length) { return logProb / divisor(length); }

    /**
     * Parses the CLI form: {@code none}, {@code average}, or a number α (the GNMT penalty; 0 = none). Refuses anything
     * else with the valid forms.
     */
    public static LengthPenalty parse(String s) {
        if (s.equals("none")) return none();
        if (s.equals("average")) return average();
        double a;
        try {
            a = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("length penalty must be 'none', 'average' or a GNMT alpha in [0, 10], got '" + s + "'");
        }
        if (!(a >= 0 && a <= 10)) throw new IllegalArgumentException("length penalty alpha must be in [0, 10], got " + s);
        return a == 0 ? none() : gnmt(a);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "no length penalty";
            case AVERAGE -> "average log-probability";
            case GNMT -> "GNMT length penalty α=" + alpha;
        };
    }
}
