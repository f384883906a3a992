package llmbook.sample;

/** Sees each token as the {@link Generator} writes it, so text can be printed as it is produced (streaming). */
@FunctionalInterface
public interface TokenListener {
    /** {@code id} was just generated at position {@code position} of the sequence (prompt included). */
    void onToken(int id, long position);
}
