package llmbook.model.rnn;

import java.util.List;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A gated recurrent unit (Cho et al. 2014), composed from tensor ops so autograd gives its backward. Q7.
 * <pre>
 *   r  = σ(W_ir·x + b_ir + W_hr·h + b_hr)            reset gate
 *   z  = σ(W_iz·x + b_iz + W_hz·h + b_hz)            update gate
 *   n  = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))   candidate
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The rows of {@code ih} (3H, in) and {@code hh} (3H, H) are stacked r, z, n as in PyTorch's {@code nn.GRU}. Step t
 * needs h from step t−1, so a sequence of length T costs T dependent steps: this is what makes an RNN slow to train
 * on long sequences compared with attention, which processes all positions at once.
 */
public final class GruCell extends Module {
    public final int in, hidden;
    public final Linear ih;   // (3H, in)
    public final Linear hh;   // (3H, H)

    public GruCell(int in, int hidden, Rng rng) {
        if (in < 1 || hidden < 1) throw new IllegalArgumentException("GruCell: sizes must be >= 1, got in=" + in + ", hidden=" + hidden);
        this.in = in;
        this.hidden = hidden;
        ih = module("ih", new Linear(in, 3 * hidden, rng));
        hh = module("hh", new Linear(hidden, 3 * hidden, rng));
    }

    /** One step: x (B, in), h (B, H) → h' (B, H). */
    public Tensor step(Tensor x, Tensor h) {
        check("x", x, in);
        return stepProjected(ih.forward(x), h);
    }

    /** One step from an input already projected by {@link #ih}: gi (B, 3H), h (B, H) → h' (B, H). */
    public Tensor stepProjected(Tensor gi, Tensor h) {
        check("h", h, hidden);
        int hs = hidden;
        List<Tensor> i = gi.split(1, hs, hs, hs);                 // (B, H) × 3: r, z, n parts of W_i·x + b_i
        List<Tensor> g = hh.forward(h).split(1, hs, hs, hs);       // (B, H) × 3 of W_h·h + b_h
        Tensor r = i.get(0).add(g.get(0)).sigmoid();
        Tensor z = i.get(1).add(g.get(1)).sigmoid();
        Tensor n = i.get(2).add(r.mul(g.get(2))).tanh();
        return n.add(z.mul(h.sub(n)));                             // (1 − z)·n + z·h
    }

    private static void check(String what, Tensor t, int width) {
        int[] s = t.shape();
        if (s.length != 2 || s[1] != width)
            throw new IllegalArgumentException("GruCell.step: " + what + " must be (B, " + width + "), got " + llmbook.tensor.Shape.str(s));
    }
}
