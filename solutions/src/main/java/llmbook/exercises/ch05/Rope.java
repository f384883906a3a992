package llmbook.exercises.ch05;

/**
 * Exercise ch05.rope — rotary position embedding (RoPE) of a (T, d) array of queries or keys (Q8).
 *
 * <p>Goal: make the attention score of a query at position m and a key at position n depend on their offset n − m
 * only, without adding anything to the vectors. RoPE cuts each row into d/2 pairs of features and turns each pair,
 * as a point in the plane, by an angle proportional to the position: pair i turns by p·θ_i at position p, with the
 * frequencies θ_i = 10000^(−2i/d) (fast for the first pairs, slow for the last). Layout ("rotate half", as GPT-NeoX,
 * LLaMA and the library): pair i holds features i and i + d/2. Turn each pair counter-clockwise (positive angles
 * take the first axis toward the second). Work out the rotation yourself; a rotation keeps lengths, and the grader
 * checks that q·k depends on the offset only, and agrees with {@code llmbook.attention.Rope} on hidden inputs.
 *
 * <p>Worked example, T = 2, d = 4 (θ = 1, 0.01): row 0 is unchanged (angle 0); row 1 = [1, 1, 0, 0] becomes
 * [cos 1, cos 0.01, sin 1, sin 0.01]. Run {@code ./llmbook grade 5} to see your score.
 */
public final class Rope {
    private Rope() {}

    /** The rotated copy of x (T, d), positions 0 … T − 1; x is not modified. d must be even (else IllegalArgumentException). */
    public static double[][] apply(double[][] x) {
        int t = x.length, d = t == 0 ? 0 : x[0].length;
        if (d < 2 || d % 2 != 0) throw new IllegalArgumentException("Rope.apply: width d must be even and >= 2 (pairs are rotated), got d=" + d);
        int half = d / 2;
        double[][] y = new double[t][d];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < half; i++) {
                double a = p * Math.pow(10000.0, -2.0 * i / d), c = Math.cos(a), s = Math.sin(a);
                double x1 = x[p][i], x2 = x[p][i + half];
                y[p][i] = x1 * c - x2 * s;
                y[p][i + half] = x1 * s + x2 * c;
            }
        return y;
    }
}
