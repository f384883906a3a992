package llmbook.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import llmbook.kernels.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broadcasting loop on several threads: output rows shared out, broadcast axes summed in order inside each. */
class StridedTest {
    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); }

    /** a + b broadcast, then the gradients of both (b's summed over the axes it was broadcast along). */
    private static float[][] addAndBackward(int threads, int[] as, int[] bs) {
        Kernels.setThreads(threads);
        Rng rng = new Rng(as.length * 100 + bs.length);
        Tensor a = Tensor.randn(rng, as).requiresGrad(true), b = Tensor.randn(rng, bs).requiresGrad(true);
        Tensor y = a.add(b);
        y.backward(Tensor.randn(new Rng(9), y.shape()).toArray());
        return new float[][] {y.toArray(), a.grad().toArray(), b.grad().toArray()};
    }

    @Test
    void broadcastOpsGiveTheSameBitsOnTwoThreadsAndSumInOrder() {
        int[][][] cases = {
                {{16, 128, 64}, {128, 64}},       // token + position embeddings: b's gradient sums 16 batches per row
                {{40, 30, 70}, {40, 1, 70}},      // a middle axis summed
                {{9, 50, 200}, {9, 50, 1}},       // the last axis summed (inside each row)
                {{3, 4, 5}, {4, 5}}};             // small: one thread
        for (int[][] c : cases) {
            float[][] one = addAndBackward(1, c[0], c[1]), two = addAndBackward(2, c[0], c[1]);
            for (int i = 0; i < 3; i++) assertArrayEquals(one[i], two[i], "output " + i + " of " + Shape.str(c[0]) + " + " + Shape.str(c[1]));
        }
        // b's gradient for the embedding case is Σ over the batch in batch order, in float
        Kernels.setThreads(2);
        float[] g = Tensor.randn(new Rng(9), 16, 128, 64).toArray(), want = new float[128 * 64];
        for (int bi = 0; bi < 16; bi++) for (int i = 0; i < want.length; i++) want[i] += g[bi * want.length + i];
        assertArrayEquals(want, addAndBackward(2, new int[] {16, 128, 64}, new int[] {128, 64})[2]);
    }
}
