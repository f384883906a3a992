package llmbook.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.kernels.Blas;
import llmbook.kernels.Kernels;
import org.junit.jupiter.api.Test;

class DotTest {
    @Test
    void vectorMatchesScalarAtAwkwardSizesAndOffsets() {
        Random r = new Random(1);
        for (int n : new int[] {0, 1, 7, 16, 33, 1031}) {
            float[] a = new float[n + 5], b = new float[n + 3];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            float s = Blas.dotScalar(a, 5, b, 3, n), v = Dot.dot(a, 5, b, 3, n);
            assertEquals(s, v, 1e-4 * (1 + Math.sqrt(n)), "dot n=" + n);
            float[] y1 = b.clone(), y2 = b.clone();
            Blas.axpyScalar(0.5f, a, 5, y1, 3, n);
            Dot.axpy(0.5f, a, 5, y2, 3, n);
            assertArrayEquals(y1, y2, 1e-6f, "axpy n=" + n);
        }
        assertEquals(32f, Dot.dot(new float[] {1, 2, 3}, 0, new float[] {4, 5, 6}, 0, 3));
    }

    /** With the vector kernels off, Dot is exactly the scalar twin (the switch reaches this package too). */
    @Test
    void honoursUseVector() {
        float[] a = new float[37], b = new float[37];
        Random r = new Random(2);
        for (int i = 0; i < 37; i++) { a[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
        Kernels.useVector(false);
        try {
            assertEquals(Blas.dotScalar(a, 0, b, 0, 37), Dot.dot(a, 0, b, 0, 37), 0f);
        } finally {
            Kernels.useVector(true);
        }
    }
}
