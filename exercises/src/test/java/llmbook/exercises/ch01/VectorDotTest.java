package llmbook.exercises.ch01;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch01.dot", title = "A Vector API dot product")
class VectorDotTest {
    static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    @Test
    @Points(value = 1, hint = "n = 3 is shorter than one vector: everything happens in the scalar tail")
    void shortHandWorkedCase() {
        assertEquals(32f, VectorDot.dot(new float[] {1, 2, 3}, new float[] {4, 5, 6}), 1e-6f);
        assertEquals(0f, VectorDot.dot(new float[0], new float[0]));
    }

    @Test
    @Points(value = 2, hint = "loop while i < SPECIES.loopBound(n), then finish i < n one element at a time")
    void oddSizesAndOffsets() {
        Random r = new Random(11);
        int[] sizes = {1, 7, LANES - 1, LANES, LANES + 1, 2 * LANES + 3, 1031, 4096};
        for (int n : sizes) {
            int aOff = 3, bOff = 5;
            float[] a = new float[n + aOff + 2], b = new float[n + bOff + 1];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            double ref = 0, mag = 0;
            for (int i = 0; i < n; i++) { ref += (double) a[aOff + i] * b[bOff + i]; mag += Math.abs((double) a[aOff + i] * b[bOff + i]); }
            // float rounding: each of n additions errs by ≤ 2⁻²⁴ of the running magnitude
            double tol = 1e-6 * mag + 1e-6;
            assertEquals(ref, VectorDot.dot(a, aOff, b, bOff, n), tol, "n = " + n + " with offsets 3 and 5");
            assertEquals(VectorDot.dotScalar(a, aOff, b, bOff, n), VectorDot.dot(a, aOff, b, bOff, n), 2 * tol, "vs the scalar twin, n = " + n);
        }
    }

    @Test
    @Points(value = 2, hint = "use FloatVector.fromArray, fma (or mul/add) and reduceLanes(VectorOperators.ADD) — the grader looks for them in your class")
    void actuallyUsesTheVectorApi() throws IOException {
        String pool;
        try (InputStream in = VectorDot.class.getResourceAsStream("VectorDot.class")) {
            pool = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertTrue(pool.contains("jdk/incubator/vector/FloatVector"), "VectorDot does not use FloatVector");
        assertTrue(pool.contains("fromArray"), "VectorDot never loads a FloatVector from an array");
        assertTrue(pool.contains("reduceLanes"), "VectorDot never reduces the lanes of an accumulator");
        // and it must run: the vector path on a size with no tail
        float[] ones = new float[LANES * 4];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(LANES * 4f, VectorDot.dot(ones, ones), 0f);
    }
}
