package llmbook.data;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Rng;

/**
 * Variable-length sequences (documents, dialogue turns, instruction–answer pairs) as padded {@link TokenBatch}es: each
 * batch picks {@code size} sequences at random (with repeats) and pads them to the longest with
 * {@link TokenBatch#padded} — {@code pad} in the inputs, {@code -1} (not scored) in the targets.
 */
public final class PaddedSequences implements Batches<TokenBatch> {
    private final List<int[]> sequences;
    private final int pad;

    public PaddedSequences(List<int[]> sequences, int pad) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("PaddedSequences: no sequences");
        for (int i = 0; i < sequences.size(); i++)
            if (sequences.get(i).length < 2)
                throw new IllegalArgumentException("PaddedSequences: sequence " + i + " has " + sequences.get(i).length + " tokens, need at least 2");
        this.sequences = List.copyOf(sequences);
        this.pad = pad;
    }

    @Override
    public TokenBatch next(Rng rng, int size) {
        List<int[]> pick = new ArrayList<>(size);
        for (int i = 0; i < size; i++) pick.add(sequences.get(rng.nextInt(sequences.size())));
        return TokenBatch.padded(pick, pad);
    }

    @Override public long tokens(TokenBatch batch) { return batch.scored(); }
}
