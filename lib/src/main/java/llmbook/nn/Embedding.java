package llmbook.nn;

import java.util.Arrays;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A lookup table: token id → row of {@code weight} (V, D). Q35.
 *
 * <p>Its gradient is sparse: a batch touches only the rows of the ids it contains; every other row of
 * {@code weight.grad()} stays zero. {@link #touchedRows()} lists the rows the last forward used.
 */
public final class Embedding extends Module {
    public final Tensor weight;   // (V, D)
    private int[] lastIds = new int[0];

    /** Initialised N(0, 1) like PyTorch; GPT-2 uses {@link #Embedding(int, int, Rng, float)} with std 0.02. */
    public Embedding(int vocab, int dim, Rng rng) { this(vocab, dim, rng, 1f); }

    public Embedding(int vocab, int dim, Rng rng, float std) {
        if (vocab <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding: sizes must be > 0, got vocab=" + vocab + ", dim=" + dim);
        this.weight = param("weight", Init.normal(rng, std, vocab, dim));
    }

    /** Rows for {@code ids}, shaped {@code (batchShape..., D)} (default {@code (ids.length, D)}). */
    public Tensor forward(int[] ids, int... batchShape) {
        lastIds = ids.clone();
        return Functional.embedding(weight, ids, batchShape);
    }

    /** The distinct row indices the last forward looked up, sorted: the only rows whose gradient can be non-zero. */
    public int[] touchedRows() { return Arrays.stream(lastIds).distinct().sorted().toArray(); }

    public int vocab() { return weight.shape()[0]; }
    public int dim() { return weight.shape()[1]; }
}
