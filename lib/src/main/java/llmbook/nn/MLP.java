package llmbook.nn;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A multi-layer perceptron: {@code Linear → act → Linear → act → … → Linear} through {@code sizes}
 * ({@code new MLP(rng, Activation.Kind.RELU, 2, 64, 3)} is 2 → 64 → 3). The last layer has no activation.
 * {@link #hidden()} keeps the hidden activations of the last forward, e.g. to count dead ReLUs (Q39).
 */
public final class MLP extends Module implements Layer {
    private final List<Linear> linears = new ArrayList<>();
    private final Activation act;
    private final List<Tensor> hidden = new ArrayList<>();

    public MLP(Rng rng, Activation.Kind activation, int... sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("MLP: need at least input and output sizes, got " + sizes.length);
        for (int i = 0; i + 1 < sizes.length; i++) linears.add(module("fc" + i, new Linear(sizes[i], sizes[i + 1], rng)));
        this.act = new Activation(activation);
    }

    public List<Linear> linears() { return linears; }

    /** Outputs of each hidden activation during the last forward (graph nodes, not copies): e.g. to count dead units. */
    public List<Tensor> hidden() { return hidden; }

    @Override
    public Tensor forward(Tensor x) {
        hidden.clear();
        for (int i = 0; i < linears.size(); i++) {
            x = linears.get(i).forward(x);
            if (i + 1 < linears.size()) {
                x = act.forward(x);
                hidden.add(x);
            }
        }
        return x;
    }
}
