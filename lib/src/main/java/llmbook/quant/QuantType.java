package llmbook.quant;

/**
 * The block-wise formats of chapter 9: each block of B weights stores its absolute maximum {@code m} and one code
 * per weight; the weight is read back as {@code table[code]·m}. Q17.
 * <ul>
 *   <li>{@link #NF4}: 4 bits, the {@link Nf4} table (normal quantiles): more levels near 0, where most weights are.</li>
 *   <li>{@link #INT4}: 4 bits, 15 evenly spaced levels {@code k/7}, k = −7 … 7 (symmetric absmax; code 0 = −8/7 unused).</li>
 *   <li>{@link #INT8}: 8 bits, 255 evenly spaced levels {@code k/127}, k = −127 … 127.</li>
 * </ul>
 */
public enum QuantType {
    NF4(4), INT4(4), INT8(8);

    public final int bits;

    QuantType(int bits) { this.bits = bits; }

    /** The value of each code, in units of the block's absmax ({@code 2^bits} entries). */
    public float[] table() {
        return switch (this) {
            case NF4 -> Nf4.code();
            case INT4 -> levels(16, 8, 7);
            case INT8 -> levels(256, 128, 127);
        };
    }

    private static float[] levels(int n, int zero, int max) {
        float[] t = new float[n];
        for (int k = 0; k < n; k++) t[k] = (k - zero) / (float) max;
        return t;
    }

    /** The code of {@code v} (v = weight / absmax, in [−1, 1]). */
    int encode(float[] table, float v) {
        return switch (this) {
            case NF4 -> Nf4.nearest(table, v);
            case INT4 -> Math.round(Math.max(-1f, Math.min(1f, v)) * 7) + 8;
            case INT8 -> Math.round(Math.max(-1f, Math.min(1f, v)) * 127) + 128;
        };
    }
}
