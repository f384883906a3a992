package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch09.nf4_block", title = "NF4: quantise and dequantise a block")
class Nf4BlockTest {
    @Test
    @Points(value = 1, hint = "divide by the largest |w|, then pick the nearest of the 16 CODE values")
    void workedExample() {
        float[] w = {2f, -1f, 0.1f, 0f};          // w/m = 1, −0.5, 0.05, 0: codes 15, 2, 8, 7
        assertEquals(2f, Nf4Block.absmax(w));
        assertArrayEquals(new int[] {15, 2, 8, 7}, Nf4Block.quantize(w));
        assertArrayEquals(new float[] {2f, 2 * -0.52507305f, 2 * 0.0795803f, 0f}, Nf4Block.dequantize(new int[] {15, 2, 8, 7}, 2f), 1e-6f);
        assertArrayEquals(new int[] {7, 7}, Nf4Block.quantize(new float[2]), "an all-zero block: every weight is code 7 (0.0)");
    }

    @Test
    @Points(value = 2, hint = "every weight must come back as the NEAREST representable value: error at most half the gap between neighbours, times m")
    void roundTripOfANormalBlock() {
        Random r = new Random(3);
        float[] w = new float[64];
        for (int i = 0; i < 64; i++) w[i] = (float) (0.02 * r.nextGaussian());
        float m = Nf4Block.absmax(w);
        float[] back = Nf4Block.dequantize(Nf4Block.quantize(w), m);
        for (int i = 0; i < 64; i++) {
            float v = w[i] / m;
            float nearest = Float.MAX_VALUE;
            for (float c : Nf4Block.CODE) nearest = Math.min(nearest, Math.abs(c - v));
            assertEquals(nearest * m, Math.abs(back[i] - w[i]), 1e-6f, "weight " + i);
        }
        assertTrue(Math.abs(back[argmax(w)]) == m, "the absmax itself is exact (code 0 or 15)");
    }

    static int argmax(float[] w) { int k = 0; for (int i = 1; i < w.length; i++) if (Math.abs(w[i]) > Math.abs(w[k])) k = i; return k; }
}
