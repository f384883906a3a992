package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.param_count", title = "Counting a GPT's parameters")
class ParamCountTest {
    static TransformerConfig cfg(int v, int t, int l, int c, boolean tied) {
        int heads = c % 4 == 0 ? 4 : 1;
        return TransformerConfig.gpt2(v).withContext(t).withLayers(l).withShape(heads, c, 4 * c).withTied(tied);
    }

    @Test
    @Points(value = 1, hint = "V·C + T·C, then per block 2 norms (2C each), attention 4C² + 4C, MLP 8C² + 5C; then 2C")
    void workedExample() {
        assertEquals(106, ParamCount.gpt(10, 4, 1, 2, true));
    }

    @Test
    @Points(value = 2, hint = "hidden shapes, counted tensor by tensor on the library's Decoder: every weight AND bias")
    void matchesTheLibraryModel() {
        int[][] shapes = {{65, 32, 2, 16}, {84, 128, 4, 128}, {300, 64, 3, 8}};
        for (int[] s : shapes) {
            long counted = new Decoder(cfg(s[0], s[1], s[2], s[3], true), new Rng(1)).numParameters();
            assertEquals(counted, ParamCount.gpt(s[0], s[1], s[2], s[3], true), "V=" + s[0] + " T=" + s[1] + " L=" + s[2] + " C=" + s[3]);
        }
    }

    @Test
    @Points(value = 1, hint = "untied, the output layer is its own V×C matrix")
    void untied() {
        long counted = new Decoder(cfg(97, 16, 2, 12, false), new Rng(1)).numParameters();
        assertEquals(counted, ParamCount.gpt(97, 16, 2, 12, false));
    }

    @Test
    @Points(value = 1, hint = "GPT-2 small: use long arithmetic; about 124 million")
    void gpt2Small() {
        assertEquals(cfg(50257, 1024, 12, 768, true).parameterCount(), ParamCount.gpt(50257, 1024, 12, 768, true));
        assertEquals(124_439_808L, ParamCount.gpt(50257, 1024, 12, 768, true));
    }
}
