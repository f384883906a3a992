package llmbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.data.TokenBatch;
import llmbook.data.TokenWindows;
import llmbook.kernels.Kernels;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

/**
 * The training loop chapter 6 writes out — batch, loss, backward, clip, schedule, AdamW step — is exactly the loop
 * {@link Trainer} runs: same losses and same weights, bit for bit, for the same seeds. If Trainer changed its order of
 * operations (say, clipping after the step, or a different batch RNG) the book's code would no longer be its loop.
 */
class TrainerLoopTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log. a cat and a dog. ".repeat(30);
    static final CharTokenizer TOK = CharTokenizer.fit(TEXT);
    static final int[] IDS = TOK.encode(TEXT);
    static final TransformerConfig MODEL = TestModels.gpt(TOK.vocabSize(), 16, 1, 2, 16, 0f);

    @Test
    void theLoopWrittenOutIsTrainersLoop() {
        TrainConfig cfg = TrainConfig.reference().withSteps(12).withBatch(3).withLr(3e-3f).withWarmup(3).withEvalInterval(12)
                .withEvalBatches(1).withSeed(42).withThreads(1);

        Decoder byHand = new Decoder(MODEL, new Rng(5));
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(byHand.namedParameters(), cfg.weightDecay()), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8f);
        LrSchedule schedule = cfg.schedule();
        TokenWindows windows = TokenWindows.random(IDS, MODEL.context());
        Rng batchRng = new Rng(cfg.seed());
        Kernels.setThreads(cfg.threads());
        double[] handLoss = new double[cfg.steps()];
        byHand.train(true);
        for (int step = 0; step < cfg.steps(); step++) {
            TokenBatch b = windows.next(batchRng, cfg.batch());
            opt.setLr(schedule.lr(step));
            byHand.zeroGrad();
            Tensor loss = byHand.loss(b.x(), b.y(), b.B(), b.T());
            loss.backward();
            handLoss[step] = loss.item();
            loss.releaseGraph();
            GradClip.clipGlobalNorm(opt.params(), cfg.clip());
            opt.step();
        }

        Decoder byTrainer = new Decoder(MODEL, new Rng(5));
        double[] trainerLoss = new Trainer(byTrainer, cfg, IDS, IDS).run().doubleColumn("train_loss").asDoubleArray();
        assertArrayEquals(handLoss, trainerLoss, 0.0, "the hand loop's losses differ from Trainer's");
        List<Tensor> a = byHand.parameters(), b = byTrainer.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), 0f, "parameter " + i + " differs");
        assertTrue(handLoss[cfg.steps() - 1] < handLoss[0], "the loop must learn: " + handLoss[0] + " -> " + handLoss[cfg.steps() - 1]);
    }
}
