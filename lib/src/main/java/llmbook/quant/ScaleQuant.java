package llmbook.quant;

/**
 * The second level of QLoRA's double quantisation: the per-block absmax values {@code c} (all positive) stored in
 * 8 bits. Q17.
 * <pre>
 *   μ = mean(c)                                   one fp32 for the whole tensor: centring makes the values symmetric
 *   blocks of 256:  s_k = max |c − μ| over block k    (fp32 each)
 *   q_j = round((c_j − μ) / s_k · 127)            one signed byte each;   ĉ_j = q_j / 127 · s_k + μ
 * </pre>
 * QLoRA uses an 8-bit float for q; this uses a linear int8, which is simpler and, for values that are all of one size
 * (every block of a layer has an absmax of about the same magnitude), about as accurate: the decoded absmax is within
 * {@code s_k/254} of the true one, a relative error of ~0.1–0.5 % on our weights.
 */
final class ScaleQuant {
    static final int BLOCK = 256;

    private final byte[] q;
    private final float[] s;
    private final float mean;
    private final int block;

    private ScaleQuant(byte[] q, float[] s, float mean, int block) {
        this.q = q;
        this.s = s;
        this.mean = mean;
        this.block = block;
    }

    static ScaleQuant quantize(float[] c, int block) {
        double sum = 0;
        for (float v : c) sum += v;
        float mean = (float) (sum / c.length);
        int blocks = (c.length + block - 1) / block;
        float[] s = new float[blocks];
        byte[] q = new byte[c.length];
        for (int k = 0; k < blocks; k++) {
            int from = k * block, to = Math.min(c.length, from + block);
            float m = 0;
            for (int j = from; j < to; j++) m = Math.max(m, Math.abs(c[j] - mean));
            s[k] = m;
            for (int j = from; j < to; j++) q[j] = (byte) (m == 0 ? 0 : Math.round((c[j] - mean) / m * 127));
        }
        return new ScaleQuant(q, s, mean, block);
    }

    float[] dequantize() {
        float[] c = new float[q.length];
        for (int j = 0; j < c.length; j++) c[j] = q[j] / 127f * s[j / block] + mean;
        return c;
    }

    /** One byte per scale, an fp32 per 256 of them, and the mean. */
    long bytes() { return q.length + 4L * s.length + 4; }
}
