package llmbook.exercises.ch09;

/** Reference solution of ch09.nf4_block (see the starter for the statement). Q17. */
public final class Nf4Block {
    private Nf4Block() {}

    public static final float[] CODE = {-1.0f, -0.6961928f, -0.52507305f, -0.3949175f, -0.28444138f, -0.18477343f, -0.09105004f, 0.0f,
            0.0795803f, 0.1609302f, 0.2461123f, 0.33791524f, 0.44070983f, 0.562617f, 0.72295684f, 1.0f};

    public static float absmax(float[] block) {
        float m = 0;
        for (float v : block) m = Math.max(m, Math.abs(v));
        return m;
    }

    public static int[] quantize(float[] block) {
        float m = absmax(block);
        int[] codes = new int[block.length];
        for (int i = 0; i < block.length; i++) {
            float v = m == 0 ? 0 : block[i] / m;
            int best = 0;
            for (int k = 1; k < 16; k++) if (Math.abs(CODE[k] - v) < Math.abs(CODE[best] - v)) best = k;
            codes[i] = best;
        }
        return codes;
    }

    public static float[] dequantize(int[] codes, float absmax) {
        float[] w = new float[codes.length];
        for (int i = 0; i < w.length; i++) w[i] = CODE[codes[i]] * absmax;
        return w;
    }
}
