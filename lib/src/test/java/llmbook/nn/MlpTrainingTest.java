package llmbook.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import llmbook.optim.AdamW;
import llmbook.optim.Optimizer;
import llmbook.optim.ParamGroup;
import llmbook.optim.SGD;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A 2 → 64 → 3 ReLU MLP trained full-batch on a 300-point spiral must follow PyTorch step for step.
 *
 * <p>Reference numbers: {@code src/test/resources/oracle/mlp_spiral_torch.py}, run with Debian's python3-torch
 * (torch 1.13.0a0, one thread) on 2026-11-25. It reimplements {@link Rng}, so data and initial weights are
 * bit-identical; it printed
 * <pre>
 * adamw: initial loss 1.086362, loss after 300 steps 0.062795, accuracy 0.9933
 * sgd:   initial loss 1.086362, loss after 300 steps 0.168558, accuracy 0.9333
 * </pre>
 * Observed with scalar kernels: 0.062796 (AdamW) and 0.168554 (SGD), within 4e-6 of PyTorch. Tolerance: float32
 * sums in another order (e.g. the vector kernels) drift a little each step, so we allow 5e-4 absolute, while a wrong
 * gradient or optimizer rule moves these losses by ≥ 1e-2.
 */
class MlpTrainingTest {
    static final double TORCH_INITIAL = 1.086362, TORCH_ADAMW_300 = 0.062795, TORCH_SGD_300 = 0.168558;

    private record Run(double first, double last, double accuracy) {}

    private static Run train(boolean adamw) {
        ToyData.Labelled data = ToyData.spiral(new Rng(0), 3, 100);
        MLP mlp = new MLP(new Rng(1), Activation.Kind.RELU, 2, 64, 3);
        Optimizer opt = adamw ? new AdamW(List.of(new ParamGroup(mlp.parameters(), 0f)), 1e-2f)
                              : new SGD(mlp.parameters(), 0.1f, 0.9f);
        double first = Double.NaN;
        for (int step = 0; step < 300; step++) {
            Tensor loss = Functional.crossEntropy(mlp.forward(data.x()), data.y());
            if (step == 0) first = loss.item();
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        try (var g = Tensor.noGrad()) {
            Tensor logits = mlp.forward(data.x());
            double last = Functional.crossEntropy(logits, data.y()).item();
            float[] l = logits.toArray();
            int right = 0;
            for (int i = 0; i < data.y().length; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) if (l[i * 3 + c] > l[i * 3 + best]) best = c;
                if (best == data.y()[i]) right++;
            }
            return new Run(first, last, right / (double) data.y().length);
        }
    }

    @Test void dataMatchesTheOracleScript() {
        float[] x = ToyData.spiral(new Rng(0), 3, 100).x().toArray();
        // printed by the script: x[1] = [-6.860366283945041e-06, 0.010101007297635078]
        assertArrayEquals(new float[] {0f, 0f, -6.860366283945041e-06f, 0.010101007297635078f}, java.util.Arrays.copyOf(x, 4));
    }

    @Test void adamwMatchesPyTorch() {
        Run r = train(true);
        assertEquals(TORCH_INITIAL, r.first, 1e-5);
        assertEquals(TORCH_ADAMW_300, r.last, 5e-4);
        assertEquals(0.9933, r.accuracy, 0.01);
    }

    @Test void sgdWithMomentumMatchesPyTorch() {
        Run r = train(false);
        assertEquals(TORCH_INITIAL, r.first, 1e-5);
        assertEquals(TORCH_SGD_300, r.last, 5e-4);
        assertEquals(0.9333, r.accuracy, 0.01);
    }
}
