package llmbook.kernels;

/** Vector API matmul (placeholder until the packed kernel lands: calls the scalar loops). */
final class MatMulVector {
    private MatMulVector() {}

    static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                       int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        MatMul.matmulScalar(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate);
    }
}
