package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.retrieval.Ralm;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void calibrationDividesOutTheContentFreeLean() {
        double[] q = Calibration.calibrate(new double[] {0.8, 0.2}, new double[] {0.6, 0.4});
        assertArrayEquals(new double[] {0.75 / 2.75, 2.0 / 2.75}, q, 1e-12);
        assertEquals(1, Calibration.argmax(q), "against a 4:1 lean, 0.6:0.4 is evidence for label 1");
        assertEquals(0, Calibration.argmax(new double[] {0.6, 0.4}));
        assertArrayEquals(new double[] {0.5, 0.5}, Calibration.calibrate(new double[] {0.8, 0.2}, new double[] {0.8, 0.2}), 1e-12,
                "the content-free input itself becomes uniform");
        assertThrows(IllegalArgumentException.class, () -> Calibration.calibrate(new double[] {1}, new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.calibrate(new double[] {1, 0}, new double[] {0.5, 0.5}));
    }

    @Test
    void contentFreeAveragesNormalisedDistributions() {
        double[] cf = Calibration.contentFree(List.of(new double[] {Math.log(3), 0}, new double[] {0, Math.log(3)}));
        assertArrayEquals(new double[] {0.5, 0.5}, cf, 1e-12);
        assertArrayEquals(new double[] {0.75, 0.25}, Calibration.normalise(new double[] {Math.log(6), Math.log(2)}), 1e-12);
    }

    @Test
    void labelLogProbsMatchScoringEachLabelAlone() {
        CharTokenizer tok = CharTokenizer.fit(FactBase.ALPHABET);
        Decoder m = new Decoder(TransformerConfig.gpt2(tok.vocabSize()).withLayers(1).withShape(2, 16, 32).withContext(40), new Rng(4));
        String prompt = "q: where does kamo live? a: ";
        List<String> labels = List.of("paris", "lima", "oslo\n", "a");
        double[] lp = Calibration.labelLogProbs(m, tok, prompt, labels);
        for (int c = 0; c < labels.size(); c++) {
            int[] target = tok.encode(labels.get(c));
            double alone = -Ralm.loss(m, tok.encode(prompt), target) * target.length;   // the oracle: one sequence, one label
            assertEquals(alone, lp[c], 1e-4, labels.get(c));
        }
        assertThrows(IllegalArgumentException.class, () -> Calibration.labelLogProbs(m, tok, prompt, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Calibration.labelLogProbs(m, tok, prompt, List.of("a".repeat(20))));
    }
}
