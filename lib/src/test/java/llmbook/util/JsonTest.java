package llmbook.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                "{\"a\": 1, \"b\": [true, false, null], \"c\": -2.5e3, \"d\": \"x\\n\\u00e9\\\"\", \"e\": {}}");
        assertEquals(1L, m.get("a"));
        assertEquals(java.util.Arrays.asList(true, false, null), m.get("b"));
        assertEquals(-2500.0, m.get("c"));
        assertEquals("x\né\"", m.get("d"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(m.keySet()), "key order is kept");
    }

    @Test
    void writeThenParseRoundTrips() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "tab\there \"quoted\" \u0001");
        m.put("shape", List.of(2L, 3L));
        m.put("ok", true);
        m.put("none", null);
        assertEquals(m, Json.parseObject(Json.write(m)));
    }

    @Test
    void errorsNameTheOffsetAndWhatWasExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertTrue(e.getMessage().contains("expected ':' at offset 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
    }
}
