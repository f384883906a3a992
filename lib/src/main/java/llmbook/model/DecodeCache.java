package llmbook.model;

/**
 * What a model keeps from the tokens it has already seen while it decodes, so each new token costs one position of
 * work instead of re-running the whole prefix: the keys and values of every attention layer (or, for latent
 * attention, the latents). Made by {@link LanguageModel#newCache}. Q50, and chapter 7 (beam search reorders it).
 */
public interface DecodeCache {
    /** Positions cached so far per sequence (the next token goes to this position). */
    int length();

    /** Sequences in the batch. */
    int batch();

    /** The most positions it can hold (the model's context). */
    int capacity();

    /** Empties the cache: the next token is position 0 again. */
    void reset();

    /** fp32 bytes allocated, all layers and sequences (a preallocated cache holds its whole capacity from the start). */
    long bytes();

    /** Bytes per cached token per sequence, summed over the layers (the figure that differs for MHA, GQA, MQA, MLA). */
    long bytesPerToken();

    /**
     * Keeps the batch rows {@code rows} in that order: row {@code i} of the new cache is row {@code rows[i]} of the old
     * one (repeats allowed). Beam search calls this after pruning, so each surviving beam keeps its own history.
     */
    void reorder(int[] rows);

    /**
     * Forgets every position from {@code length} on: the next token goes to position {@code length} again. Speculative
     * decoding (chapter 12) calls this to drop the draft tokens the target rejected. Caches that cannot, throw.
     */
    default void truncate(int length) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be truncated");
    }
}
