package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Sinusoidal positions: hand values, unit-norm pairs, shifts are rotations, context window refused with both numbers. */
class SinusoidalPositionsTest {
    @Test void handValues() {
        Tensor pe = new SinusoidalPositions(4, 8).table(3);
        assertEquals(0f, pe.get(0, 0), 0f);
        assertEquals(1f, pe.get(0, 1), 0f);
        assertEquals((float) Math.sin(1), pe.get(1, 0), 1e-7f);
        assertEquals((float) Math.cos(2 / 100.0), pe.get(2, 3), 1e-7f);   // 10000^(−2/4) = 1/100
    }

    @Test void everyPairIsOnTheUnitCircle() {
        Tensor pe = new SinusoidalPositions(16, 64).table(64);
        for (int p = 0; p < 64; p++)
            for (int i = 0; i < 8; i++) {
                double s = pe.get(p, 2 * i), c = pe.get(p, 2 * i + 1);
                assertEquals(1.0, s * s + c * c, 1e-6);
            }
    }

    @Test void dotProductDependsOnOffsetOnly() {
        Tensor pe = new SinusoidalPositions(16, 64).table(64);
        double a = 0, b = 0;
        for (int j = 0; j < 16; j++) {
            a += (double) pe.get(3, j) * pe.get(8, j);
            b += (double) pe.get(40, j) * pe.get(45, j);
        }
        assertEquals(a, b, 1e-5);
    }

    @Test void applyAddsAndRefusesLongSequences() {
        var sp = new SinusoidalPositions(4, 2);
        Tensor y = sp.apply(Tensor.zeros(2, 2, 4));
        assertEquals(1f, y.get(1, 0, 1), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> sp.apply(Tensor.zeros(1, 3, 4)));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SinusoidalPositions(3, 8));
    }
}
