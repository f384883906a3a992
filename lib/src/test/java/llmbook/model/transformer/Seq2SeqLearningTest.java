package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.data.ReverseTask;
import llmbook.train.Seq2SeqTraining;
import llmbook.model.transformer.TransformerConfig.Arch;
import llmbook.model.transformer.TransformerConfig.Ffn;
import llmbook.model.transformer.TransformerConfig.Norm;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** A small encoder–decoder learns to reverse short strings; exact match on held-out strings, by greedy decoding. Q4. */
class Seq2SeqLearningTest {
    @Test void learnsToReverse() {
        var task = new ReverseTask(8, 2, 4);
        var test = task.heldOut(new Rng(1), 100);
        var cfg = new TransformerConfig(Arch.SEQ2SEQ, task.vocab(), task.targetLength(), 1, 4, 32, 64, Positions.LEARNED, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
        var model = new Seq2Seq(cfg, new Rng(2));
        var res = Seq2SeqTraining.train(model, task, 150, 32, 5e-3f, new Rng(3), "reverse");
        double after = Seq2SeqTraining.exactMatch(model, test);
        System.out.printf("seq2seq reverse: held-out exact match %.2f, loss %.3f, %.1f s%n", after, res.finalLoss(10), res.seconds());
        assertTrue(after >= 0.9, "held-out exact match should reach 0.9, got " + after);
    }
}
