package llmbook.nn;

import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/** Inverted dropout with probability {@code p}, active only in training mode; masks come from the given {@link Rng}. */
public final class Dropout extends Module implements Layer {
    public final float p;
    private final Rng rng;

    public Dropout(float p, Rng rng) {
        if (p < 0f || p >= 1f) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) { return Functional.dropout(x, p, rng, isTraining()); }
}
