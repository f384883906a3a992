package llmbook.quant;

import llmbook.tensor.Functional;

/**
 * NormalFloat-4 (QLoRA, Dettmers et al. 2023): 16 code values placed at quantiles of N(0, 1), so that each of the 16
 * bins of a normally distributed block holds about the same share of its values. Q17.
 * <pre>
 *   δ = ½(1 − 1/(2·15) + 1 − 1/(2·16)) = 0.9677083           (the outer quantile; Φ⁻¹(1) would be ∞)
 *   positive: Φ⁻¹(p) at 8 points p = δ … ½ (9 evenly spaced, the last, ½, dropped)
 *   negative: −Φ⁻¹(p) at 7 points p = δ … ½ (8 evenly spaced, ½ dropped)
 *   plus an exact 0;  sort;  divide by the largest, Φ⁻¹(δ)  →  −1 … 0 … 1
 * </pre>
 * This is bitsandbytes' {@code create_normal_map(offset=0.9677083, use_extra_value=True)}: asymmetric (8 positive
 * values, 7 negative) so that 0 is exactly representable (padding, and the many near-zero weights).
 * {@code Nf4Test} checks the construction against the published table to 1e-6.
 */
public final class Nf4 {
    private Nf4() {}

    /** The outer quantile δ, as bitsandbytes passes it (a float32). */
    public static final double OFFSET = (float) 0.9677083;

    /** The 16 NF4 values, ascending; index 7 is exactly 0, index 15 exactly 1. */
    static final float[] CODE = build(OFFSET);

    /** A copy of the 16 NF4 values. */
    public static float[] code() { return CODE.clone(); }

    /** The NF4 table for outer quantile {@code offset}. */
    public static float[] build(double offset) {
        double[] v = new double[16];
        for (int i = 0; i < 8; i++) v[i] = inverseNormalCdf(offset + (0.5 - offset) * i / 8.0);     // 8 positive
        for (int i = 0; i < 7; i++) v[8 + i] = -inverseNormalCdf(offset + (0.5 - offset) * i / 7.0); // 7 negative
        v[15] = 0;
        java.util.Arrays.sort(v);
        double max = v[15];
        float[] out = new float[16];
        for (int i = 0; i < 16; i++) out[i] = (float) (v[i] / max);
        return out;
    }

    /**
     * Φ⁻¹(p), the standard normal quantile, to ~1e-14: Newton's method on {@code Φ(x) = ½(1 + erf(x/√2))} with the
     * library's series {@link Functional#erf}, from x = 0 (Φ is convex-concave about 0, so the steps never overshoot
     * past the root into the far tail for the p used here, 1e-6 < p < 1 − 1e-6).
     */
    public static double inverseNormalCdf(double p) {
        if (!(p > 1e-6 && p < 1 - 1e-6)) throw new IllegalArgumentException("Nf4.inverseNormalCdf: p must be in (1e-6, 1 − 1e-6), got " + p);
        double x = 0;
        for (int it = 0; it < 100; it++) {
            double f = 0.5 * (1 + Functional.erf(x / Math.sqrt(2))) - p, pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            double step = f / pdf;
            x -= step;
            if (Math.abs(step) < 1e-15) break;
        }
        return x;
    }

    /** Index of the code value nearest {@code v} (v in [−1, 1]): binary search over the 15 midpoints. */
    static int nearest(float[] code, float v) {
        int lo = 0, hi = code.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v > 0.5f * (code[mid] + code[mid + 1])) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
