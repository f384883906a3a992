// HOSTILE FIXTURE for GradeTest: the solution, except that it does not compile (a statement left half-written).
package llmbook.exercises.ch05;

/**
 * Exercise ch05.rope — rotary position embedding (RoPE) of a (T, d) array of queries or keys (Q8).
 *
 * <p>Row p (position p) is cut into d/2 pairs; pair i holds features i and i + d/2 ("rotate half", the layout of
 * GPT-NeoX and Hugging Face LLaMA) and is turned by the angle p·θ_i:
 * <pre>
 *   θ_i = 10000^(−2i/d),  i = 0 … d/2 − 1
 *   y[p][i]       = x[p][i]·cos(pθ_i) − x[p][i+d/2]·sin(pθ_i)
 *   y[p][i+d/2]   = x[p][i]·sin(pθ_i) + x[p][i+d/2]·cos(pθ_i)
 * </pre>
 * Each pair is rotated, so lengths are kept, and rotating q at p and k at p' leaves q·k depending only on p' − p.
 * Worked example, T = 2, d = 4 (θ = 1, 0.01): row 0 is unchanged; row 1 = [1, 1, 0, 0] becomes
 * [cos 1, cos 0.01, sin 1, sin 0.01].
 * The library's version is {@code llmbook.attention.Rope}.
 */
public final class Rope {
    private Rope() {}

    /** The rotated copy of x (T, d), positions 0 … T − 1; x is not modified. d must be even (else IllegalArgumentException). */
    public static double[][] apply(double[][] x) {
        int broken = 
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
