package llmbook.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Numbered children: paths "0.weight", "1.bias"; get(i) sees a replacement. */
class ModuleListTest {
    @Test void numbersItsChildrenAndSeesReplacements() {
        var list = new ModuleList();
        list.add(new Linear(2, 3, new Rng(1)));
        list.add(new Linear(3, 4, new Rng(1)));
        assertEquals(2, list.size());
        assertTrue(list.namedParameters().keySet().containsAll(java.util.List.of("0.weight", "1.bias")));
        var fresh = new Linear(3, 4, new Rng(2));
        assertEquals(1, list.replace("1", old -> fresh));
        assertSame(fresh, list.get(1));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertTrue(e.getMessage().contains("0 … 1"), e.getMessage());
    }
}
