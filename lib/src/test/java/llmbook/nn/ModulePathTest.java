package llmbook.nn;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModulePathTest {
    /** Two blocks, each with a replaceable "fc" child reached through child() at forward time. */
    static final class Block extends Module implements Layer {
        Block(Rng rng) { module("fc", new Linear(3, 3, rng)); module("out", new Linear(3, 3, rng)); }
        @Override public Tensor forward(Tensor x) { return this.<Layer>child("out").forward(this.<Layer>child("fc").forward(x)); }
    }

    static final class Net extends Module implements Layer {
        Net(Rng rng) { module("h", new Sequential(new Block(rng), new Block(rng))); }
        @Override public Tensor forward(Tensor x) { return this.<Layer>child("h").forward(x); }
    }

    /** Doubles what the wrapped layer gives, so a replacement is visible in the output. */
    static final class Twice extends Module implements Layer {
        Twice(Module inner) { module("inner", inner); }
        @Override public Tensor forward(Tensor x) { return this.<Layer>child("inner").forward(x).mul(2f); }
    }

    @Test
    void getFindsByPathAndNamesWhatExists() {
        Net net = new Net(new Rng(1));
        assertTrue(net.get("h.1.fc") instanceof Linear);
        assertSame(net, net.get(""));
        var e = assertThrows(IllegalArgumentException.class, () -> net.get("h.1.mlp"));
        assertTrue(e.getMessage().contains("[fc, out]"), e.getMessage());
    }

    @Test
    void replaceSwapsEveryMatchAndTheForwardUsesIt() {
        Net net = new Net(new Rng(1));
        Tensor x = Tensor.normal(new Rng(2), 0f, 1f, 2, 3);
        float[] before = net.forward(x).toArray();
        net.eval();
        assertEquals(2, net.replace("h.*.out", Twice::new));
        assertTrue(net.get("h.0.out") instanceof Twice);
        assertFalse(net.get("h.0.out").isTraining(), "a replacement takes the mode of what it replaces");
        assertTrue(net.namedParameters().containsKey("h.1.out.inner.weight"), net.namedParameters().keySet().toString());
        // block 1 of 2 doubles its output, then block 2 doubles again: the output is not the old one
        float[] after = net.forward(x).toArray();
        assertNotEquals(before[0], after[0]);
        assertThrows(IllegalArgumentException.class, () -> net.replace("h.*.attn", m -> m));
    }

    @Test
    void freezeCountsAndGradientsStop() {
        Net net = new Net(new Rng(1));
        long all = net.numParameters();
        assertEquals(all, net.freeze(""));
        assertEquals(0, net.numTrainable());
        assertEquals(24, net.unfreeze("h.*.fc"));       // 3x3 weight + 3 bias in each of two blocks
        assertEquals(0, net.unfreeze("h.1.fc"), "already trainable: nothing changes");
        assertEquals(24, net.numTrainable());
        assertEquals(all - 24, net.numFrozen());
        assertFalse(net.namedParameters().get("h.0.out.weight").requiresGrad());
        assertTrue(net.trainableParameters().contains(net.namedParameters().get("h.1.fc.bias")));
        assertThrows(IllegalArgumentException.class, () -> net.freeze("h.*.nothing"));
    }
}
