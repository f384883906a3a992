package llmbook.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;

/**
 * Every filter's kept set and renormalised distribution equal a PyTorch implementation of the same rules on 310 random
 * and adversarial cases (ties, −∞, one huge logit, p = 1, k ≥ V), written at dev time by make_filter_reference.py
 * next to the JSON. Q20, Q21.
 */
class FilterReferenceTest {
    static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i) instanceof String s && s.equals("-inf") ? Float.NEGATIVE_INFINITY : ((Number) l.get(i)).floatValue();
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void keptSetsAndDistributionsMatchPyTorch() throws IOException {
        String text;
        try (InputStream in = FilterReferenceTest.class.getResourceAsStream("filter_reference.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Object> cases = (List<Object>) Json.parseObject(text).get("cases");
        assertTrue(cases.size() >= 300, "reference cases: " + cases.size());
        int n = 0;
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String kind = (String) c.get("kind");
            double arg = ((Number) c.get("arg")).doubleValue();
            LogitsProcessor p = switch (kind) {
                case "temperature" -> new Temperature((float) arg);
                case "top_k" -> new TopK((int) arg);
                case "top_p" -> new TopP((float) arg);
                case "min_p" -> new MinP((float) arg);
                default -> throw new AssertionError(kind);
            };
            float[] logits = floats(c.get("logits")), want = floats(c.get("out"));
            float[] got = logits.clone();
            p.process(got, new int[0]);
            String what = "case " + n++ + ": " + kind + " " + arg + " on " + java.util.Arrays.toString(logits);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i] == Float.NEGATIVE_INFINITY, got[i] == Float.NEGATIVE_INFINITY, what + ": token " + i + " kept?");
                if (want[i] != Float.NEGATIVE_INFINITY) assertEquals(want[i], got[i], 0f, what + ": logit " + i);
            }
            double[] prob = LogitsProcessor.softmax(got);
            List<Object> ref = (List<Object>) c.get("prob");
            for (int i = 0; i < prob.length; i++) assertEquals(((Number) ref.get(i)).doubleValue(), prob[i], 1e-12, what + ": renormalised p " + i);
        }
    }
}
