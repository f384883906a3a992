package llmbook.objectives;

import llmbook.data.Batches;
import llmbook.tensor.Rng;

/**
 * Masked-LM batches from a token stream (Q25): random windows of {@code T} ids, each noised by {@link Masking} with
 * the trainer's batch RNG, so a seed gives the same windows and the same masks. No sentence-pair labels.
 */
public final class MlmBatches implements Batches<MlmBatch> {
    private final int[] stream;
    private final int T;
    private final Masking masking;
    private final WordVocab vocab;

    public MlmBatches(int[] stream, int T, Masking masking, WordVocab vocab) {
        if (stream.length < T) throw new IllegalArgumentException("MlmBatches: need at least T = " + T + " tokens, got " + stream.length);
        this.stream = stream;
        this.T = T;
        this.masking = masking;
        this.vocab = vocab;
    }

    @Override
    public MlmBatch next(Rng rng, int size) {
        int[] input = new int[size * T], targets = new int[size * T], lengths = new int[size];
        int[] window = new int[T];
        for (int b = 0; b < size; b++) {
            System.arraycopy(stream, rng.nextInt(stream.length - T + 1), window, 0, T);
            Masking.Masked m = masking.apply(window, vocab.mask, vocab.pad, vocab::regular, null, rng);
            System.arraycopy(m.input(), 0, input, b * T, T);
            System.arraycopy(m.targets(), 0, targets, b * T, T);
            lengths[b] = T;
        }
        return new MlmBatch(input, null, lengths, targets, null, size, T);
    }

    @Override public long tokens(MlmBatch b) { return b.scored(); }
}
