package llmbook.exercises.ch12;

/** Reference solution of ch12.int8_block (see the starter for the statement). Q50. */
public final class Int8Block {
    private Int8Block() {}

    public static byte[] quantize(float[] x, int block, float[] scales) {
        byte[] q = new byte[x.length];
        for (int b = 0, from = 0; from < x.length; b++, from += block) {
            int to = Math.min(x.length, from + block);
            float m = 0;
            for (int i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]));
            scales[b] = m / 127;
            for (int i = from; i < to; i++) q[i] = (byte) (m == 0 ? 0 : Math.round(x[i] / scales[b]));
        }
        return q;
    }

    public static float[] dequantize(byte[] codes, float[] scales, int block) {
        float[] x = new float[codes.length];
        for (int i = 0; i < x.length; i++) x[i] = codes[i] * scales[i / block];
        return x;
    }

    public static float dot(byte[] a, float[] sa, byte[] b, float[] sb, int block) {
        float s = 0;
        for (int k = 0, from = 0; from < a.length; k++, from += block) {
            int acc = 0;
            for (int i = from, to = Math.min(a.length, from + block); i < to; i++) acc += a[i] * b[i];
            s += sa[k] * sb[k] * acc;
        }
        return s;
    }

    public static float dot(float[] x, float[] y, int block) {
        int blocks = (x.length + block - 1) / block;
        float[] sx = new float[blocks], sy = new float[blocks];
        return dot(quantize(x, block, sx), sx, quantize(y, block, sy), sy, block);
    }
}
