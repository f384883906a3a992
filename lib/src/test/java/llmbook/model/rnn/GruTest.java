package llmbook.model.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The GRU cell against its formula written out by hand, its gradients, and the seq2seq baseline's bookkeeping. */
class GruTest {
    static float sig(double x) { return (float) (1 / (1 + Math.exp(-x))); }

    @Test void stepMatchesTheFormula() {
        var cell = new GruCell(2, 3, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1, 2), h = Tensor.randn(new Rng(3), 1, 3);
        float[] gi = cell.ih.forward(x).toArray(), gh = cell.hh.forward(h).toArray(), hv = h.toArray();
        float[] got = cell.step(x, h).toArray();
        for (int j = 0; j < 3; j++) {
            float r = sig(gi[j] + gh[j]), z = sig(gi[3 + j] + gh[3 + j]);
            float n = (float) Math.tanh(gi[6 + j] + r * gh[6 + j]);
            assertEquals((1 - z) * n + z * hv[j], got[j], 1e-5f, "unit " + j);
        }
    }

    @Test void cellGradients() {
        var cell = new GruCell(3, 4, new Rng(4));
        List<Tensor> in = new ArrayList<>(List.of(Tensor.randn(new Rng(5), 2, 3).requiresGrad(true), Tensor.randn(new Rng(6), 2, 4).requiresGrad(true)));
        in.addAll(cell.parameters());
        // two steps, so the gradient also flows through h
        GradCheck.Report r = GradCheck.check(t -> cell.step(t[0], cell.step(t[0], t[1])), in.toArray(new Tensor[0]));
        assertTrue(r.ok(), r.toString());
    }

    @Test void seq2seqGradientsAndPadding() {
        var cfg = new GruSeq2Seq.Config(7, 3, 4);
        var m = new GruSeq2Seq(cfg, new Rng(7));
        assertEquals(cfg.parameterCount(), m.numParameters());
        int[] src = {3, 4, 5, 3, 6, 0}, lens = {3, 2}, tin = {1, 5, 4, 1, 6, 3}, tout = {5, 4, 2, 6, 3, -1};
        var params = m.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.check(t -> m.loss(src, lens, tin, tout, 2, 3, 3), params);
        assertTrue(r.ok(), r.toString());
        // the state after a sequence's end ignores the padding tokens
        float[] a = m.encode(new int[] {3, 6, 0}, new int[] {2}, 1, 3).toArray();
        float[] b = m.encode(new int[] {3, 6, 5}, new int[] {2}, 1, 3).toArray();
        assertArrayEquals(a, b, 0f);
        assertTrue(cfg.toString().contains(String.format("%,d", cfg.parameterCount())));
        var e = assertThrows(IllegalArgumentException.class, () -> m.dec.step(Tensor.zeros(1, 5), Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().contains("GruCell") && e.getMessage().contains("(1, 5)") && e.getMessage().contains("3"), e.getMessage());
    }
}
