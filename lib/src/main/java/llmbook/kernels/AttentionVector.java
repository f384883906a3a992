package llmbook.kernels;

final class AttentionVector {
    private AttentionVector() {}
    static void causalForward(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int T, int d, float scale) {
        Attention.causalForwardScalar(out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d, scale);
    }
    static void causalBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff, float[] lse, int lseOff, int T, int d, float scale) {
        Attention.causalBackwardScalar(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, out, outOff, lse, lseOff, T, d, scale);
    }
}
