package llmbook.exercises.ch12;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch12.int8_block", title = "INT8 blocks and an integer dot product")
class Int8BlockTest {
    @Test
    @Points(value = 2, hint = "block 2: x = (0.5, −1, 2, 1) → scales (1/127, 2/127), codes (64, −127, 127, 64)")
    void workedExample() {
        float[] s = new float[2];
        byte[] q = Int8Block.quantize(new float[] {0.5f, -1, 2, 1}, 2, s);
        assertArrayEquals(new byte[] {64, -127, 127, 64}, q);
        assertArrayEquals(new float[] {1 / 127f, 2 / 127f}, s, 1e-7f);
        assertArrayEquals(new float[] {64 / 127f, -1, 2, 128 / 127f}, Int8Block.dequantize(q, s, 2), 1e-6f);
    }

    @Test
    @Points(value = 1, hint = "a block of zeros has scale 0 and codes 0 (no division by zero); a last block may be shorter")
    void zerosAndShortBlock() {
        float[] s = new float[3];
        byte[] q = Int8Block.quantize(new float[] {0, 0, 3, -3, 1}, 2, s);
        assertArrayEquals(new byte[] {0, 0, 127, -127, 127}, q);
        assertEquals(0, s[0]);
        assertEquals(1 / 127f, s[2], 1e-7f);
    }

    @Test
    @Points(value = 2, hint = "accumulate the codes' products in an int per block: 127·127·64 overflows a byte or a short")
    void integerDot() {
        byte[] a = new byte[64], b = new byte[64];
        java.util.Arrays.fill(a, (byte) 127);
        java.util.Arrays.fill(b, (byte) -127);
        assertEquals(-127 * 127 * 64 * 0.5f * 0.25f, Int8Block.dot(a, new float[] {0.5f}, b, new float[] {0.25f}, 64), 1e-2f);
    }

    @Test
    @Points(value = 2, hint = "the int8 dot product of random vectors is within about 1 % of the float one")
    void assembledDotIsClose() {
        Random r = new Random(5);
        float[] x = new float[1000], y = new float[1000];
        double exact = 0;
        for (int i = 0; i < x.length; i++) { x[i] = (float) r.nextGaussian(); y[i] = (float) r.nextGaussian() + 0.3f; exact += x[i] * y[i]; }
        float got = Int8Block.dot(x, y, 32);
        assertEquals(exact, got, 0.01 * Math.sqrt(1000) * 1.5, "int8 " + got + " vs fp " + exact);
        assertNotEquals((float) exact, got, "no quantisation happened?");
    }
}
